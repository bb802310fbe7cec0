package dev.wsl.core.domain;

/**
 * The counters of a license pool, and how a change moves them. Seats in use are the
 * distinct members holding a license or a legacy key (a member holding both counts once)
 * plus the legacy keys assigned to nobody (PRODUCT.md section 4).
 *
 * <p>A change's effect is computed, never hand-written: the tally of the affected members
 * and keys after the change minus their tally before. The store adds that delta to the
 * stored counters in the same transaction as the change, so the counters always equal a
 * recount from the items.
 */
public record SeatTally(long inUse, long licensed, long keysAssigned, long keysUnassigned, long both) {
    public static final SeatTally ZERO = new SeatTally(0, 0, 0, 0, 0);

    /** What one member contributes. */
    public static SeatTally of(Holdings h) {
        return new SeatTally(h.occupiesSeat() ? 1 : 0, h.licensed() ? 1 : 0, h.holdsKey() ? 1 : 0, 0,
                h.licensed() && h.holdsKey() ? 1 : 0);
    }

    /** What one legacy key contributes on its own: only an unassigned key holds a seat by itself. */
    public static SeatTally ofKey(boolean exists, boolean assigned) {
        return exists && !assigned ? new SeatTally(1, 0, 0, 1, 0) : ZERO;
    }

    public SeatTally plus(SeatTally o) {
        return new SeatTally(inUse + o.inUse, licensed + o.licensed, keysAssigned + o.keysAssigned,
                keysUnassigned + o.keysUnassigned, both + o.both);
    }

    public SeatTally minus(SeatTally o) {
        return new SeatTally(inUse - o.inUse, licensed - o.licensed, keysAssigned - o.keysAssigned,
                keysUnassigned - o.keysUnassigned, both - o.both);
    }

    public boolean isZero() {
        return equals(ZERO);
    }
}
