package dev.wsl.members;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.Csv;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.SeatStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What admins read out of the members list and the audit trail (issue 21): the idle seats, and the CSV exports of
 * members and audit entries, a page at a time.
 *
 * <p>Idle seats are a page of the seat index (longest idle first, by the workspace's idle days), each holder read
 * again: O(page) however large the workspace. An export page holds what the caller sees on screen for the same
 * rows and no more: members for any member of the workspace; legacy keys masked for those who manage them and only
 * named ("legacy key") for everyone else; the audit trail for {@code audit:read}, masks as the audit page shows
 * them. Thread-safe.
 */
public final class MemberReports {
    /** A CSV page holds at most this many rows (a few hundred kB: far below the 6 MB a Lambda response may be). */
    static final int MAX_CSV_PAGE = 1000;

    static final List<String> MEMBER_COLUMNS = List.of("Name", "Email", "Status", "Role", "Permissions", "License",
            "Subscription", "Legacy key", "Last activation", "Idle days");
    static final List<String> AUDIT_COLUMNS = List.of("When", "Actor", "Actor id", "Action", "Target", "Details");

    private final MemberService members;
    private final WorkspaceStore workspaces;
    private final SeatStore seats;
    private final LicenseStore licenses;
    private final Authorization authorization;
    private final Clock clock;
    private final RetryPolicy retry;

    public MemberReports(MemberService members, WorkspaceStore workspaces, SeatStore seats, LicenseStore licenses,
                         Clock clock, RetryPolicy retry) {
        this.members = Objects.requireNonNull(members);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.seats = Objects.requireNonNull(seats);
        this.licenses = Objects.requireNonNull(licenses);
        this.authorization = new Authorization(workspaces);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** A page of idle seats' holders with their usage (the seat in it), and the idle days that made them idle. */
    public record IdlePage(Memberships.Listed listed, int idleDays) {}

    /**
     * The members whose license had no activation for the workspace's idle days, longest idle first. The index may
     * lag a moment behind a change: a holder whose license ended meanwhile is left out (the page may be shorter).
     */
    public IdlePage idleMembers(Caller caller, String workspaceId, int limit, String cursor) {
        return retry.run(() -> {
            authorization.member(caller, workspaceId);
            return idle(workspaceId, limit, cursor);
        });
    }

    private IdlePage idle(String workspaceId, int limit, String cursor) {
        SeatPolicy policy = seats.policy(workspaceId);
        SeatStore.SeatPage page = seats.idleSeats(workspaceId,
                clock.instant().minus(Duration.ofDays(policy.idleDays())), limit, cursor);
        Map<String, Member> holders = page.seats().isEmpty() ? Map.of()
                : workspaces.findMembers(workspaceId, page.seats().stream().map(Seat::memberId).toList());
        List<Member> shown = new ArrayList<>();
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (Seat seat : page.seats()) {
            Member holder = holders.get(seat.memberId());
            if (holder == null || holder.status() == MemberStatus.REMOVED || !holder.holdings().licensed()) {
                continue;
            }
            shown.add(holder);
            Usage last = seat.lastActivation();
            usage.put(seat.memberId(), last == null
                    ? new Usage(seat.memberId(), null, null, null, null, Map.of(), seat.lastActivity())
                    : new Usage(seat.memberId(), last.at(), last.machineId(), last.system(), last.credential(),
                    last.activationsPerMonth(), seat.lastActivity()));
        }
        return new IdlePage(new Memberships.Listed(new Page<>(shown, page.next()), usage), policy.idleDays());
    }

    /** One page of an export: its CSV text (the header row on the first page only) and where the next starts. */
    public record CsvPage(String text, String nextCursor) {}

    /**
     * A page of the members export: the list's rows (REMOVED ones with {@code includeRemoved}; idle seats only with
     * {@code idleOnly}), as {@link #MEMBER_COLUMNS}.
     */
    public CsvPage membersCsv(Caller caller, String workspaceId, boolean includeRemoved, boolean idleOnly, int limit,
                              String cursor) {
        return retry.run(() -> {
            Grant grant = authorization.member(caller, workspaceId);
            Memberships.Listed listed = idleOnly ? idle(workspaceId, limit, cursor).listed()
                    : members.memberships().listed(workspaceId, includeRemoved, limit, cursor);
            boolean masks = grant.access().allows(Permission.LEGACY_KEYS_MANAGE);
            Map<String, LegacyKey> keys = !masks ? Map.of() : licenses.findKeys(workspaceId, listed.page().items()
                    .stream().filter(m -> m.holdings().holdsKey()).map(m -> m.holdings().legacyKeyId()).toList());
            Instant now = clock.instant();
            StringBuilder text = new StringBuilder(cursor == null ? Csv.record(MEMBER_COLUMNS) : "");
            for (Member m : listed.page().items()) {
                Usage usage = listed.usage().get(m.memberId());
                text.append(Csv.record(memberRow(m, usage, masks ? keys.get(m.holdings().legacyKeyId()) : null, masks,
                        now)));
            }
            return new CsvPage(text.toString(), listed.page().nextCursor());
        });
    }

    static List<String> memberRow(Member m, Usage usage, LegacyKey key, boolean masks, Instant now) {
        Long idle = m.holdings().licensed() && usage != null ? usage.idleDays(now) : null;
        String legacyKey = !m.holdings().holdsKey() ? "" : masks && key != null ? key.shown() : "legacy key";
        return java.util.Arrays.asList(m.name(), m.email().value(), m.status().name(), m.access().role().name(),
                String.join(" ", m.access().permissionNames()), m.holdings().licensed() ? "yes" : "no",
                m.holdings().subscriptionId(), legacyKey,
                usage == null || usage.at() == null ? "" : usage.at().toString(), idle == null ? "" : idle.toString());
    }

    /** A page of the audit export, newest first, as {@link #AUDIT_COLUMNS}; needs {@code audit:read}. */
    public CsvPage auditCsv(Caller caller, String workspaceId, int limit, String cursor) {
        Page<AuditEntry> page = members.workspaces().audit(members.person(caller, workspaceId), workspaceId, limit, cursor);
        StringBuilder text = new StringBuilder(cursor == null ? Csv.record(AUDIT_COLUMNS) : "");
        for (AuditEntry e : page.items()) {
            StringBuilder details = new StringBuilder();
            new java.util.TreeMap<>(e.details()).forEach((k, v) -> {
                if (!v.isEmpty()) {
                    details.append(details.isEmpty() ? "" : "; ").append(k).append('=').append(v);
                }
            });
            text.append(Csv.record(java.util.Arrays.asList(e.at().toString(), e.actorEmail(), e.actorId(), e.action(),
                    e.target(), details.toString())));
        }
        return new CsvPage(text.toString(), page.nextCursor());
    }
}
