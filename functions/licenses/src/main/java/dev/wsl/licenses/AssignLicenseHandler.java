package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.telemetry.Metric;

/** {@code POST /workspaces/{workspaceId}/members/{memberId}/license}: assigns a license (idempotent); 409 with the reason when no seat is free. */
public final class AssignLicenseHandler extends HttpApiHandler {
    private final LicenseService licenses;
    private final Authorization authorization;

    public AssignLicenseHandler() {
        this(LicenseServices.licenses(), LicenseServices.authorization());
    }

    AssignLicenseHandler(LicenseService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
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
        String workspaceId = request.path("workspaceId");
        var member = licenses.assign(authorization.person(request.caller(), workspaceId), workspaceId,
                request.path("memberId"), null);
        return ApiResponse.ok(LicenseViews.holding(member));
    }
}
