package dev.wsl.core.store;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Provisioning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Test support for listings at scale: members an identity provider provisioned, written straight into the
 * table in batches (tens of thousands would take an hour one SCIM request at a time), as the store writes them
 * (the same item mapping, with the SCIM index's keys), with the workspace's SCIM user count moved by as many,
 * and optionally as members of an IdP group (the group's membership items and its count). Only what listings
 * read is written: no email or userName locks, no member's side of a membership.
 */
public final class ScaleItems {
    private ScaleItems() {}

    /** Answers the new members' ids, in creation (id) order. */
    public static List<String> provisioned(DynamoDbClient dynamo, String table, String workspaceId, int count,
                                           String idpGroupId) {
        List<String> ids = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String id = Ids.newId("m", now.toEpochMilli() + i);
            String email = "scale-" + i + "-" + id.substring(2, 12) + "@example.com";
            Member m = Member.builder().workspaceId(workspaceId).memberId(id).email(new EmailAddress(email))
                    .name("Scale " + i).status(MemberStatus.INVITED).access(Access.MEMBER).invitedAt(now).invitedBy("scim")
                    .provisioning(new Provisioning(email, null, "Scale", Integer.toString(i), null, "work", true)).build();
            ids.add(id);
            writes.add(put(MemberItems.member(m)));
            if (idpGroupId != null) {
                writes.add(put(Map.of(Keys.PK, AttributeValue.fromS(Keys.workspacePk(workspaceId)),
                        Keys.SK, AttributeValue.fromS(Keys.scimGroupMember(workspaceId, idpGroupId, id).sk()),
                        "type", AttributeValue.fromS("scim-group-member"), "memberId", AttributeValue.fromS(id))));
            }
            if (writes.size() >= 500) {
                Batches.write(dynamo, table, writes);
                writes.clear();
            }
        }
        Batches.write(dynamo, table, writes);
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Keys.scimCount(workspaceId).toMap())
                .updateExpression("ADD #users :n").expressionAttributeNames(Map.of("#users", "users"))
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(count)))).build());
        if (idpGroupId != null) {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Keys.scimGroup(workspaceId, idpGroupId).toMap())
                    .updateExpression("ADD memberCount :n")
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(count)))).build());
        }
        return ids;
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
