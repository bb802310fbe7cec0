package dev.wsl.core.store;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Provisioning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Test support in the stores' package (test sources only): a workspace's members loaded straight into the table
 * with the stores' own item mappers and {@link Keys}, not through the API, so that the scale measurements can start
 * from tens of thousands of members in seconds. What it writes is exactly what the stores write for such members:
 * the member item, its email lock, and for members an identity provider created (and not removed), their SCIM
 * userName lock.
 */
public final class BulkItems {
    private BulkItems() {}

    /** Which members to write: how many, and which of them are REMOVED or came from SCIM. */
    public record Shape(int members, int removedFirst, boolean scim) {}

    /**
     * Writes {@code shape.members()} members into an existing workspace, ids in time order from {@code from} (one
     * millisecond apart), the first {@code removedFirst} of them REMOVED (the oldest: as after an identity provider
     * deprovisioned a department), and returns their ids in list order.
     */
    public static List<String> loadMembers(DynamoDbClient dynamo, String table, String workspaceId, String tag,
                                           Instant from, Shape shape) {
        List<String> ids = new ArrayList<>(shape.members());
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < shape.members(); i++) {
            Instant at = from.plusMillis(i);
            String memberId = Ids.newId("m", at.toEpochMilli());
            ids.add(memberId);
            String email = tag + "-" + i + "@example.com";
            Member member = Member.invited(workspaceId, memberId, new EmailAddress(email), "Person " + i, Access.MEMBER,
                    "bulk", at, at.plus(Duration.ofDays(7)));
            if (shape.scim()) {
                member = member.toBuilder().provisioning(new Provisioning(email, "ext-" + tag + "-" + i, "Person", "" + i))
                        .build();
            }
            if (i < shape.removedFirst()) {
                member = member.toBuilder().status(MemberStatus.REMOVED).removedAt(at.plusSeconds(1)).build();
            }
            writes.add(put(MemberItems.member(member)));
            writes.add(put(MemberItems.emailLock(member))); // kept on removal: a re-invitation reuses the member
            if (member.provisioning() != null && member.status() != MemberStatus.REMOVED) {
                writes.add(put(MemberItems.userNameLock(member)));
            }
            if (writes.size() >= 2_500) {
                Batches.write(dynamo, table, writes);
                writes.clear();
            }
        }
        Batches.write(dynamo, table, writes);
        return ids;
    }

    /** {@code count} audit entries of the workspace, one second apart from {@code from}. */
    public static void loadAudit(DynamoDbClient dynamo, String table, String workspaceId, Instant from, int count) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(put(MemberItems.audit(new AuditEntry(workspaceId, from.plusSeconds(i), "bulk", "bulk@example.com",
                    "member.invited", "m_" + i, Map.of()))));
            if (writes.size() >= 2_500) {
                Batches.write(dynamo, table, writes);
                writes.clear();
            }
        }
        Batches.write(dynamo, table, writes);
    }

    /** The members page's cursor that resumes after this member (what the page before it would have answered). */
    public static String membersCursorAfter(String workspaceId, String memberId) {
        return Cursors.encode(Keys.member(workspaceId, memberId).toMap());
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
