package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/licenses}: plans, seats, use, legacy keys (named for those who manage them, else counted), and whether a license can be assigned now (and why not). */
public final class GetLicenseSummaryHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public GetLicenseSummaryHandler() {
        this(LicenseServices.licenses());
    }

    GetLicenseSummaryHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var summary = licenses.summary(request.caller(), request.path("workspaceId"));
        return ApiResponse.ok(LicenseViews.summary(summary.pool(), summary.namesKeys(), licenses.clock().instant()));
    }
}
