package dev.wsl.core.store;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.port.OutboxStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping of outbox messages to items. */
final class OutboxItems {
    /** The stream delivers a new message at once; the sweep only takes it if that did not finish by then. */
    static final Duration STREAM_GRACE = Duration.ofMinutes(2);

    private OutboxItems() {}

    static Map<String, AttributeValue> item(OutboxMessage m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.outbox(m.id()).toMap());
        item.put("type", Attrs.s("outbox"));
        item.put("kind", Attrs.s(m.kind().name()));
        item.put("workspaceId", Attrs.s(m.workspaceId()));
        item.put("memberId", Attrs.s(m.memberId()));
        item.put("sequence", Attrs.n(m.sequence()));
        item.put("to", Attrs.s(m.to().value()));
        putIfPresent(item, "inviteeName", m.inviteeName());
        putIfPresent(item, "workspaceName", m.workspaceName());
        putIfPresent(item, "inviterName", m.inviterName());
        if (m.expiresAt() != null) {
            item.put("expiresAt", Attrs.time(m.expiresAt()));
        }
        putIfPresent(item, "subject", m.subject());
        putIfPresent(item, "text", m.text());
        item.put("createdAt", Attrs.time(m.createdAt()));
        item.put("state", Attrs.s(OutboxStore.State.PENDING.name()));
        item.put("attempts", Attrs.n(0));
        item.put(Keys.GSI1PK, Attrs.s(Keys.OUTBOX_DUE));
        item.put(Keys.GSI1SK, Attrs.s(Keys.outboxDueSk(m.createdAt().plus(STREAM_GRACE).toString(),
                m.workspaceId(), m.memberId(), m.sequence())));
        return item;
    }

    static OutboxMessage message(Map<String, AttributeValue> item) {
        String kind = Attrs.str(item, "kind");
        return new OutboxMessage(Attrs.str(item, "workspaceId"), Attrs.str(item, "memberId"),
                Attrs.num(item, "sequence", 0), new EmailAddress(Attrs.str(item, "to")),
                Attrs.str(item, "inviteeName"), Attrs.str(item, "workspaceName"), Attrs.str(item, "inviterName"),
                Attrs.instant(item, "expiresAt"), Attrs.instant(item, "createdAt"),
                kind == null ? OutboxMessage.Kind.INVITATION : OutboxMessage.Kind.valueOf(kind),
                Attrs.str(item, "subject"), Attrs.str(item, "text"));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attrs.s(value));
        }
    }

    /** The outbox message an item key names, or empty for any other item. */
    static Optional<OutboxMessage.Id> idOf(Keys.Key key) {
        if (!key.pk().startsWith(Keys.WORKSPACE_PREFIX) || !key.sk().startsWith(Keys.OUTBOX_PREFIX) || key.sk().equals(Keys.OUTBOX_DUE)) {
            return Optional.empty();
        }
        String rest = key.sk().substring(Keys.OUTBOX_PREFIX.length());
        OutboxMessage.Kind kind = OutboxMessage.Kind.INVITATION;
        for (OutboxMessage.Kind k : OutboxMessage.Kind.values()) {
            if (k != OutboxMessage.Kind.INVITATION && rest.startsWith(k.name() + "#")) {
                kind = k;
                rest = rest.substring(k.name().length() + 1);
            }
        }
        int hash = rest.lastIndexOf('#');
        if (hash <= 0 || !rest.substring(hash + 1).matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(new OutboxMessage.Id(key.pk().substring(Keys.WORKSPACE_PREFIX.length()), rest.substring(0, hash),
                Long.parseLong(rest.substring(hash + 1)), kind));
    }
}
