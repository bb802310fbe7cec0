package dev.wsl.telemetry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An error as a log line carries it, in Powertools' names: {@code {"name", "message", "causes": [{"name",
 * "message"}…], "stack"}} (name: the exception's class), the stack trace being Java's own text (with its
 * "Caused by:" sections) in one JSON string, so that it stays one log event instead of one per line.
 *
 * <p>Messages and traces are scrubbed before they are written. Our own code puts no secret into an
 * exception, but the SDK, the JDK or a library might quote what they were given; so everything that
 * looks like a credential of this product is masked: auth tokens and CI keys ({@code ls…-…}), SCIM
 * tokens, JWTs, the values of {@code Basic}/{@code Bearer} authorizations, {@code token=} parameters
 * (invitation links), long mixed-case base64 runs (KMS ciphertexts) and email addresses. Legacy
 * keys have no recognisable shape; they never travel in exceptions (a malformed one is a typed
 * refusal, logged by its code only).
 */
final class ErrorReport {
    /** Far below CloudWatch's 256 KB per event, and enough for a deep cause chain. */
    static final int MAX_TRACE_CHARS = 16 * 1024;
    static final int MAX_MESSAGE_CHARS = 1024;
    private static final int MAX_CAUSES = 8;
    static final String MASK = "<redacted>";

    private static final Pattern SECRETS = Pattern.compile(String.join("|",
            // JWTs: three base64url parts, the first two starting with a JSON object ("eyJ")
            "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*",
            // credentials in an Authorization header's form
            "(?i:basic|bearer)\\s+[A-Za-z0-9+/=._~-]{8,}",
            // auth tokens and CI keys (ls-…, lsci-…), SCIM tokens (scim-…)
            "\\b(?:ls[a-z]*|scim)-[A-Za-z0-9_-]{16,}",
            // token=… in a URL (the invitation link's fragment) or a form
            "(?i:token)=[^&\\s\"']+",
            // long base64 runs with lower and upper case and digits: KMS ciphertexts, encoded credentials
            // (not the SDK's request ids, upper case and digits, which AWS support asks for; not long
            // class names in a stack trace, which have no digit)
            "(?=[A-Za-z0-9+/]{0,200}[a-z])(?=[A-Za-z0-9+/]{0,200}[A-Z])(?=[A-Za-z0-9+/]{0,200}[0-9])"
                    + "[A-Za-z0-9+/]{40,}={0,2}",
            // email addresses
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"));

    private ErrorReport() {}

    /** The text with everything that looks like a secret or an email address masked. */
    static String scrub(String text) {
        if (text == null) {
            return null;
        }
        return SECRETS.matcher(text).replaceAll(MASK);
    }

    /** Appends {@code "error":{…}} for {@code error} to a JSON object being written. */
    static void append(StringBuilder out, Throwable error) {
        out.append("\"error\":{\"name\":");
        JsonText.string(out, error.getClass().getName());
        if (error.getMessage() != null) {
            out.append(",\"message\":");
            JsonText.string(out, shorten(scrub(error.getMessage()), MAX_MESSAGE_CHARS));
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        seen.put(error, true);
        Throwable cause = error.getCause();
        int n = 0;
        while (cause != null && n < MAX_CAUSES && seen.put(cause, true) == null) {
            out.append(n == 0 ? ",\"causes\":[" : ",").append("{\"name\":");
            JsonText.string(out, cause.getClass().getName());
            if (cause.getMessage() != null) {
                out.append(",\"message\":");
                JsonText.string(out, shorten(scrub(cause.getMessage()), MAX_MESSAGE_CHARS));
            }
            out.append('}');
            cause = cause.getCause();
            n++;
        }
        if (n > 0) {
            out.append(']');
        }
        StringWriter trace = new StringWriter(2048);
        error.printStackTrace(new PrintWriter(trace));
        out.append(",\"stack\":");
        JsonText.string(out, shorten(scrub(trace.toString()), MAX_TRACE_CHARS));
        out.append('}');
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…(" + (text.length() - max) + " more characters)";
    }
}
