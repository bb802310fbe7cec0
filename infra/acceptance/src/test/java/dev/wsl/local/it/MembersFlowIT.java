package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The members capability end to end: real handlers, real emulator, mail read back from it. */
@ExtendWith(LocalRuntimeExtension.class)
class MembersFlowIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private Api.User admin;
    private String ws;
    private String suffix;

    MembersFlowIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
    }

    @BeforeEach
    void workspace() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = api.user("admin-" + suffix + "@example.com");
        ws = api.createWorkspace(admin, "Flow " + suffix);
    }

    private Api.User person(String name) {
        return api.user(name + "-" + suffix + "@example.com");
    }

    @Test
    void inviteEmailAccept_shouldMakeAnActiveMember_withTheUsernameReplacingThePlaceholder() {
        Api.User jane = person("jane");

        Api.Response invited = api.invite(admin, ws, "Jane Placeholder", jane.email()).expect(202);
        assertThat(invited.text("status")).isEqualTo("INVITED");
        assertThat(invited.json().get("invitation").get("delivery").asText()).isEqualTo("PENDING");
        assertThat(api.mailTo(jane.email())).isEmpty();

        assertThat(api.deliverMail()).isPositive();
        var mails = api.mailTo(jane.email());
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).subject()).contains("Flow " + suffix);
        assertThat(mails.get(0).body()).contains("Jane Placeholder").contains("/accept-invitation#token=");
        String token = api.latestInvitationToken(jane.email());

        Api.Response detail = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + invited.text("id"), null)
                .expect(200);
        assertThat(detail.json().get("invitation").get("delivery").asText()).isEqualTo("SENT");
        assertThat(detail.raw()).doesNotContain(token);

        Api.Response accepted = api.accept(jane, token).expect(200);
        assertThat(accepted.text("workspaceId")).isEqualTo(ws);
        assertThat(accepted.text("status")).isEqualTo("ACTIVE");

        JsonNode member = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + invited.text("id"), null)
                .expect(200).json();
        assertThat(member.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(member.get("name").asText()).isEqualTo(jane.name());
        assertThat(member.has("invitation")).isFalse();
        // The new member can now read the workspace; the link is spent.
        api.call(jane, "GET", "/workspaces/" + ws + "/members", null).expect(200);
        assertThat(api.accept(jane, token).status()).isEqualTo(404);
    }

    @Test
    void invite_shouldAnswerTheSame_whetherOrNotTheEmailHasAnAccount() {
        Api.User existing = person("existing");
        String other = api.createWorkspace(admin, "Other " + suffix);
        api.addActiveMember(admin, other, existing);

        Api.Response forAccount = api.invite(admin, ws, "Someone", existing.email()).expect(202);
        Api.Response forStranger = api.invite(admin, ws, "Someone", "stranger-" + suffix + "@example.com").expect(202);

        assertThat(fieldNames(forAccount.json())).isEqualTo(fieldNames(forStranger.json()));
        assertThat(forAccount.json().get("invitation")).isNotNull();
        for (String field : List.of("status", "name", "role", "permissions")) {
            assertThat(forAccount.json().get(field)).isEqualTo(forStranger.json().get(field));
        }
        assertThat(forAccount.contentType()).isEqualTo(forStranger.contentType());
    }

    @Test
    void accept_shouldRefuseForeignEmail_andLeaveTheInvitationPending() {
        Api.User jane = person("jane");
        Api.User mallory = person("mallory");
        String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");
        api.deliverMail();
        String token = api.latestInvitationToken(jane.email());

        Api.Response refused = api.accept(mallory, token).expect(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.text("type")).isEqualTo("urn:problem:wsl:invitation-email-mismatch");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + memberId, null).text("status"))
                .isEqualTo("INVITED");
        api.call(mallory, "GET", "/workspaces/" + ws, null).expect(404);

        api.accept(jane, token).expect(200);
    }

    @Test
    void accept_shouldRefuseExpiredLinks_andLeaveTheInvitationAsItWas() {
        Api.User jane = person("jane");
        String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");
        api.deliverMail();
        String token = api.latestInvitationToken(jane.email());
        runtime.dynamoDb().updateItem(UpdateItemRequest.builder().tableName(runtime.tableName())
                .key(Map.of("PK", AttributeValue.fromS("WS#" + ws), "SK", AttributeValue.fromS("MEMBER#" + memberId)))
                .updateExpression("SET inviteExpiresAt = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromS("2020-01-01T00:00:00Z"))).build());

        assertThat(api.accept(jane, token).expect(410).text("type")).isEqualTo("urn:problem:wsl:invitation-expired");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + memberId, null).text("status"))
                .isEqualTo("INVITED");

        // A resend gives a fresh link that works.
        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + memberId + "/invitation", null).expect(202);
        api.deliverMail();
        api.accept(jane, api.latestInvitationToken(jane.email())).expect(200);
    }

    @Test
    void resend_shouldSupersedeEarlierLinks() {
        Api.User jane = person("jane");
        String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");
        api.deliverMail();
        String first = api.latestInvitationToken(jane.email());

        Api.Response resent = api.call(admin, "POST", "/workspaces/" + ws + "/members/" + memberId + "/invitation",
                "{\"expiresInDays\": 3}").expect(202);
        assertThat(resent.json().get("invitation").get("delivery").asText()).isEqualTo("PENDING");
        api.deliverMail();
        assertThat(api.mailTo(jane.email())).hasSize(2);
        String second = api.latestInvitationToken(jane.email());

        assertThat(second).isNotEqualTo(first);
        assertThat(api.accept(jane, first).expect(404).text("type")).isEqualTo("urn:problem:wsl:invitation-not-found");
        api.accept(jane, second).expect(200);
    }

    @Test
    void remove_shouldHideTheMember_revokeAccess_andAllowReinvitation() {
        Api.User jane = person("jane");
        String memberId = api.addActiveMember(admin, ws, jane);

        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + memberId, null).expect(200);

        assertThat(api.allMembers(admin, ws, false)).extracting(m -> m.get("id").asText()).doesNotContain(memberId);
        assertThat(api.allMembers(admin, ws, true)).filteredOn(m -> m.get("id").asText().equals(memberId))
                .singleElement().satisfies(m -> assertThat(m.get("status").asText()).isEqualTo("REMOVED"));
        api.call(jane, "GET", "/workspaces/" + ws + "/members", null).expect(404);

        // "Resend Invitation" on a removed member invites them again.
        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + memberId + "/invitation", null).expect(202);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + memberId, null).text("status"))
                .isEqualTo("INVITED");
        api.deliverMail();
        api.accept(jane, api.latestInvitationToken(jane.email())).expect(200);
        api.call(jane, "GET", "/workspaces/" + ws + "/members", null).expect(200);
    }

    @Test
    void invite_shouldRefuseAnEmailAlreadyInvitedOrActive_butReinviteARemovedOne() {
        Api.User jane = person("jane");
        String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");

        Api.Response again = api.invite(admin, ws, "Jane again", jane.email().toUpperCase()).expect(409);
        assertThat(again.text("memberId")).isEqualTo(memberId);

        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + memberId, null).expect(200);
        Api.Response reinvited = api.invite(admin, ws, "Jane R.", jane.email()).expect(202);
        assertThat(reinvited.text("id")).isEqualTo(memberId);
        assertThat(reinvited.text("name")).isEqualTo("Jane R.");
    }

    @Test
    void access_shouldSetRolesAndPermissions_andAlwaysKeepOneAdmin() {
        Api.User bob = person("bob");
        String bobId = api.addActiveMember(admin, ws, bob);
        String adminId = api.call(admin, "GET", "/workspaces/" + ws, null).expect(200)
                .json().get("you").get("memberId").asText();

        assertThat(api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + adminId + "/access",
                "{\"role\":\"MEMBER\"}").expect(409).text("type")).isEqualTo("urn:problem:wsl:last-admin");
        assertThat(api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + adminId, null)
                .expect(409).text("type")).isEqualTo("urn:problem:wsl:last-admin");

        Api.Response auditor = api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + bobId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"audit:read\"]}").expect(200);
        assertThat(auditor.json().get("permissions").toString()).isEqualTo("[\"audit:read\"]");
        api.call(bob, "GET", "/workspaces/" + ws + "/audit", null).expect(200);
        api.call(bob, "POST", "/workspaces/" + ws + "/members",
                "{\"name\":\"X\",\"email\":\"x-" + suffix + "@example.com\"}").expect(403);

        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + bobId + "/access", "{\"role\":\"ADMIN\"}")
                .expect(200);
        api.call(bob, "PUT", "/workspaces/" + ws + "/members/" + adminId + "/access", "{\"role\":\"MEMBER\"}")
                .expect(200);
        api.call(admin, "GET", "/workspaces/" + ws + "/audit", null).expect(403);
        assertThat(api.call(bob, "DELETE", "/workspaces/" + ws + "/members/" + bobId, null).status()).isEqualTo(409);
    }

    @Test
    void list_shouldPageWithAnOpaqueCursor_boundedPageSize_andNoDuplicates() {
        for (int i = 0; i < 23; i++) {
            api.invite(admin, ws, "Person " + i, "p" + i + "-" + suffix + "@example.com").expect(202);
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.call(admin, "GET", "/workspaces/" + ws + "/members?limit=5"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).expect(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(5);
            page.json().get("items").forEach(m -> seen.add(m.get("id").asText()));
            cursor = page.json().has("nextCursor") ? page.text("nextCursor") : null;
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(seen).hasSize(24).doesNotHaveDuplicates();
        assertThat(pages).isBetween(5, 6);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members?limit=101", null).status()).isEqualTo(400);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members?cursor=bm90LWEtY3Vyc29y", null).status())
                .isEqualTo(400);
    }

    @Test
    void audit_shouldRecordEveryChange_withWhoWhatAndWhen() {
        Api.User jane = person("jane");
        String memberId = api.addActiveMember(admin, ws, jane);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + memberId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"members:invite\"]}").expect(200);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + memberId, null).expect(200);
        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + memberId + "/invitation", null).expect(202);

        JsonNode items = api.call(admin, "GET", "/workspaces/" + ws + "/audit", null).expect(200).json().get("items");
        List<String> actions = new java.util.ArrayList<>();
        items.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).containsExactly("invitation.resent", "member.removed", "member.access-changed",
                "invitation.accepted", "member.invited", "workspace.created");
        JsonNode accepted = items.get(3);
        assertThat(accepted.get("actor").get("email").asText()).isEqualTo(jane.email());
        assertThat(accepted.get("target").asText()).isEqualTo(memberId);
        assertThat(accepted.get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(items.get(2).get("actor").get("email").asText()).isEqualTo(admin.email());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
    }
}
