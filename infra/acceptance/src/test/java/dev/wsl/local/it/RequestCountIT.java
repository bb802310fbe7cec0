package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many DynamoDB requests each use case costs, counted on the handlers' own SDK
 * clients. The counts are printed for the closing notes and pinned, so a change that adds
 * a round trip to a path has to say so here.
 */
@ExtendWith(LocalRuntimeExtension.class)
class RequestCountIT {
    private final Api api;

    RequestCountIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
    }

    @Test
    void invite_accept_andListPage_shouldCostAFixedNumberOfRequests() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("count-admin-" + suffix + "@example.com");
        Api.User jane = api.user("count-jane-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Counting");
        for (int i = 0; i < 30; i++) {
            api.invite(admin, ws, "P" + i, "count-p" + i + "-" + suffix + "@example.com").expect(202);
        }

        List<String> invite = RequestCounter.calls(() -> api.invite(admin, ws, "Jane", jane.email()).expect(202));
        api.deliverMail();
        String token = api.latestInvitationToken(jane.email());
        List<String> accept = RequestCounter.calls(() -> api.accept(jane, token).expect(200));
        List<String> listPage = RequestCounter.calls(() ->
                api.call(admin, "GET", "/workspaces/" + ws + "/members?limit=25", null).expect(200));
        List<String> create = RequestCounter.calls(() -> api.createWorkspace(admin, "Another"));
        List<String> myWorkspaces = RequestCounter.calls(() -> assertThat(
                api.call(admin, "GET", "/me/workspaces", null).expect(200).json().get("items")).hasSize(2));

        System.out.println("[requests] create workspace: " + create);
        System.out.println("[requests] invite: " + invite);
        System.out.println("[requests] accept: " + accept);
        System.out.println("[requests] list page (25 of 32): " + listPage);
        System.out.println("[requests] the caller's workspaces (2): " + myWorkspaces);
        // The creator has a user record (and an auth token) already: one read to know it.
        assertThat(create).containsExactly("DynamoDb.GetItem", "DynamoDb.TransactWriteItems");
        // The grant, then one batch of the workspace, the email lock and the license pool (an active subscription
        // raises the workspace's invitation limit); the invitation limits' counters are written in the
        // transaction, not read.
        assertThat(invite).containsExactly("DynamoDb.GetItem", "DynamoDb.BatchGetItem",
                "DynamoDb.TransactWriteItems");
        // Jane's first membership creates her user record, and with it her sealed auth token.
        assertThat(accept).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem", "DynamoDb.GetItem", "Kms.Encrypt",
                "DynamoDb.TransactWriteItems");
        // The page's ACTIVE members' last activations: one batch read.
        assertThat(listPage).containsExactly("DynamoDb.GetItem", "DynamoDb.Query", "DynamoDb.BatchGetItem");
        // The index of the caller's memberships, then the workspaces' names in one batch; no grant to read.
        assertThat(myWorkspaces).containsExactly("DynamoDb.Query", "DynamoDb.BatchGetItem");
    }
}
