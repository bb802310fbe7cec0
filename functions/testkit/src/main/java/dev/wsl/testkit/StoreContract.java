package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import java.time.Instant;
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
}
