package dev.wsl.core.store;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The personal auth token's lookup item and its index of licensed workspaces.
 *
 * <p>Activation reads the token's item by hash and must then know, without a query, where the
 * token activates a license: the item carries {@code licensedIn} (workspace id → member id). The
 * index is exact because every transaction that changes {@link Member#activatesLicense()} also
 * updates it, conditioned on the item still being the user's current token (a rotation in between
 * makes the transaction fail and the caller retry from fresh reads). Activation still re-reads the
 * member, so even a wrong index could never activate a license the member does not hold.
 */
final class TokenIndex {
    static final String KIND_AUTH_TOKEN = "auth-token";
    static final String KIND_CI_KEY = "ci-key";

    private TokenIndex() {}

    /** The lookup item of a new token. */
    static Map<String, AttributeValue> item(String userId, PersonalToken token, Map<String, String> licensedIn) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.credential(token.hash()).toMap());
        item.put("type", Attrs.s("credential"));
        item.put("kind", Attrs.s(KIND_AUTH_TOKEN));
        item.put("userId", Attrs.s(userId));
        Map<String, AttributeValue> index = new LinkedHashMap<>();
        licensedIn.forEach((ws, m) -> index.put(ws, Attrs.s(m)));
        item.put("licensedIn", AttributeValue.fromM(index));
        item.put("v", Attrs.n(0));
        item.put("issuedAt", Attrs.time(token.issuedAt()));
        return item;
    }

    /** The hash of the user's current token, from their profile; empty when they have none. */
    static Optional<String> currentHash(DynamoDbClient dynamo, String table, String userId) {
        return Reads.get(dynamo, table, Keys.user(userId)).map(item -> Attrs.str(item, "tokenHash"));
    }

    /**
     * Adds to the transaction the index update that a member change needs, if any. Reads the
     * user's profile to find their token; a user without a token has no index to keep.
     */
    static void follow(Transaction tx, DynamoDbClient dynamo, String table, Member before, Member after) {
        if (before.activatesLicense() == after.activatesLicense()) {
            return;
        }
        String userId = after.userId() != null ? after.userId() : before.userId();
        currentHash(dynamo, table, userId).ifPresent(hash -> {
            if (after.activatesLicense()) {
                link(tx, hash, userId, after.workspaceId(), after.memberId());
            } else {
                unlink(tx, hash, userId, after.workspaceId());
            }
        });
    }

    static void link(Transaction tx, String tokenHash, String userId, String workspaceId, String memberId) {
        // Forgetting the hour of the last use makes the next activation record a use of the new license.
        tx.update(Keys.credential(tokenHash), "SET licensedIn.#ws = :m REMOVE lastUseHour ADD v :one", stillCurrent(userId)
                .name("#ws", workspaceId).value(":m", Attrs.s(memberId)), TokenIndex::rotatedMeanwhile);
    }

    static void unlink(Transaction tx, String tokenHash, String userId, String workspaceId) {
        tx.update(Keys.credential(tokenHash), "REMOVE licensedIn.#ws ADD v :one", stillCurrent(userId)
                .name("#ws", workspaceId), TokenIndex::rotatedMeanwhile);
    }

    private static Condition stillCurrent(String userId) {
        return new Condition("attribute_exists(PK) AND userId = :uid", Map.of(),
                Map.of(":uid", Attrs.s(userId), ":one", Attrs.n(1)));
    }

    static ChangedMeanwhile rotatedMeanwhile() {
        return new ChangedMeanwhile("The user's auth token was rotated meanwhile; retry the request.");
    }
}
