package dev.wsl.licenses;

import dev.wsl.core.domain.SeatPolicy;

import dev.wsl.core.domain.CiKey;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.UsageHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response bodies of the license routes. Keys appear only masked. */
final class LicenseViews {
    private LicenseViews() {}

    /**
     * @param idle       the idle seats by the workspace's policy, as the scheduled job last counted them (issue 21)
     * @param seatPolicy the workspace's seat policy
     */
    record SummaryView(List<PlanView> plans, long seats, long inUse, long free, long licensed,
                       LegacyKeysView legacyKeys, long membersWithLicenseAndKey, boolean canAssign, String reason,
                       IdleView idle, PolicyView seatPolicy) {}

    /**
     * Idle seats: licenses without an activation for {@code days}; {@code count} as of {@code asOf} (the scheduled
     * job's last pass over the workspace), both absent before its first.
     */
    record IdleView(int days, Long count, String asOf) {}

    /** The seat policy; {@code noticeDays}: how long before reclaiming a license its holder is told. */
    record PolicyView(int idleDays, boolean reclaim, int reclaimDays, int noticeDays, String changedAt,
                      String changedBy) {}

    /**
     * What the next scheduled run ({@code runAt}) would do with the idle seats, longest idle first: {@code action}
     * NOTICE (tell the holder; reclaimed at {@code deadline} unless they activate), WAIT (told; reclaimed at
     * {@code deadline}), RECLAIM, or KEEP (a legacy key holds the seat).
     */
    record PreviewView(PolicyView policy, String runAt, List<PreviewItemView> items, String nextCursor) {}

    record PreviewItemView(String memberId, String name, String email, String idleSince, long idleDays,
                           String lastActivation, String action, String deadline, String noticedAt, String why) {}

    /**
     * @param name     plan and id, as SCIM names the subscription's license group
     * @param licensed licenses counted against the subscription (its license group's members)
     */
    record PlanView(String subscriptionId, String plan, long seats, String periodStart, String periodEnd,
                    String status, String name, long licensed) {}

    /** @param unassignedKeys the keys holding seats, masked: only for a caller who manages legacy keys (else absent) */
    record LegacyKeysView(long assigned, long unassigned, List<String> unassignedKeys) {}

    record HoldingView(String memberId, String status, boolean licensed, String legacyKeyId) {}

    record KeyView(String id, String masked, String assignee, String importedAt, UsageView lastActivation) {}

    /** The last activation, accurate to the hour; for CI keys also the activations per month (yyyy-MM). */
    record UsageView(String at, String machineId, String system, Map<String, Long> activationsPerMonth) {}

    /**
     * A CI key; {@code creator} (in the list) is who created it as they stand now: {@code status} ADMIN (an ACTIVE
     * admin), NOT_ADMIN (an ACTIVE member without the ADMIN role) or REMOVED (no longer an ACTIVE member), and
     * {@code noLongerAdmin} marks a key whose creator is not an admin now: the key keeps working (it is the
     * workspace's), and an admin decides whether to revoke it.
     */
    record CiKeyView(String id, String name, String hint, String createdAt, String createdBy, String status,
                     String revokedAt, UsageView lastActivation, CreatorView creator, String rotatedAt,
                     OverlapView previous) {}

    /** The old secret a rotation's overlap keeps valid until {@code until} (its hint only: it is not shown again). */
    record OverlapView(String hint, String until) {}

    record CreatorView(String id, String email, String name, String status, boolean noLongerAdmin) {}

    record CreatedCiKeyView(String id, String name, String key, String hint, String createdAt, String rotatedAt,
                            OverlapView previous, String note) {}

    record CiKeysView(List<CiKeyView> items) {}

    record KeysView(List<KeyView> items) {}

    /** The summary with the idle seats and the seat policy (issue 21). */
    static SummaryView summary(SeatService.Summary s, Instant now) {
        SummaryView v = summary(s.pool(), s.namesKeys(), now);
        SeatPolicy p = s.policy();
        boolean counted = p.idle().asOf() != null;
        return new SummaryView(v.plans(), v.seats(), v.inUse(), v.free(), v.licensed(), v.legacyKeys(),
                v.membersWithLicenseAndKey(), v.canAssign(), v.reason(), new IdleView(p.idleDays(),
                counted ? p.idle().over(p.idleDays()) : null, counted ? p.idle().asOf().toString() : null),
                policy(p, s.noticeDays()));
    }

    static PolicyView policy(SeatPolicy p, int noticeDays) {
        return new PolicyView(p.idleDays(), p.reclaim(), p.reclaimDays(), noticeDays,
                p.changedAt() == null ? null : p.changedAt().toString(), p.changedBy());
    }

    static PreviewView preview(SeatService.Preview preview, int noticeDays) {
        List<PreviewItemView> items = preview.items().stream().map(i -> new PreviewItemView(i.holder().memberId(),
                i.holder().name(), i.holder().email().value(), i.seat().lastActivity().toString(),
                i.seat().idleDays(preview.runAt()),
                i.seat().lastActivation() == null ? null : i.seat().lastActivation().at().toString(),
                i.decision().action().name(), i.decision().deadline() == null ? null : i.decision().deadline().toString(),
                i.seat().noticed() ? i.seat().notice().noticedAt().toString() : null, i.decision().why())).toList();
        return new PreviewView(policy(preview.policy(), noticeDays), preview.runAt().toString(), items,
                preview.nextCursor());
    }

    /**
     * A workspace's use per UTC day, oldest first: the seats in use and seats at the day's end (now, for today),
     * the distinct members who activated, and the seats that activated by kind of credential.
     */
    record UsageOverTimeView(String from, String to, List<UsageDayView> days) {}

    record UsageDayView(String date, long seatsInUse, long seats, long members, ActivationsView activations) {}

    record ActivationsView(long authToken, long ciKey, long legacyKey) {}

    static UsageOverTimeView usage(UsageHistory history) {
        return new UsageOverTimeView(history.from().toString(), history.to().toString(), history.days().stream()
                .map(d -> new UsageDayView(d.date().toString(), d.seatsInUse(), d.seats(), d.members(),
                        new ActivationsView(d.authTokens(), d.ciKeys(), d.legacyKeys()))).toList());
    }

    /** @param namesKeys whether the caller manages legacy keys (and so may see which keys hold seats, masked) */
    static SummaryView summary(LicensePool pool, boolean namesKeys, Instant now) {
        List<PlanView> plans = pool.subscriptions().values().stream()
                .map(s -> new PlanView(s.subscriptionId(), s.plan(), s.seats(), s.periodStart().toString(),
                        s.periodEnd().toString(), s.status() == Subscription.Status.ACTIVE
                        && now.isBefore(s.periodEnd()) ? "ACTIVE" : "EXPIRED", s.displayName(),
                        pool.licensedFrom(s.subscriptionId())))
                .toList();
        String reason = pool.blockedReason(namesKeys);
        return new SummaryView(plans, pool.seats(), pool.tally().inUse(), pool.free(), pool.tally().licensed(),
                new LegacyKeysView(pool.tally().keysAssigned(), pool.tally().keysUnassigned(),
                        namesKeys ? pool.unassignedKeysShown() : null),
                pool.tally().both(), reason == null, reason, null, null);
    }

    static HoldingView holding(Member m) {
        return new HoldingView(m.memberId(), m.status().name(), m.holdings().licensed(), m.holdings().legacyKeyId());
    }

    static KeyView key(LegacyKey k) {
        return key(k, null);
    }

    static KeyView key(LegacyKey k, Usage usage) {
        return new KeyView(k.keyId(), k.shown(), k.assigneeMemberId(), k.importedAt().toString(), usage(usage));
    }

    static CiKeyView ciKey(CiKey k, Usage usage) {
        return ciKey(k, usage, null);
    }

    static CiKeyView ciKey(CiKey k, Usage usage, CredentialStore.Creator creator) {
        return new CiKeyView(k.keyId(), k.name(), k.hint(), k.createdAt().toString(), k.createdBy(),
                k.revoked() ? "REVOKED" : "ACTIVE", k.revokedAt() == null ? null : k.revokedAt().toString(),
                usage(usage), creator == null ? null : new CreatorView(creator.userId(), creator.email(), creator.name(),
                        creator.isAdmin() ? "ADMIN" : creator.isMember() ? "NOT_ADMIN" : "REMOVED", !creator.isAdmin()),
                k.rotatedAt() == null ? null : k.rotatedAt().toString(), overlap(k));
    }

    static CreatedCiKeyView createdCiKey(CiKey k, String plaintext) {
        return new CreatedCiKeyView(k.keyId(), k.name(), plaintext, k.hint(), k.createdAt().toString(),
                k.rotatedAt() == null ? null : k.rotatedAt().toString(), overlap(k),
                "This is the only time the key is shown; store it as LOCALSTACK_AUTH_TOKEN in your CI's secrets.");
    }

    private static OverlapView overlap(CiKey k) {
        return k.previous() == null ? null : new OverlapView(k.previous().hint(), k.previous().until().toString());
    }

    private static UsageView usage(Usage u) {
        return u == null ? null : new UsageView(u.at() == null ? null : u.at().toString(), u.machineId(), u.system(),
                u.activationsPerMonth());
    }
}
