package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.telemetry.Metric;

/** {@code POST /workspaces/{workspaceId}/members/{memberId}/license}: assigns a license (idempotent); 409 with the reason when no seat is free. */
public final class AssignLicenseHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public AssignLicenseHandler() {
        this(LicenseServices.licenses());
    }

    AssignLicenseHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected Metric metric() {
        return Metric.SEAT_ASSIGNMENTS;
    }

    @Override
    protected String successOutcome() {
        return "assigned";
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var member = licenses.assign(request.caller(), request.path("workspaceId"), request.path("memberId"));
        return ApiResponse.ok(LicenseViews.holding(member));
    }
}
