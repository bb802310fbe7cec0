package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/audit}: the audit trail, newest first; needs {@code audit:read}. */
public final class ListAuditHandler extends HttpApiHandler {
    private final MemberService members;

    public ListAuditHandler() {
        this(Services.members());
    }

    ListAuditHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var page = members.audit(request.caller(), request.path("workspaceId"), Requests.limit(request),
                request.query("cursor").orElse(null));
        return ApiResponse.ok(Views.page(page, Views::audit));
    }
}
