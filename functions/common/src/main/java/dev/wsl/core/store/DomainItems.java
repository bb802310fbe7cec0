package dev.wsl.core.store;

import dev.wsl.core.domain.EmailDomain;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping between {@link EmailDomain} and its item; the only place that knows the item's attribute names. */
final class DomainItems {
    private DomainItems() {}

    static Map<String, AttributeValue> item(EmailDomain d) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.domain(d.workspaceId(), d.name()).toMap());
        item.put("type", Attrs.s("email-domain"));
        item.put("workspaceId", Attrs.s(d.workspaceId()));
        item.put("domain", Attrs.s(d.name()));
        item.put("challenge", Attrs.s(d.challenge()));
        item.put("addedAt", Attrs.time(d.addedAt()));
        if (d.addedBy() != null) {
            item.put("addedBy", Attrs.s(d.addedBy()));
        }
        put(item, "verifiedAt", d.verifiedAt());
        put(item, "missingSince", d.missingSince());
        put(item, "lapsedAt", d.lapsedAt());
        put(item, "checkedAt", d.checkedAt());
        if (d.lastResult() != null) {
            item.put("lastResult", Attrs.s(d.lastResult().name()));
        }
        item.put("version", Attrs.n(d.version()));
        // The daily check's work list: every domain of every workspace, in (workspace, name) order.
        item.put(Keys.GSI1PK, Attrs.s(Keys.ALL_DOMAINS));
        item.put(Keys.GSI1SK, Attrs.s(Keys.domainIndexSk(d.workspaceId(), d.name())));
        return item;
    }

    static EmailDomain domain(Map<String, AttributeValue> item) {
        String result = Attrs.str(item, "lastResult");
        return new EmailDomain(Attrs.str(item, "workspaceId"), Attrs.str(item, "domain"), Attrs.str(item, "challenge"),
                Attrs.instant(item, "addedAt"), Attrs.str(item, "addedBy"), Attrs.instant(item, "verifiedAt"),
                Attrs.instant(item, "missingSince"), Attrs.instant(item, "lapsedAt"), Attrs.instant(item, "checkedAt"),
                result == null ? null : EmailDomain.CheckResult.valueOf(result), Attrs.num(item, "version", 0));
    }

    private static void put(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, Attrs.time(value));
        }
    }
}
