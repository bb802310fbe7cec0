package dev.wsl.licenses;

import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Subscription;
import java.time.Instant;
import java.util.List;

/** Response bodies of the license routes. Keys appear only masked. */
final class LicenseViews {
    private LicenseViews() {}

    record SummaryView(List<PlanView> plans, long seats, long inUse, long free, long licensed,
                       LegacyKeysView legacyKeys, long membersWithLicenseAndKey, boolean canAssign, String reason) {}

    record PlanView(String subscriptionId, String plan, long seats, String periodStart, String periodEnd,
                    String status) {}

    record LegacyKeysView(long assigned, long unassigned, List<String> unassignedKeys) {}

    record HoldingView(String memberId, String status, boolean licensed, String legacyKeyId) {}

    record KeyView(String id, String masked, String assignee, String importedAt) {}

    record KeysView(List<KeyView> items) {}

    static SummaryView summary(LicensePool pool, Instant now) {
        List<PlanView> plans = pool.subscriptions().values().stream()
                .map(s -> new PlanView(s.subscriptionId(), s.plan(), s.seats(), s.periodStart().toString(),
                        s.periodEnd().toString(), s.status() == Subscription.Status.ACTIVE
                        && now.isBefore(s.periodEnd()) ? "ACTIVE" : "EXPIRED"))
                .toList();
        String reason = pool.blockedReason();
        return new SummaryView(plans, pool.seats(), pool.tally().inUse(), pool.free(), pool.tally().licensed(),
                new LegacyKeysView(pool.tally().keysAssigned(), pool.tally().keysUnassigned(),
                        List.copyOf(pool.unassignedKeys())),
                pool.tally().both(), reason == null, reason);
    }

    static HoldingView holding(Member m) {
        return new HoldingView(m.memberId(), m.status().name(), m.holdings().licensed(), m.holdings().legacyKeyId());
    }

    static KeyView key(LegacyKey k) {
        return new KeyView(k.keyId(), k.masked(), k.assigneeMemberId(), k.importedAt().toString());
    }
}
