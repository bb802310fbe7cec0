package dev.wsl.members;

import dev.wsl.core.api.Csv;
import java.time.Clock;
import java.time.Instant;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code GET /workspaces/{workspaceId}/members}: members page by page; REMOVED only with {@code includeRemoved=true};
 * with {@code idle=true} only the holders of idle licenses, longest idle first (issue 21). With
 * {@code Accept: text/csv} the same rows as a CSV export page of up to 1,000 (header row on the first page, the next
 * page in the {@code Link} header).
 */
public final class ListMembersHandler extends HttpApiHandler {
    private final MemberService members;
    private final MemberReports reports;
    private final Clock clock;

    public ListMembersHandler() {
        this(Services.members(), Services.reports(), Clock.systemUTC());
    }

    ListMembersHandler(MemberService members, MemberReports reports, Clock clock) {
        this.members = members;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        boolean includeRemoved = Requests.flag(request, "includeRemoved");
        boolean idle = Requests.flag(request, "idle");
        String cursor = request.query("cursor").orElse(null);
        if (Csv.accepted(request)) {
            return Requests.csv(request, "/workspaces/" + ws + "/members", "members-" + ws + ".csv",
                    reports.membersCsv(request.caller(), ws, includeRemoved, idle,
                            Requests.csvLimit(request, MemberReports.MAX_CSV_PAGE), cursor));
        }
        Instant now = clock.instant();
        if (idle) {
            var page = reports.idleMembers(request.caller(), ws, Requests.limit(request), cursor);
            var listed = page.listed();
            return ApiResponse.ok(new Views.IdlePageView(listed.page().items().stream()
                    .map(m -> Views.member(m, listed.usage().get(m.memberId()), now)).toList(),
                    listed.page().nextCursor(), page.idleDays()));
        }
        var listed = members.memberships().listMembers(members.person(request.caller(), ws), ws, includeRemoved,
                Requests.limit(request), cursor);
        return ApiResponse.ok(Views.page(listed.page(), m -> Views.member(m, listed.usage().get(m.memberId()), now)));
    }
}
