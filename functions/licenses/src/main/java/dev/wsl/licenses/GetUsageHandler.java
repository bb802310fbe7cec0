package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.UsageHistory;
import dev.wsl.core.failure.InvalidInput;

/**
 * {@code GET /workspaces/{workspaceId}/usage?days=90}: per UTC day of the last {@code days} (1 to 90, default 90),
 * the seats in use, the distinct members who activated and the seats that activated by kind of credential; for
 * admins and holders of {@code licenses:assign}.
 */
public final class GetUsageHandler extends HttpApiHandler {
    private final UsageService usage;

    public GetUsageHandler() {
        this(LicenseServices.usage());
    }

    GetUsageHandler(UsageService usage) {
        this.usage = usage;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        int days = request.query("days").map(GetUsageHandler::days).orElse(UsageHistory.MAX_DAYS);
        return ApiResponse.ok(LicenseViews.usage(usage.history(request.caller(), request.path("workspaceId"), days)));
    }

    private static int days(String text) {
        if (!text.matches("[0-9]{1,3}")) {
            throw new InvalidInput("invalid-days", "'days' must be a whole number from 1 to " + UsageHistory.MAX_DAYS + ".");
        }
        return Integer.parseInt(text);
    }
}
