package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The counting rules of PRODUCT.md section 4, as deltas of single changes. */
class SeatChangeTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static Member member(Holdings holdings) {
        return Member.builder().workspaceId("ws_1").memberId("m_1").email(new EmailAddress("a@example.com")).name("A")
                .status(MemberStatus.ACTIVE).access(Access.MEMBER).userId("u1").invitedAt(NOW).invitedBy("u0")
                .acceptedAt(NOW).holdings(holdings).version(1).build();
    }

    private static LegacyKey key(String assignee) {
        return new LegacyKey("ws_1", "lk_1", "hash", "abc…yz", assignee, NOW, 1);
    }

    private static SeatTally delta(List<SeatChange.MemberChange> members, List<SeatChange.KeyChange> keys) {
        return new SeatChange("ws_1", members, keys, List.of()).delta();
    }

    private static SeatChange.MemberChange change(Holdings before, Holdings after) {
        Member m = member(before);
        return new SeatChange.MemberChange(m, m.withHoldings(after));
    }

    @Test
    void assigningALicense_toAMemberWithout_aKey_takesOneSeat() {
        assertThat(delta(List.of(change(Holdings.NONE, new Holdings(true, null))), List.of()))
                .isEqualTo(new SeatTally(1, 1, 0, 0, 0));
    }

    @Test
    void assigningALicense_toAKeyHolder_takesNoSeat_andCountsThemAsHoldingBoth() {
        assertThat(delta(List.of(change(new Holdings(false, "lk_1"), new Holdings(true, "lk_1"))), List.of()))
                .isEqualTo(new SeatTally(0, 1, 0, 0, 1));
    }

    @Test
    void unassigningTheLicense_ofAKeyHolder_keepsTheSeat() {
        assertThat(delta(List.of(change(new Holdings(true, "lk_1"), new Holdings(false, "lk_1"))), List.of()).inUse())
                .isZero();
        assertThat(delta(List.of(change(new Holdings(true, null), Holdings.NONE)), List.of()).inUse()).isEqualTo(-1);
    }

    @Test
    void importingAnUnassignedKey_holdsASeat_andAssigningItToAnUnlicensedMember_keepsOneSeat() {
        SeatChange imported = new SeatChange("ws_1", List.of(), List.of(new SeatChange.KeyChange(null, key(null))),
                List.of());
        assertThat(imported.delta()).isEqualTo(new SeatTally(1, 0, 0, 1, 0));
        assertThat(imported.newlyUnassigned()).containsExactly("abc…yz (lk_1)");

        SeatTally assign = delta(List.of(change(Holdings.NONE, new Holdings(false, "lk_1"))),
                List.of(new SeatChange.KeyChange(key(null), key("m_1"))));
        assertThat(assign).isEqualTo(new SeatTally(0, 0, 1, -1, 0));
    }

    @Test
    void assigningAnUnassignedKey_toALicensedMember_freesTheKeysSeat() {
        SeatTally d = delta(List.of(change(new Holdings(true, null), new Holdings(true, "lk_1"))),
                List.of(new SeatChange.KeyChange(key(null), key("m_1"))));
        assertThat(d).isEqualTo(new SeatTally(-1, 0, 1, -1, 1));
    }

    @Test
    void deletingTheKey_ofAMigratedMember_keepsTheirSeat_butAnUnassignedKeysSeatIsFreed() {
        assertThat(delta(List.of(change(new Holdings(true, "lk_1"), new Holdings(true, null))),
                List.of(new SeatChange.KeyChange(key("m_1"), null))).inUse()).isZero();
        assertThat(delta(List.of(), List.of(new SeatChange.KeyChange(key(null), null))))
                .isEqualTo(new SeatTally(-1, 0, 0, -1, 0));
    }

    @Test
    void removingAMemberHoldingBoth_freesExactlyOneSeat() {
        Member before = member(new Holdings(true, "lk_1"));
        SeatTally d = delta(List.of(new SeatChange.MemberChange(before, before.removed(NOW))),
                List.of(new SeatChange.KeyChange(key("m_1"), null)));
        assertThat(d).isEqualTo(new SeatTally(-1, -1, -1, 0, -1));
    }

    @Test
    void summaryReason_shouldNameTheUnassignedKeysHoldingTheSeats() {
        Subscription team = new Subscription("s1", "Team", 2, NOW, NOW.plusSeconds(3600), Subscription.Status.ACTIVE, 1);
        LicensePool full = new LicensePool("ws_1", Map.of("s1", team), 2, new SeatTally(2, 0, 0, 2, 0),
                new TreeSet<>(List.of("abc…yz (lk_1)", "def…xy (lk_2)")), 3);

        assertThat(full.free()).isZero();
        // Named (masked as shown now: keys stored under the earlier rule lose their first three characters) for
        // those who manage legacy keys; counted, never named, for everyone else.
        assertThat(full.blockedReason(true)).contains("No free seat").contains("2 unassigned legacy keys hold seats")
                .contains("…yz (lk_1)").contains("…xy (lk_2)").doesNotContain("abc").doesNotContain("def");
        assertThat(full.blockedReason()).contains("No free seat").contains("2 unassigned legacy keys hold seats")
                .doesNotContain("lk_1").doesNotContain("…");
        assertThat(new LicensePool("ws_1", Map.of("s1", team), 2, new SeatTally(1, 1, 0, 0, 0), new TreeSet<>(), 3)
                .blockedReason()).isNull();
        assertThat(LicensePool.empty("ws_1").blockedReason()).contains("no active subscription");
        assertThat(new LicensePool("ws_1", Map.of(), 1, new SeatTally(3, 3, 0, 0, 0), new TreeSet<>(), 1)
                .blockedReason()).contains("after a downgrade");
    }

    @Test
    void subscriptions_shouldCountSeatsOnlyWhileActiveAndUnexpired() {
        Subscription s = new Subscription("s1", "Team", 5, NOW, NOW.plusSeconds(60), Subscription.Status.ACTIVE, 1);
        assertThat(s.seatsAt(NOW)).isEqualTo(5);
        assertThat(s.seatsAt(NOW.plusSeconds(60))).isZero();
        assertThat(new Subscription("s1", "Team", 5, NOW, NOW.plusSeconds(60), Subscription.Status.EXPIRED, 2)
                .seatsAt(NOW)).isZero();
    }

    @Test
    void mask_shouldShowAtMostAQuarterOfTheKey() {
        assertThat(LegacyKey.mask("4e4ef4f3a2")).isEqualTo("…a2");
    }
}
