package dev.wsl.activation;

import dev.wsl.core.domain.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items of the decision's reads, written into a {@link FakeDynamo} in the shapes the store writes them. */
final class Table {
    final FakeDynamo dynamo = new FakeDynamo();
    private final Instant now;

    /** @param now the period start of pools is ten days before it */
    Table(Instant now) {
        this.now = now;
    }

    void authToken(String token, String userId, Map<String, String> licensedIn, String lastUseHour) {
        authToken(token, userId, licensedIn, lastUseHour, null);
    }

    /** @param activatesIn the workspace the user chose for the token (null: none) */
    void authToken(String token, String userId, Map<String, String> licensedIn, String lastUseHour, String activatesIn) {
        Map<String, AttributeValue> item = key("CRED#" + Secrets.sha256Hex(token), "CRED");
        item.put("kind", s("auth-token"));
        item.put("userId", s(userId));
        Map<String, AttributeValue> index = new LinkedHashMap<>();
        licensedIn.forEach((ws, m) -> index.put(ws, s(m)));
        item.put("licensedIn", AttributeValue.fromM(index));
        if (lastUseHour != null) {
            item.put("lastUseHour", s(lastUseHour));
        }
        if (activatesIn != null) {
            item.put("activatesIn", s(activatesIn));
        }
        dynamo.put(item);
    }

    /** Marks a credential's lookup item as the old one of a rotation's overlap, ending at {@code at}. */
    void expiresAt(String credential, Instant at) {
        Map<String, AttributeValue> k = key("CRED#" + Secrets.sha256Hex(credential), "CRED");
        dynamo.items.get(k.get("PK").s() + "|" + k.get("SK").s()).put("expiresAt", s(at.toString()));
    }

    void ciKey(String key, String ws, String keyId) {
        Map<String, AttributeValue> item = key("CRED#" + Secrets.sha256Hex(key), "CRED");
        item.put("kind", s("ci-key"));
        item.put("workspaceId", s(ws));
        item.put("keyId", s(keyId));
        dynamo.put(item);
    }

    void legacyKey(String key, String ws, String keyId) {
        Map<String, AttributeValue> item = key("LEGACYKEY#" + Secrets.sha256Hex(key), "LEGACYKEY");
        item.put("workspaceId", s(ws));
        item.put("keyId", s(keyId));
        dynamo.put(item);
    }

    void member(String ws, String memberId, String userId, boolean licensed) {
        member(ws, memberId, userId, licensed, null);
    }

    /** @param joinedAt when the user joined (the member's acceptedAt), or null */
    void member(String ws, String memberId, String userId, boolean licensed, Instant joinedAt) {
        Map<String, AttributeValue> item = key("WS#" + ws, "MEMBER#" + memberId);
        item.put("workspaceId", s(ws));
        item.put("memberId", s(memberId));
        item.put("email", s(memberId + "@example.com"));
        item.put("name", s(memberId));
        item.put("status", s("ACTIVE"));
        item.put("role", s("MEMBER"));
        item.put("permissions", AttributeValue.fromL(List.of()));
        item.put("version", AttributeValue.fromN("3"));
        item.put("userId", s(userId));
        if (licensed) {
            item.put("licensed", AttributeValue.fromBool(true));
        }
        if (joinedAt != null) {
            item.put("acceptedAt", s(joinedAt.toString()));
        }
        dynamo.put(item);
    }

    void pool(String ws, String plan, Instant periodEnd) {
        Map<String, AttributeValue> item = key("WS#" + ws, "LICENSES");
        item.put("seats", AttributeValue.fromN("5"));
        item.put("subscriptions", AttributeValue.fromM(Map.of("sub_" + ws, AttributeValue.fromM(Map.of(
                "plan", s(plan), "seats", AttributeValue.fromN("5"),
                "periodStart", s(now.minus(Duration.ofDays(10)).toString()), "periodEnd", s(periodEnd.toString()),
                "status", s("ACTIVE"), "sequence", AttributeValue.fromN("1"))))));
        dynamo.put(item);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("PK", s(pk));
        item.put("SK", s(sk));
        return item;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
