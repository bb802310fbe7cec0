package dev.wsl.members;

import dev.wsl.core.api.Csv;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code GET /workspaces/{workspaceId}/audit}: the audit trail, newest first; needs {@code audit:read}. With
 * {@code Accept: text/csv} a CSV export page of up to 1,000 entries (the next page in the {@code Link} header).
 */
public final class ListAuditHandler extends HttpApiHandler {
    private final MemberService members;
    private final MemberReports reports;

    public ListAuditHandler() {
        this(Services.members(), Services.reports());
    }

    ListAuditHandler(MemberService members, MemberReports reports) {
        this.members = members;
        this.reports = reports;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        String cursor = request.query("cursor").orElse(null);
        if (Csv.accepted(request)) {
            return Requests.csv(request, "/workspaces/" + ws + "/audit", "audit-" + ws + ".csv", reports.auditCsv(
                    request.caller(), ws, Requests.csvLimit(request, MemberReports.MAX_CSV_PAGE), cursor));
        }
        var page = members.workspaces().audit(members.person(request.caller(), ws), ws, Requests.limit(request), cursor);
        return ApiResponse.ok(Views.page(page, Views::audit));
    }
}
