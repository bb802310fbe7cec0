package dev.wsl.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.json.Json;
import dev.wsl.licenses.LicenseService;
import dev.wsl.members.Invitations;
import dev.wsl.members.MemberService;
import dev.wsl.members.ProvisionedMembers;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The identity provider's side of who may be in a workspace (PRODUCT.md section 11), through {@link ScimApi},
 * {@link ScimGroups} and {@link ScimTokenService} on the in-memory stores: the token stops with its creator's
 * ADMIN, the Admins group cannot take ADMIN from more than one admin per request or a second within the hour
 * (held, as the mass-revocation guard holds), and a member a person removed stays out of the Members group.
 */
class ScimTrustTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final RetryPolicy retry = RetryPolicy.withoutPauses(3);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), retry);
    private final ScimTokenService tokens = new ScimTokenService(stores.scim(), new Authorization(stores.workspaces()),
            clock, retry);
    private final ScimGroups groups = new ScimGroups(members.identityProvider(),
            new LicenseService(stores.workspaces(), stores.licenses(), clock, retry), stores.licenses(), stores.scim(), tokens, new ScimGroups.Guard(5, 20),
            clock, retry);
    private final IdpGroups idpGroups = new IdpGroups(stores.scim(), groups, members.identityProvider(),
            stores.workspaces(),
            stores.licenses(), tokens, clock, retry);
    private final ScimApi api = new ScimApi(members.identityProvider(), groups, idpGroups, stores.workspaces(),
            stores.scim(), clock, retry);
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    private Member activeAdmin(String email) {
        Member invited = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Placeholder",
                new EmailAddress(email), Access.ADMIN, Optional.empty()));
        String token = Secrets.newInvitationToken();
        new Arrange(stores, NOW).issueToken(stores.workspaces().findMember(ws, invited.memberId()).orElseThrow(), token);
        return members.invitations().accept(Arrange.caller(email), token);
    }

    private Member stored(String memberId) {
        return stores.workspaces().findMember(ws, memberId).orElseThrow();
    }

    private ScimApi.Response send(String routeKey, String id, String body) {
        return api.handle(new ScimApi.Request(routeKey, id == null ? Map.of() : Map.of("id", id), Map.of(),
                body == null ? null : Json.parse(body), "https://scim.test/scim/v2", ws));
    }

    private static String removeMembers(String... ids) {
        StringBuilder values = new StringBuilder();
        for (String id : ids) {
            values.append(values.isEmpty() ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        return "{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members\","
                + "\"value\":[" + values + "]}]}";
    }

    private static final String DEACTIVATE = "{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":["
            + "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}";

    @Test
    void aTokenWhoseCreatorWasRemoved_isRefusedLikeARevokedOne_andItsViewSaysWhy() {
        // given Eve, an admin, created the token
        Member eve = activeAdmin("eve@example.com");
        String plaintext = tokens.regenerate(Arrange.caller("eve@example.com"), ws).plaintext();
        assertThat(tokens.authenticate("Bearer " + plaintext)).isEqualTo(ws);

        // when the admin removes her
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // then the token is refused, and the admins' view says why and offers a new one (regenerate works)
        assertThatThrownBy(() -> tokens.authenticate("Bearer " + plaintext)).isInstanceOf(Unauthenticated.class);
        ScimToken view = tokens.view(admin, ws);
        assertThat(view.works()).isFalse();
        assertThat(view.stopped().reason()).isEqualTo(ScimToken.Reason.CREATOR_REMOVED);
        String fresh = tokens.regenerate(admin, ws).plaintext();
        assertThat(tokens.authenticate("Bearer " + fresh)).isEqualTo(ws);
        assertThat(tokens.view(admin, ws).works()).isTrue();
    }

    @Test
    void aRemovedAdmin_cannotCreateAToken() {
        // given Eve removed
        Member eve = activeAdmin("eve@example.com");
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // then her request to create the token finds no workspace
        assertThatThrownBy(() -> tokens.regenerate(Arrange.caller("eve@example.com"), ws))
                .isInstanceOf(dev.wsl.core.failure.NotFound.class);
        assertThat(stores.scim().token(ws)).isEmpty();
    }

    @Test
    void takingAdminFromTwoAdminsInOneRequest_isHeld_andChangesNothing_untilAnAdminConfirms() {
        // given two appointed admins besides the creator
        Member a = activeAdmin("a@example.com");
        Member b = activeAdmin("b@example.com");

        // when the Admins group loses both in one request
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", "admins", removeMembers(a.memberId(), b.memberId())))
                .isInstanceOfSatisfying(Conflict.class, e -> {
                    assertThat(e.slug()).isEqualTo("change-held");
                    assertThat(e.detail()).contains("take ADMIN from 2 admins at once", "nothing was changed");
                });

        // then both are admins still, and a held change waits; confirmed, it is applied as the admin
        assertThat(stored(a.memberId()).isActiveAdmin()).isTrue();
        assertThat(stored(b.memberId()).isActiveAdmin()).isTrue();
        List<PendingChange> pending = groups.held().pending(admin, ws);
        assertThat(pending).hasSize(1);
        assertThat(pending.getFirst().remove()).containsExactlyInAnyOrder(a.memberId(), b.memberId());
        HeldChanges.Confirmed confirmed = groups.held().confirm(admin, ws, pending.getFirst().changeId());
        assertThat(confirmed.removed()).isEqualTo(2);
        assertThat(stored(a.memberId()).access()).isEqualTo(Access.MEMBER);
        assertThat(stored(b.memberId()).roleFromScim()).as("an admin's decision").isFalse();
    }

    @Test
    void aSecondAdminLossWithinTheHour_isHeld_whetherByTheAdminsGroupOrADeactivation() {
        // given three appointed admins besides the creator
        Member a = activeAdmin("a@example.com");
        Member b = activeAdmin("b@example.com");
        Member c = activeAdmin("c@example.com");

        // when the Admins group loses one: applied
        assertThat(send("PATCH /scim/v2/Groups/{id}", "admins", removeMembers(a.memberId())).status()).isEqualTo(204);
        assertThat(stored(a.memberId()).access()).isEqualTo(Access.MEMBER);

        // when, 30 minutes later, another loses ADMIN by the Admins group, and a third is deactivated
        clock.advance(Duration.ofMinutes(30));
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", "admins", removeMembers(b.memberId())))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail()).contains("held for an admin's "
                        + "confirmation", b.memberId()));
        assertThatThrownBy(() -> send("PATCH /scim/v2/Users/{id}", c.memberId(), DEACTIVATE))
                .isInstanceOfSatisfying(Conflict.class, e -> {
                    assertThat(e.slug()).isEqualTo("change-held");
                    assertThat(e.detail()).contains("within an hour");
                });

        // then neither is applied; both wait for an admin (the deactivation as a removal from Members)
        assertThat(stored(b.memberId()).isActiveAdmin()).isTrue();
        assertThat(stored(c.memberId()).status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(groups.held().pending(admin, ws)).extracting(PendingChange::groupId, p -> p.remove().getFirst())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("admins", b.memberId()),
                        org.assertj.core.groups.Tuple.tuple("members", c.memberId()));
        // and the IdP's retry meets the same held change, not a second one
        assertThatThrownBy(() -> send("PATCH /scim/v2/Users/{id}", c.memberId(), DEACTIVATE))
                .isInstanceOf(Conflict.class);
        assertThat(groups.held().pending(admin, ws)).hasSize(2);
    }

    @Test
    void theMembersGroup_cannotBringBackAMemberAPersonRemoved_andSaysWhy() {
        // given a user the identity provider created, then removed by the admin
        String email = "ada@example.com";
        JsonNode created = send("POST /scim/v2/Users", null, "{\"userName\":\"" + email + "\"}").body();
        String id = created.get("id").asText();
        members.memberships().remove(members.person(admin, ws), ws, id);

        // when the IdP adds them to the Members group
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", "members", "{\"schemas\":[\"" + ScimSchemas.PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}]}"))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail())
                        .contains("1 member was not changed", "removed from the workspace by admin@example.com"));
        // or sets it active, then it is refused as a SCIM 403 naming the removal
        assertThatThrownBy(() -> send("PATCH /scim/v2/Users/{id}", id, "{\"schemas\":[\"" + ScimSchemas.PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":true}]}"))
                .isInstanceOf(Forbidden.class);
        assertThat(stored(id).status()).isEqualTo(MemberStatus.REMOVED);
    }

    // ------------------------------------------------------------------ IdP groups mapped to a fixed group (issue 18)

    private static String addMembers(String... ids) {
        return removeMembers(ids).replace("\"op\":\"remove\"", "\"op\":\"add\"");
    }

    /** An IdP group with these members, mapped by the admin to {@code mapping}; its id. */
    private String idpGroup(String name, String mapping, String... memberIds) {
        StringBuilder values = new StringBuilder();
        for (String id : memberIds) {
            values.append(values.isEmpty() ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        String id = send("POST /scim/v2/Groups", null, "{\"displayName\":\"" + name + "\",\"members\":[" + values
                + "]}").body().get("id").asText();
        idpGroups.mappings().map(admin, ws, id, mapping);
        return id;
    }

    private String provisioned(String email) {
        return send("POST /scim/v2/Users", null, "{\"userName\":\"" + email + "\"}").body().get("id").asText();
    }

    @Test
    void anIdpGroupMappedToMembers_cannotBringBackAMemberAPersonRemoved_untilAnAdminAllowsIt_andThenOnlyAsAMember() {
        // given a user the identity provider created, made an admin, then removed by the admin
        String id = provisioned("ada@example.com");
        String staff = idpGroup("Staff", dev.wsl.core.domain.ScimGroup.MEMBERS);
        members.memberships().setAccess(members.person(admin, ws), ws, id, Access.ADMIN);
        members.memberships().remove(members.person(admin, ws), ws, id);

        // when the IdP adds them to its group mapped to Members: refused with the removal's reason, as Members does
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", staff, addMembers(id)))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail())
                        .contains("1 member was not changed", "removed from the workspace by admin@example.com"));
        assertThat(stored(id).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(stored(id).removalSticks()).isTrue();
        assertThat(idpGroups.contains(ws, staff, id)).as("the IdP's group keeps who it says").isTrue();

        // when an admin allows provisioning again, the IdP's retry brings them back, starting from nothing
        members.memberships().allowProvisioning(members.person(admin, ws), ws, id);
        assertThat(send("PATCH /scim/v2/Groups/{id}", staff, addMembers(id)).status()).isEqualTo(204);
        assertThat(stored(id).status()).isEqualTo(MemberStatus.INVITED);
        assertThat(stored(id).access()).isEqualTo(Access.MEMBER);
    }

    @Test
    void anIdpGroupMappedToAdmins_takingAdminFromTwoAdminsInOneRequestOrByItsDelete_isHeld_andChangesNothing() {
        // given two appointed admins in the IdP's group mapped to Admins
        Member a = activeAdmin("a@example.com");
        Member b = activeAdmin("b@example.com");
        String itAdmins = idpGroup("IT admins", dev.wsl.core.domain.ScimGroup.ADMINS, a.memberId(), b.memberId());

        // when the IdP takes both out of its group in one request, or deletes the group
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", itAdmins, removeMembers(a.memberId(), b.memberId())))
                .isInstanceOfSatisfying(Conflict.class, e -> {
                    assertThat(e.slug()).isEqualTo("change-held");
                    assertThat(e.detail()).contains("take ADMIN from 2 admins at once", "nothing was changed");
                });
        assertThatThrownBy(() -> send("DELETE /scim/v2/Groups/{id}", itAdmins, null))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("change-held"));

        // then both are admins still, the group keeps both, and one change waits for an admin (the IdP's retry meets it)
        assertThat(stored(a.memberId()).isActiveAdmin()).isTrue();
        assertThat(stored(b.memberId()).isActiveAdmin()).isTrue();
        assertThat(idpGroups.allMembers(ws, itAdmins)).containsExactlyInAnyOrder(a.memberId(), b.memberId());
        assertThat(groups.held().pending(admin, ws)).singleElement().satisfies(p -> {
            assertThat(p.groupId()).isEqualTo("admins");
            assertThat(p.remove()).containsExactlyInAnyOrder(a.memberId(), b.memberId());
        });
    }

    @Test
    void anAdminLossThroughAnIdpGroup_countsInTheHourOfTheFixedAdminsGroup() {
        // given three appointed admins, two of them in the IdP's group mapped to Admins
        Member a = activeAdmin("a@example.com");
        Member b = activeAdmin("b@example.com");
        String itAdmins = idpGroup("IT admins", dev.wsl.core.domain.ScimGroup.ADMINS, a.memberId());

        // when the IdP takes one out of its group: applied, as the identity provider's decision
        assertThat(send("PATCH /scim/v2/Groups/{id}", itAdmins, removeMembers(a.memberId())).status()).isEqualTo(204);
        assertThat(stored(a.memberId()).access()).isEqualTo(Access.MEMBER);

        // then a second loss within the hour, by the fixed Admins group, is held
        clock.advance(Duration.ofMinutes(30));
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", "admins", removeMembers(b.memberId())))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail()).contains("held for an admin's "
                        + "confirmation", b.memberId()));
        assertThat(stored(b.memberId()).isActiveAdmin()).isTrue();
    }

    @Test
    void anIdpGroupMappedToALicense_doesNotLicenseAMemberAwaitingJoin_reportsIt_andKeepsThemInTheGroup() {
        // given seats, and a person the IdP provisioned outside any verified domain (they have not joined)
        String sub = new Arrange(stores, NOW).seats(ws, 5).subscriptions().keySet().iterator().next();
        String pat = provisioned("pat@example.com");
        String licensed = idpGroup("Licensed", dev.wsl.core.domain.ScimGroup.license(sub));

        // when the IdP adds them to its group mapped to the license
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", licensed, addMembers(pat)))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail())
                        .contains("Applied 0 of 1 membership changes", "Waiting for the person to join", "pat@example.com"));

        // then they hold no license, and stay in the IdP's group
        assertThat(stored(pat).holdings().licensed()).isFalse();
        assertThat(idpGroups.contains(ws, licensed, pat)).isTrue();
        // an admin's mapping of a group holding such a person reports them the same way
        String later = provisioned("lee@example.com");
        String other = send("POST /scim/v2/Groups", null, "{\"displayName\":\"Later\",\"members\":[{\"value\":\""
                + later + "\"}]}").body().get("id").asText();
        IdpGroupMappings.Mapped mapped = idpGroups.mappings().map(admin, ws, other, dev.wsl.core.domain.ScimGroup.license(sub));
        assertThat(mapped.notApplied()).containsOnlyKeys(later);
        assertThat(mapped.notApplied().get(later)).contains("Waiting for the person to join");
        assertThat(stored(later).holdings().licensed()).isFalse();

        // once the workspace verified the domain, the IdP's retry licenses them (they join at first sign-in)
        new Arrange(stores, NOW).verifiedDomain(ws, "example.com");
        assertThat(send("PATCH /scim/v2/Groups/{id}", licensed, addMembers(pat)).status()).isEqualTo(204);
        assertThat(stored(pat).holdings().licensedFrom(sub)).isTrue();
    }

    @Test
    void anIdpGroupsDisplayNameAndExternalId_areHeldToTheTextRule_andABadOneChangesNothing() {
        for (String body : List.of("{\"displayName\":\"IT\\u202E support\"}", "{\"displayName\":\"IT\\u200B\"}",
                "{\"displayName\":\"" + "x".repeat(ScimGroup.MAX_DISPLAY_NAME + 1) + "\"}", "{\"displayName\":\" \"}",
                "{\"displayName\":\"Ops\",\"externalId\":\"00g\\u2028x\"}",
                "{\"displayName\":\"Ops\",\"externalId\":\"00g\\u0000\"}")) {
            assertThatThrownBy(() -> send("POST /scim/v2/Groups", null, body)).as(body)
                    .isInstanceOfSatisfying(dev.wsl.core.failure.InvalidInput.class,
                            e -> assertThat(ScimErrors.scimType(e)).isEqualTo("invalidValue"));
        }
        assertThat(stores.scim().groupCount(ws)).isZero();

        // a PATCH of a mapped group whose new name breaks the rule gives its new member nothing either
        String sub = new Arrange(stores, NOW).seats(ws, 5).subscriptions().keySet().iterator().next();
        new Arrange(stores, NOW).verifiedDomain(ws, "example.com");
        String pat = provisioned("pat@example.com");
        String licensed = idpGroup("Licensed", dev.wsl.core.domain.ScimGroup.license(sub));
        String patch = "{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\","
                + "\"path\":\"displayName\",\"value\":\"Licensed\\u0007\"},{\"op\":\"add\",\"path\":\"members\","
                + "\"value\":[{\"value\":\"" + pat + "\"}]}]}";
        assertThatThrownBy(() -> send("PATCH /scim/v2/Groups/{id}", licensed, patch))
                .isInstanceOf(dev.wsl.core.failure.InvalidInput.class);
        assertThat(stored(pat).holdings().licensed()).isFalse();
        assertThat(idpGroups.contains(ws, licensed, pat)).isFalse();
        assertThat(idpGroups.group(ws, licensed).displayName()).isEqualTo("Licensed");
    }
}
