package dev.wsl.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A change to who holds what in one workspace's license pool: members and legacy keys
 * before and after, plus the audit entries that describe it. Its effect on the seat
 * counters is derived ({@link #delta()}), so no operation can count wrongly on its own.
 */
public record SeatChange(String workspaceId, List<MemberChange> members, List<KeyChange> keys,
                         List<AuditEntry> audits) {

    /**
     * A member before and after; both have the same id.
     *
     * @param unusedSince when not null, the change applies only while the member's seat still has this last
     *                    activity ({@link Seat#lastActivity()}): nobody activated since it was read (the reclaim
     *                    policy's condition, issue 21); else the change fails as changed meanwhile
     */
    public record MemberChange(Member before, Member after, Instant unusedSince) {
        public MemberChange {
            if (!before.memberId().equals(after.memberId())) {
                throw new IllegalArgumentException("one member per change");
            }
            if (unusedSince != null && (!before.holdings().licensed() || after.holdings().licensed())) {
                throw new IllegalArgumentException("only the end of a license is conditioned on its seat's use");
            }
        }

        public MemberChange(Member before, Member after) {
            this(before, after, null);
        }

        /** Whether the member gets a license with this change. */
        public boolean startsLicense() {
            return !before.holdings().licensed() && after.holdings().licensed();
        }

        /** Whether the member's license ends with this change. */
        public boolean endsLicense() {
            return before.holdings().licensed() && !after.holdings().licensed();
        }
    }

    /**
     * When the change happens: the time of its audit entries (a license it gives is idle from then on), or the
     * given time for a change without any (none of the services makes one; tests arrange them).
     */
    public Instant at(Instant otherwise) {
        return audits.isEmpty() ? otherwise : audits.getFirst().at();
    }

    /** A key before (null: imported now) and after (null: deleted now). */
    public record KeyChange(LegacyKey before, LegacyKey after) {
        public KeyChange {
            if (before == null && after == null) {
                throw new IllegalArgumentException("a key change needs a key");
            }
        }

        String keyId() {
            return before != null ? before.keyId() : after.keyId();
        }
    }

    public SeatChange {
        Objects.requireNonNull(workspaceId);
        members = List.copyOf(members);
        keys = List.copyOf(keys);
        audits = List.copyOf(audits);
    }

    public SeatTally delta() {
        SeatTally delta = SeatTally.ZERO;
        for (MemberChange m : members) {
            delta = delta.plus(SeatTally.of(m.after().holdings())).minus(SeatTally.of(m.before().holdings()));
        }
        for (KeyChange k : keys) {
            delta = delta.plus(tally(k.after())).minus(tally(k.before()));
        }
        return delta;
    }

    /**
     * How many licenses each subscription gains (positive) or loses (negative): the per-subscription
     * counters of the pool (a subscription's license group) move by this, derived like {@link #delta()}.
     * Subscriptions whose count does not change are absent.
     */
    public java.util.SortedMap<String, Long> subscriptionDelta() {
        java.util.TreeMap<String, Long> out = new java.util.TreeMap<>();
        for (MemberChange m : members) {
            Holdings before = m.before().holdings();
            Holdings after = m.after().holdings();
            if (before.licensed() && before.subscriptionId() != null) {
                out.merge(before.subscriptionId(), -1L, Long::sum);
            }
            if (after.licensed() && after.subscriptionId() != null) {
                out.merge(after.subscriptionId(), 1L, Long::sum);
            }
        }
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** Display entries of keys that become unassigned (they start holding a seat by themselves). */
    public List<String> newlyUnassigned() {
        List<String> out = new ArrayList<>();
        for (KeyChange k : keys) {
            if (unassigned(k.after()) && !unassigned(k.before())) {
                out.add(display(k.after()));
            }
        }
        return out;
    }

    /** Display entries of keys that stop being unassigned (assigned or deleted). */
    public List<String> noLongerUnassigned() {
        List<String> out = new ArrayList<>();
        for (KeyChange k : keys) {
            if (unassigned(k.before()) && !unassigned(k.after())) {
                out.add(display(k.before()));
            }
        }
        return out;
    }

    /** How an unassigned key is named in the pool's summary and in refusals. */
    public static String display(LegacyKey key) {
        return key.masked() + " (" + key.keyId() + ")";
    }

    private static SeatTally tally(LegacyKey key) {
        return key == null ? SeatTally.ZERO : SeatTally.ofKey(true, key.assigned());
    }

    private static boolean unassigned(LegacyKey key) {
        return key != null && !key.assigned();
    }
}
