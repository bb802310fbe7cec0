package dev.wsl.activation;

import dev.wsl.telemetry.JsonText;

/**
 * The JSON the activation routes answer, written by hand: the license document with exactly the
 * fields the client's {@code LicenseV1} accepts (one more would crash it), and the error body
 * {@code {"message", "detail"}}. Building it directly keeps data binding off the hot path.
 */
final class ResponseJson {
    private ResponseJson() {}

    static String license(LicenseDocument l, String credential, String localstackVersion) {
        StringBuilder out = new StringBuilder(640).append('{');
        field(out, "id", l.id()).append(',');
        field(out, "license_format", LicenseDocument.FORMAT).append(',');
        field(out, "signature", l.signature(credential)).append(',');
        field(out, "license_type", l.licenseType()).append(',');
        field(out, "issue_date", LicenseDocument.isoSeconds(l.issueDate())).append(',');
        field(out, "expiry_date", LicenseDocument.isoSeconds(l.expiryDate())).append(',');
        out.append("\"products\":[");
        for (int i = 0; i < l.products().size(); i++) {
            LicenseDocument.Product p = l.products().get(i);
            out.append(i == 0 ? "{" : ",{");
            field(out, "name", p.name()).append(',');
            field(out, "version", p.version()).append('}');
        }
        out.append("],");
        field(out, "license_status", l.licenseStatus()).append(',');
        out.append("\"license_secret\":null,");
        field(out, "last_activated", LicenseDocument.isoSeconds(l.lastActivated())).append(',');
        field(out, "reactivate_after", LicenseDocument.isoSeconds(l.reactivateAfter())).append(',');
        out.append("\"offline_data\":{");
        if (localstackVersion != null) {
            field(out, "localstack_version", localstackVersion);
        }
        return out.append("}}").toString();
    }

    static String error(String message, String detail) {
        StringBuilder out = new StringBuilder(256).append('{');
        field(out, "message", message);
        if (detail != null) {
            field(out.append(','), "detail", detail);
        }
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return string(string(out, name).append(':'), value);
    }

    static StringBuilder string(StringBuilder out, String value) {
        return JsonText.string(out, value);
    }
}
