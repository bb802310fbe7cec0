package dev.wsl.core.store;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.failure.ChangedMeanwhile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The personal auth token's lookup item, its index of licensed workspaces, and where the user wants it
 * to activate.
 *
 * <p>Activation reads the token's item by hash and must then know, without a query, where the
 * token activates a license: the item carries {@code licensedIn} (workspace id → member id). The
 * index is exact because every transaction that changes {@link Member#activatesLicense()} also
 * updates it, conditioned on the item still being the user's current token (a rotation in between
 * makes the transaction fail and the caller retry from fresh reads). Activation still re-reads the
 * member, so even a wrong index could never activate a license the member does not hold.
 *
 * <p>{@value #ACTIVATES_IN} (a workspace id) is the user's choice of where the token activates when it is
 * licensed in several workspaces: set to the first workspace they joined themselves (created, accepted an
 * invitation to, or joined by consent) unless set already, and changed only by the user. It lives on the
 * lookup item, which activation reads anyway (no extra round trip), and on the user record, written in the
 * same transactions with the same expression, so the two stay equal; each write of it bumps {@code v}, so a
 * rotation that copies the item cannot miss it.
 *
 * <p>During a rotation's overlap the old token's item stays, with {@value #EXPIRES_AT}, and every write above
 * changes both items alike (the profile names both: {@link TokenHashes}), so that the old token activates what
 * the new one does until it stops.
 */
final class TokenIndex {
    static final String KIND_AUTH_TOKEN = "auth-token";
    static final String KIND_CI_KEY = "ci-key";
    /** Where the token activates when licensed in several workspaces (on the lookup item and the user record). */
    static final String ACTIVATES_IN = "activatesIn";
    /**
     * On the lookup item of a credential that a rotation replaced and kept valid for a while (auth token or CI
     * key): when it stops activating. Activation reads it with the item, so an overlap costs no read.
     */
    static final String EXPIRES_AT = "expiresAt";
    /** On a credential's lookup item: the hour ({@code yyyy-MM-ddTHH}) of its last recorded use, the coalescing mark. */
    static final String LAST_USE_HOUR = "lastUseHour";

    private TokenIndex() {}

    /** The lookup item of a new token. */
    static Map<String, AttributeValue> item(String userId, PersonalToken token, Map<String, String> licensedIn) {
        return item(userId, token, licensedIn, null);
    }

    /** The lookup item of a new token that activates in {@code activatesIn} by choice (null: no choice yet). */
    static Map<String, AttributeValue> item(String userId, PersonalToken token, Map<String, String> licensedIn,
                                            String activatesIn) {
        return item(userId, token.hash(), token.issuedAt(), licensedIn, activatesIn);
    }

    static Map<String, AttributeValue> item(String userId, String tokenHash, java.time.Instant issuedAt,
                                            Map<String, String> licensedIn, String activatesIn) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.credential(tokenHash).toMap());
        item.put("type", Attrs.s("credential"));
        item.put("kind", Attrs.s(KIND_AUTH_TOKEN));
        item.put("userId", Attrs.s(userId));
        Map<String, AttributeValue> index = new LinkedHashMap<>();
        licensedIn.forEach((ws, m) -> index.put(ws, Attrs.s(m)));
        item.put("licensedIn", AttributeValue.fromM(index));
        item.put("v", Attrs.n(0));
        item.put("issuedAt", Attrs.time(issuedAt));
        if (activatesIn != null) {
            item.put(ACTIVATES_IN, Attrs.s(activatesIn));
        }
        return item;
    }

    /**
     * The user's token and, while a rotation's overlap lasts, the one it replaced, from their profile (one
     * consistent read); empty when they have no token.
     */
    static Optional<TokenHashes> tokens(DynamoDbClient dynamo, String table, String userId) {
        return Reads.get(dynamo, table, Keys.user(userId)).filter(item -> item.containsKey("tokenHash"))
                .map(ProfileToken::hashes);
    }

    /**
     * Adds to the transaction the index update that a member change needs, if any. Reads the
     * user's profile to find their token (and one an overlap keeps valid); a user without a token has no
     * index to keep.
     */
    static void follow(Transaction tx, DynamoDbClient dynamo, String table, Member before, Member after) {
        if (before.activatesLicense() == after.activatesLicense()) {
            return;
        }
        String userId = after.userId() != null ? after.userId() : before.userId();
        tokens(dynamo, table, userId).ifPresent(tokens -> {
            if (after.activatesLicense()) {
                link(tx, tokens, userId, after.workspaceId(), after.memberId());
            } else {
                unlink(tx, tokens, userId, after.workspaceId());
            }
        });
    }

    static void link(Transaction tx, TokenHashes tokens, String userId, String workspaceId, String memberId) {
        link(tx, tokens, userId, workspaceId, memberId, false);
    }

    /**
     * @param selfJoined the member joined themselves: the workspace becomes the token's choice unless there is
     *                   one (one update of the item: a transaction may touch it once)
     */
    static void link(Transaction tx, TokenHashes tokens, String userId, String workspaceId, String memberId,
                     boolean selfJoined) {
        // Forgetting the hour of the last use makes the next activation record a use of the new license.
        String prefer = selfJoined ? ", #pref = if_not_exists(#pref, :pref)" : "";
        String update = "SET licensedIn.#ws = :m" + prefer + " REMOVE lastUseHour ADD v :one";
        eachToken(tokens, userId, (hash, condition) -> {
            Condition c = condition.name("#ws", workspaceId).value(":m", Attrs.s(memberId));
            if (selfJoined) {
                c = c.name("#pref", ACTIVATES_IN).value(":pref", Attrs.s(workspaceId));
            }
            tx.update(Keys.credential(hash), update, c, TokenIndex::rotatedMeanwhile);
        });
    }

    /** A workspace the user joined themselves becomes the token's choice, unless they have one. */
    static void preferIfUnset(Transaction tx, TokenHashes tokens, String userId, String workspaceId) {
        eachToken(tokens, userId, (hash, condition) -> tx.update(Keys.credential(hash),
                "SET #pref = if_not_exists(#pref, :pref) ADD v :one",
                condition.name("#pref", ACTIVATES_IN).value(":pref", Attrs.s(workspaceId)), TokenIndex::rotatedMeanwhile));
    }

    /** The user's own choice of where the token activates. */
    static void choose(Transaction tx, TokenHashes tokens, String userId, String workspaceId) {
        eachToken(tokens, userId, (hash, condition) -> tx.update(Keys.credential(hash), "SET #pref = :pref ADD v :one",
                condition.name("#pref", ACTIVATES_IN).value(":pref", Attrs.s(workspaceId)), TokenIndex::rotatedMeanwhile));
    }

    static void unlink(Transaction tx, TokenHashes tokens, String userId, String workspaceId) {
        eachToken(tokens, userId, (hash, condition) -> tx.update(Keys.credential(hash), "REMOVE licensedIn.#ws ADD v :one",
                condition.name("#ws", workspaceId), TokenIndex::rotatedMeanwhile));
    }

    /**
     * The same update of the current token's item and, during an overlap, of the one it replaced, each on the
     * condition that it still is what the profile said: the current one not made the old one of a rotation
     * since ({@value #EXPIRES_AT} marks an old one), the old one not ended meanwhile. Either failing means a
     * rotation or an end raced with the change: the caller reads again.
     */
    private static void eachToken(TokenHashes tokens, String userId, java.util.function.BiConsumer<String, Condition> update) {
        update.accept(tokens.current(), stillCurrent(userId));
        if (tokens.previous() != null) {
            update.accept(tokens.previous(), stillOverlapping(userId));
        }
    }

    private static Condition stillCurrent(String userId) {
        return new Condition("attribute_exists(PK) AND userId = :uid AND attribute_not_exists(" + EXPIRES_AT + ")",
                Map.of(), Map.of(":uid", Attrs.s(userId), ":one", Attrs.n(1)));
    }

    private static Condition stillOverlapping(String userId) {
        return new Condition("attribute_exists(PK) AND userId = :uid AND attribute_exists(" + EXPIRES_AT + ")",
                Map.of(), Map.of(":uid", Attrs.s(userId), ":one", Attrs.n(1)));
    }

    static ChangedMeanwhile rotatedMeanwhile() {
        return new ChangedMeanwhile("The user's auth token was rotated meanwhile; retry the request.");
    }
}
