package dev.wsl.core.store;

import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SCIM token's items ({@code WS#{ws}/SCIMTOKEN} and its lookup {@code SCIMTOKEN#{sha256}}) and the window
 * item of the identity provider's admin losses ({@code WS#{ws}/SCIMADMINLOSS}), and the writes that member
 * changes add for them: the SCIM store manages the token, and the workspace store's removals and access changes
 * stop it in their own transaction when they end its creator's ADMIN. The only place that knows these attributes.
 */
final class ScimItems {
    private ScimItems() {}

    static Map<String, AttributeValue> token(ScimToken t) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimToken(t.workspaceId()).toMap());
        item.put("type", Attrs.s("scim-token"));
        item.put("tokenHash", Attrs.s(t.hash()));
        item.put("hint", Attrs.s(t.hint()));
        item.put("createdAt", Attrs.time(t.createdAt()));
        item.put("createdBy", Attrs.s(t.createdBy()));
        if (t.createdByEmail() != null) {
            item.put("createdByEmail", Attrs.s(t.createdByEmail()));
        }
        ScimToken.Stopped s = t.stopped();
        if (s != null) {
            item.put("stoppedAt", Attrs.time(s.at()));
            item.put("stoppedReason", Attrs.s(s.reason().name()));
            item.put("stoppedCreator", Attrs.s(s.creator()));
            item.put("stoppedById", Attrs.s(s.by().id()));
            item.put("stoppedByEmail", Attrs.s(s.by().email()));
        }
        return item;
    }

    /** @param lastUse the hour of last use its lookup item records (null: none, or the lookup is gone) */
    static ScimToken token(String workspaceId, Map<String, AttributeValue> item, Instant lastUse) {
        ScimToken.Stopped stopped = item.containsKey("stoppedAt") ? new ScimToken.Stopped(
                Attrs.instant(item, "stoppedAt"), ScimToken.Reason.valueOf(Attrs.str(item, "stoppedReason")),
                Attrs.str(item, "stoppedCreator"),
                new Actor(Attrs.str(item, "stoppedById"), Attrs.str(item, "stoppedByEmail"))) : null;
        return new ScimToken(workspaceId, Attrs.str(item, "tokenHash"), Attrs.str(item, "hint"),
                Attrs.instant(item, "createdAt"), Attrs.str(item, "createdBy"), lastUse,
                Attrs.str(item, "createdByEmail"), stopped);
    }

    static Map<String, AttributeValue> lookup(ScimToken t) {
        Map<String, AttributeValue> lookup = new LinkedHashMap<>(Keys.scimTokenHash(t.hash()).toMap());
        lookup.put("type", Attrs.s("scim-token-hash"));
        lookup.put("workspaceId", Attrs.s(t.workspaceId()));
        return lookup;
    }

    static Condition stillToken(String hash) {
        return new Condition("tokenHash = :current", Map.of(), Map.of(":current", Attrs.s(hash)));
    }

    /**
     * Adds what a member change owes the workspace's SCIM token: when the change ends the ADMIN of the token's
     * creator (a removal, deactivation, delete or demotion, by anyone), the token stops in this transaction (the
     * item records why, its lookup item goes, the stop is audited as the change's actor); when it ends the ADMIN
     * of anyone else, a check that no working token of theirs appeared since the read (a token they created
     * meanwhile would otherwise outlive their authority). One consistent GetItem, only for a change that ends an
     * admin's authority.
     */
    static void creatorAuthority(Transaction tx, DynamoDbClient dynamo, String table, Member before, Member after,
                                 AuditEntry cause) {
        if (ScimToken.authorityEndedBy(before, after).isEmpty()) {
            return;
        }
        String ws = before.workspaceId();
        Optional<ScimToken> token = Reads.get(dynamo, table, Keys.scimToken(ws)).map(item -> token(ws, item, null));
        Optional<ScimToken> stopped = token.flatMap(t -> t.stoppedBy(before, after, cause));
        if (stopped.isPresent()) {
            ScimToken t = stopped.get();
            tx.put(token(t), new Condition("tokenHash = :current AND attribute_not_exists(stoppedAt)", Map.of(),
                            Map.of(":current", Attrs.s(t.hash()))), ScimItems::tokenChanged)
                    .delete(Keys.scimTokenHash(t.hash()), null, null)
                    .put(MemberItems.audit(t.stopAudit()), Condition.notExists(), ScimItems::tokenChanged);
        } else {
            tx.check(Keys.scimToken(ws), new Condition(
                    "attribute_not_exists(PK) OR createdBy <> :creator OR attribute_exists(stoppedAt)", Map.of(),
                    Map.of(":creator", Attrs.s(before.userId()))), ScimItems::tokenChanged);
        }
    }

    static Optional<Instant> lastAdminLoss(DynamoDbClient dynamo, String table, String workspaceId) {
        return Reads.get(dynamo, table, Keys.scimAdminLoss(workspaceId)).map(item -> Attrs.instant(item, "lastAt"));
    }

    /**
     * Adds the conditions of a change by which the identity provider takes ADMIN from an admin: the window item
     * still names the last such change as read (and now names this one), and the witness is still an appointed
     * admin. Either failing is a lost race: the use case reads again and decides (held, or refused).
     */
    static void idpAdminLoss(Transaction tx, String workspaceId, IdpAdminLoss loss) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimAdminLoss(workspaceId).toMap());
        item.put("type", Attrs.s("scim-admin-loss"));
        item.put("lastAt", Attrs.time(loss.at()));
        tx.put(item, loss.previous() == null ? Condition.notExists()
                        : new Condition("lastAt = :previous", Map.of(), Map.of(":previous", Attrs.time(loss.previous()))),
                () -> new ChangedMeanwhile("The identity provider took ADMIN from another admin meanwhile; retry."));
        if (loss.witnessMemberId() != null) {
            tx.check(Keys.member(workspaceId, loss.witnessMemberId()), MemberItems.stillAppointedAdmin(),
                    () -> new ChangedMeanwhile("The workspace's admins changed meanwhile; retry."));
        }
    }

    private static ChangedMeanwhile tokenChanged() {
        return new ChangedMeanwhile("The workspace's SCIM token was changed meanwhile; reload and retry.");
    }
}
