package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.telemetry.Metric;

/** {@code DELETE /workspaces/{workspaceId}/members/{memberId}/license}: takes the license back; the seat is freed unless the member's legacy key still holds it. */
public final class UnassignLicenseHandler extends HttpApiHandler {
    private final LicenseService licenses;
    private final Authorization authorization;

    public UnassignLicenseHandler() {
        this(LicenseServices.licenses(), LicenseServices.authorization());
    }

    UnassignLicenseHandler(LicenseService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
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
        String workspaceId = request.path("workspaceId");
        var member = licenses.unassign(authorization.person(request.caller(), workspaceId), workspaceId,
                request.path("memberId"), null);
        return ApiResponse.ok(LicenseViews.holding(member));
    }
}
