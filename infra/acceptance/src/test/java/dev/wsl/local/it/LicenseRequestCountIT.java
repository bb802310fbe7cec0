package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DynamoDB requests per assign, unassign and summary, counted on the handlers' own clients;
 * the summary's count is the same at 10 and at 2,000 members (it reads the pool and the seat policy, one batch).
 */
@ExtendWith(LocalRuntimeExtension.class)
class LicenseRequestCountIT {
    private final Api api;
    private final Licenses licenses;

    LicenseRequestCountIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @Test
    void assignUnassignAndSummary_shouldCostAFixedNumberOfRequests_atAnyWorkspaceSize() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("lcount-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Counting licenses");
        licenses.purchase(ws, "sub_" + suffix, 5000, null);
        String jane = "";
        for (int i = 0; i < 9; i++) {
            jane = api.invite(admin, ws, "P" + i, "lcount-" + i + "-" + suffix + "@example.com").expect(202).text("id");
        }
        String member = jane;

        List<String> summaryAt10 = RequestCounter.calls(() -> licenses.summary(admin, ws));
        List<String> assign = RequestCounter.calls(() -> licenses.assign(admin, ws, member).expect(200));
        List<String> unassign = RequestCounter.calls(() -> licenses.unassign(admin, ws, member).expect(200));
        for (int i = 9; i < 1999; i++) {
            api.invite(admin, ws, "P" + i, "lcount-" + i + "-" + suffix + "@example.com").expect(202);
        }
        assertThat(api.allMembers(admin, ws, false)).hasSize(2000);
        List<String> summaryAt2000 = RequestCounter.calls(() -> licenses.summary(admin, ws));

        System.out.println("[requests] license summary at 10 members: " + summaryAt10);
        System.out.println("[requests] license summary at 2000 members: " + summaryAt2000);
        System.out.println("[requests] assign: " + assign);
        System.out.println("[requests] unassign: " + unassign);
        // The grant; then the pool and the seat policy (with the daily job's idle count, issue 21) in one batch:
        // the idle count reads no member and no seat.
        assertThat(summaryAt10).containsExactly("DynamoDb.GetItem", "DynamoDb.BatchGetItem");
        assertThat(summaryAt2000).isEqualTo(summaryAt10);
        assertThat(assign).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem", "DynamoDb.GetItem",
                "DynamoDb.TransactWriteItems");
        assertThat(unassign).isEqualTo(assign);
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetTheBulk() {
        // Two thousand invitations' emails would otherwise be sent by whichever test drains the stream next.
        LocalRuntimeExtension.shared().reset();
    }
}
