package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.telemetry.Metric;

/** {@code DELETE /workspaces/{workspaceId}/members/{memberId}/license}: takes the license back; the seat is freed unless the member's legacy key still holds it. */
public final class UnassignLicenseHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public UnassignLicenseHandler() {
        this(LicenseServices.licenses());
    }

    UnassignLicenseHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected Metric metric() {
        return Metric.SEAT_UNASSIGNMENTS;
    }

    @Override
    protected String successOutcome() {
        return "unassigned";
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var member = licenses.unassign(request.caller(), request.path("workspaceId"), request.path("memberId"));
        return ApiResponse.ok(LicenseViews.holding(member));
    }
}
