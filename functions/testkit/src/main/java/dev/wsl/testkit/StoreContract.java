package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** Common ground of every store contract: the stores under test and an arranger over them. */
public abstract class StoreContract {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    protected StoreSet stores;
    protected Arrange arrange;
    protected String suffix;

    /** The stores under test; the same instance for the whole test. */
    protected abstract StoreSet stores();

    @BeforeEach
    void arrange() {
        stores = stores();
        arrange = new Arrange(stores, NOW);
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    protected String email(String name) {
        return name + "-" + suffix + "@example.com";
    }

    protected Member member(Member m) {
        return stores.workspaces().findMember(m.workspaceId(), m.memberId()).orElseThrow();
    }

    protected void assertCountersEqualRecount(String workspaceId) {
        assertThat(stores.licenses().pool(workspaceId).tally()).as("stored counters vs recount")
                .isEqualTo(stores.recount(workspaceId));
    }

    protected Member provisioned(Arrange.Ws ws, String userName, String externalId, String email) {
        return Member.builder().workspaceId(ws.id()).memberId(Ids.newId("m", NOW.toEpochMilli()))
                .email(new dev.wsl.core.domain.EmailAddress(email)).name("Provisioned")
                .status(MemberStatus.INVITED).access(Access.MEMBER).invitedAt(NOW).invitedBy("scim")
                .provisioning(new dev.wsl.core.domain.Provisioning(userName, externalId, null, null)).build();
    }

    /** {@code n} members invited into the workspace, named {@code prefix0} and on, in order. */
    protected List<Member> inviteAll(Arrange.Ws ws, String prefix, int n) {
        List<Member> invited = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            invited.add(arrange.invite(ws, email(prefix + i)));
        }
        return invited;
    }

    /** Gives the member the key (arranged as theirs) with these holdings, in one seat change on the pool as it is. */
    protected void giveKey(Member m, LegacyKey key, Holdings holdings) {
        stores.licenses().apply(new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(m,
                m.withHoldings(holdings))), List.of(new SeatChange.KeyChange(null, key)), List.of()),
                stores.licenses().pool(m.workspaceId()));
    }
}
