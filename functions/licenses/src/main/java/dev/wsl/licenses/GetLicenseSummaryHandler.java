package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code GET /workspaces/{workspaceId}/licenses}: plans, seats, use, legacy keys (named for those who manage them,
 * else counted), whether a license can be assigned now (and why not), and the idle seats with the seat policy
 * (issue 21): one read of the grant, one of the pool and the policy together.
 */
public final class GetLicenseSummaryHandler extends HttpApiHandler {
    private final SeatService seats;

    public GetLicenseSummaryHandler() {
        this(LicenseServices.seats());
    }

    GetLicenseSummaryHandler(SeatService seats) {
        this.seats = seats;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var summary = seats.summary(request.caller(), request.path("workspaceId"));
        return ApiResponse.ok(LicenseViews.summary(summary, seats.clock().instant()));
    }
}
