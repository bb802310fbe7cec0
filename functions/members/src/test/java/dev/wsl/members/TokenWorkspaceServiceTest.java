package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a user's auth token activates: the default, the user's choice, and that nothing else moves it. */
class TokenWorkspaceServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final TokenWorkspaceService tokens = new TokenWorkspaceService(stores.workspaces(), stores.credentials(),
            RetryPolicy.withoutPauses(3));
    private final AuthTokenService authTokens = new AuthTokenService(stores.credentials(), new FakeSealer(), clock,
            RetryPolicy.withoutPauses(3));
    private final Caller ada = Arrange.caller("ada@example.com");

    private String join(String ws, Caller who) {
        Member invited = members.invitations().invite(members.person(admins.get(ws), ws), ws, new Invitations.InviteCommand("P", who.email(),
                Access.MEMBER, Optional.empty()));
        String token = Secrets.newInvitationToken();
        new Arrange(stores, NOW).issueToken(invited, token);
        members.invitations().accept(who, token);
        return invited.memberId();
    }

    private final java.util.Map<String, Caller> admins = new java.util.HashMap<>();

    private String workspace(String name) {
        Caller owner = Arrange.caller("owner-" + name.toLowerCase(java.util.Locale.ROOT) + "@example.com");
        String ws = members.workspaces().createWorkspace(owner, name).workspace().workspaceId();
        admins.put(ws, owner);
        return ws;
    }

    @Test
    void theDefault_isTheFirstWorkspaceJoinedThemselves_andOnlyTheUserChangesIt() {
        String first = members.workspaces().createWorkspace(ada, "First").workspace().workspaceId();
        clock.advance(Duration.ofMinutes(1));
        String second = workspace("Second");
        join(second, ada);
        String third = members.workspaces().createWorkspace(ada, "Third").workspace().workspaceId();

        assertThat(tokens.view(ada).chosen()).isEqualTo(first);
        assertThat(stores.activatesIn(ada.userId())).as("the token's lookup item says the same").isEqualTo(first);

        TokenWorkspaceService.Choice chosen = tokens.choose(ada, second);
        assertThat(chosen.chosen()).isEqualTo(second);
        assertThat(chosen.options()).extracting(TokenWorkspaceService.Option::workspaceId)
                .containsExactlyInAnyOrder(first, second, third);
        assertThat(stores.activatesIn(ada.userId())).isEqualTo(second);

        // Rotation keeps the choice; joining more workspaces does not change it.
        authTokens.rotate(ada);
        join(workspace("Fourth"), ada);
        assertThat(stores.activatesIn(ada.userId())).isEqualTo(second);
        assertThat(tokens.view(ada).chosen()).isEqualTo(second);
    }

    @Test
    void aNewUsersFirstInvitation_isWhereTheirTokenActivates() {
        String ws = workspace("Team");
        join(ws, ada);
        assertThat(stores.activatesIn(ada.userId())).isEqualTo(ws);
    }

    @Test
    void onlyAWorkspaceOfTheCaller_canBeChosen() {
        members.workspaces().createWorkspace(ada, "Mine");
        String theirs = workspace("Theirs");
        assertThatThrownBy(() -> tokens.choose(ada, theirs)).isInstanceOfSatisfying(NotFound.class,
                e -> assertThat(e.slug()).isEqualTo("workspace-not-found"));
        assertThatThrownBy(() -> tokens.view(Arrange.caller("nobody@example.com"))).isInstanceOfSatisfying(
                NotFound.class, e -> assertThat(e.slug()).isEqualTo("no-auth-token"));
    }

    @Test
    void activatesIn_isTheChoiceWhenItLicenses_elseTheLicensedWorkspaceJoinedFirst() {
        String mine = members.workspaces().createWorkspace(ada, "Mine").workspace().workspaceId();
        clock.advance(Duration.ofMinutes(1));
        String team = workspace("Team");
        String memberId = join(team, ada);
        new Arrange(stores, NOW).seats(team, 3);
        new Arrange(stores, NOW).license(stores.workspaces().findMember(team, memberId).orElseThrow());

        TokenWorkspaceService.Choice c = tokens.view(ada);
        assertThat(c.chosen()).isEqualTo(mine);
        assertThat(c.activatesIn()).as("the choice gives no license: the licensed one").isEqualTo(team);
        assertThat(c.options()).filteredOn(TokenWorkspaceService.Option::licensed)
                .extracting(TokenWorkspaceService.Option::workspaceId).containsExactly(team);
    }

    @Test
    void activatesIn_isNowhereWithoutALicense_theChoiceWhenLicensed_andOtherwiseTheFirstJoinedOfTheLicensed() {
        // Team exists before Mine, but Ada joins it after she created Mine: joined first is not created first.
        String team = workspace("Team");
        clock.advance(Duration.ofMinutes(1));
        String mine = members.workspaces().createWorkspace(ada, "Mine").workspace().workspaceId();
        clock.advance(Duration.ofMinutes(1));
        String inTeam = join(team, ada);
        clock.advance(Duration.ofMinutes(1));
        String other = workspace("Other");
        join(other, ada);

        assertThat(tokens.view(ada).activatesIn()).as("licensed nowhere").isNull();

        Arrange arrange = new Arrange(stores, NOW);
        arrange.seats(mine, 3);
        arrange.seats(team, 3);
        String inMine = stores.workspaces().findGrant(mine, ada.userId()).orElseThrow().memberId();
        arrange.license(stores.workspaces().findMember(mine, inMine).orElseThrow());
        arrange.license(stores.workspaces().findMember(team, inTeam).orElseThrow());

        assertThat(tokens.choose(ada, team).activatesIn()).as("the choice, licensed there").isEqualTo(team);
        assertThat(tokens.choose(ada, other).activatesIn()).as("the choice gives none: the first joined of the licensed")
                .isEqualTo(mine);
    }
}
