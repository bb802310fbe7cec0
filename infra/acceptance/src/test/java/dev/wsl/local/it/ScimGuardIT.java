package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mass-revocation guard (template parameters {@code ScimGuardMinimum} 5 and {@code ScimGuardPercent} 20):
 * an empty group pushed to a 30-member license group changes nothing, is held once however often the IdP
 * retries it, and is applied in full when an admin confirms it; a discarded one changes nothing; requests
 * under the threshold are applied at once.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimGuardIT {
    private static final Pattern CHANGE_ID = Pattern.compile("(chg_[0-9a-z]{26})");

    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimGuardIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    /** A workspace with a 40-seat subscription whose license group holds the admin and 29 provisioned users. */
    private record Setup(Licenses.Licensed w, String token, String group, List<String> users) {}

    private Setup thirtyInTheGroup(String label) {
        Licenses.Licensed w = licenses.licensedWorkspace(label);
        licenses.changeSeats(w.ws(), "sub_" + w.suffix(), 40, 2);
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        List<String> users = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 29; i++) {
            String email = "g" + i + "-" + w.suffix() + "@example.com";
            users.add(scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id"));
            values.append(i == 0 ? "" : ",").append("{\"value\":\"").append(users.get(i)).append("\"}");
        }
        String group = "license_sub_" + w.suffix();
        scim.call(token, "PATCH", "/scim/v2/Groups/" + group, Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + values + "]}")).expect(204);
        assertThat(groupMembers(token, group)).hasSize(30);
        return new Setup(w, token, group, users);
    }

    @Test
    void anEmptyGroupPushed_changesNothingUntilConfirmed_thenAppliesInFull() {
        Setup s = thirtyInTheGroup("Guard");
        String before = state(s);
        String emptyGroup = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Team (sub_"
                + s.w().suffix() + ")\",\"members\":[]}";

        Api.Response held = scim.call(s.token(), "PUT", "/scim/v2/Groups/" + s.group(), emptyGroup);
        Scim.assertError(held, 409, null);
        assertThat(held.text("detail")).contains("Not applied").contains("30 of the 30 members")
                .contains("confirm or discard").contains("nothing was changed");
        String changeId = changeId(held);
        // The IdP retries (Entra every 40 minutes, Okta on the next push): held once, same answer.
        Api.Response again = scim.call(s.token(), "PATCH", "/scim/v2/Groups/" + s.group(), Scim.patch(
                "{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}"));
        Scim.assertError(again, 409, null);
        assertThat(changeId(again)).isEqualTo(changeId);
        assertThat(state(s)).as("nothing changed").isEqualTo(before);

        JsonNode pending = api.call(s.w().admin(), "GET", "/workspaces/" + s.w().ws() + "/scim/changes", null)
                .expect(200).json().get("items");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("id").asText()).isEqualTo(changeId);
        assertThat(pending.get(0).get("remove")).hasSize(30);
        assertThat(pending.get(0).get("groupName").asText()).isEqualTo("Team (sub_" + s.w().suffix() + ")");
        assertThat(pending.get(0).get("requestedBy").asText()).isEqualTo("scim");

        JsonNode confirmed = api.call(s.w().admin(), "POST", "/workspaces/" + s.w().ws() + "/scim/changes/"
                + changeId + "/confirm", null).expect(200).json();
        assertThat(confirmed.get("removed").asInt()).isEqualTo(30);
        assertThat(confirmed.get("notApplied")).isEmpty();
        assertThat(groupMembers(s.token(), s.group())).as("applied in full").isEmpty();
        assertThat(licenses.summary(s.w().admin(), s.w().ws()).get("inUse").asLong()).isZero();
        licenses.assertCountersMatchRecount(s.w().ws());
        api.call(s.w().admin(), "POST", "/workspaces/" + s.w().ws() + "/scim/changes/" + changeId + "/confirm", null)
                .expect(409);
        assertThat(api.call(s.w().admin(), "GET", "/workspaces/" + s.w().ws() + "/scim/changes", null).expect(200)
                .json().get("items")).isEmpty();
        List<String> actions = new ArrayList<>();
        api.call(s.w().admin(), "GET", "/workspaces/" + s.w().ws() + "/audit?limit=100", null).expect(200).json()
                .get("items").forEach(e -> actions.add(e.get("action").asText() + " by " + e.get("actor").get("id").asText()));
        assertThat(actions).contains("scim.change-held by scim",
                "scim.change-confirmed by " + s.w().admin().sub());
    }

    @Test
    void aDiscardedChange_changesNothing_andSmallRemovalsAreAppliedAtOnce() {
        Setup s = thirtyInTheGroup("Discard");
        // 6 of 30 is more than 5 but only 20 %: not more than 20 %, so applied at once.
        StringBuilder six = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            six.append(i == 0 ? "" : ",").append("{\"value\":\"").append(s.users().get(i)).append("\"}");
        }
        scim.call(s.token(), "PATCH", "/scim/v2/Groups/" + s.group(), Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + six + "]}")).expect(204);
        assertThat(groupMembers(s.token(), s.group())).hasSize(24);
        // 7 of 24 is more than 5 and more than 20 %: held.
        StringBuilder seven = new StringBuilder();
        for (int i = 6; i < 13; i++) {
            seven.append(i == 6 ? "" : ",").append("{\"value\":\"").append(s.users().get(i)).append("\"}");
        }
        String before = state(s);
        Api.Response held = scim.call(s.token(), "PATCH", "/scim/v2/Groups/" + s.group(), Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + seven + "]}"));
        Scim.assertError(held, 409, null);
        JsonNode discarded = api.call(s.w().admin(), "POST", "/workspaces/" + s.w().ws() + "/scim/changes/"
                + changeId(held) + "/discard", null).expect(200).json();
        assertThat(discarded.get("status").asText()).isEqualTo("DISCARDED");
        assertThat(state(s)).as("discarded: nothing changed").isEqualTo(before);
        assertThat(groupMembers(s.token(), s.group())).hasSize(24);
        // The Members group is guarded too: removing most people from the workspace at once is held.
        StringBuilder many = new StringBuilder();
        for (int i = 6; i < 29; i++) {
            many.append(i == 6 ? "" : ",").append("{\"value\":\"").append(s.users().get(i)).append("\"}");
        }
        Scim.assertError(scim.call(s.token(), "PATCH", "/scim/v2/Groups/members", Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + many + "]}")), 409, null);
        assertThat(api.allMembers(s.w().admin(), s.w().ws(), false)).hasSize(30);
        licenses.assertCountersMatchRecount(s.w().ws());
    }

    private List<String> groupMembers(String token, String group) {
        List<String> ids = new ArrayList<>();
        scim.call(token, "GET", "/scim/v2/Groups/" + group, null).expect(200).json().path("members")
                .forEach(m -> ids.add(m.get("value").asText()));
        return ids;
    }

    /** The members and the license summary: what a held request must not change. */
    private String state(Setup s) {
        StringBuilder out = new StringBuilder();
        api.allMembers(s.w().admin(), s.w().ws(), true).forEach(m -> out.append(m).append('\n'));
        return out.append(licenses.summary(s.w().admin(), s.w().ws())).toString();
    }

    private static String changeId(Api.Response held) {
        Matcher m = CHANGE_ID.matcher(held.text("detail"));
        assertThat(m.find()).as("a change id in %s", held.raw()).isTrue();
        return m.group(1);
    }
}
