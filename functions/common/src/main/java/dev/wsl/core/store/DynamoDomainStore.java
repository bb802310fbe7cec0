package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.DomainStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link DomainStore} in the single table: {@code WS#{ws}/DOMAIN#{domain}} items, counted by the workspace
 * item's {@code domains} attribute (so that the limit holds under parallel adds: the count is conditioned
 * in the add's transaction), listed by a keyed query of the workspace's partition, and paged for the daily
 * check through GSI1's {@code DOMAINS} partition (no scan). Thread-safe.
 */
public final class DynamoDomainStore extends TableStore implements DomainStore {
    public DynamoDomainStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public List<EmailDomain> list(String workspaceId) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, Keys.DOMAIN_PREFIX).stream()
                .map(DomainItems::domain).toList();
    }

    @Override
    public Optional<EmailDomain> find(String workspaceId, String name) {
        return Reads.get(dynamo, table, Keys.domain(workspaceId, name)).map(DomainItems::domain);
    }

    @Override
    public void add(EmailDomain domain, int limit, AuditEntry audit) {
        Condition room = new Condition("attribute_exists(PK) AND (attribute_not_exists(#domains) OR #domains < :limit)",
                Map.of("#domains", "domains"), Map.of(":limit", Attrs.n(limit), ":one", Attrs.n(1)));
        String workspaceId = domain.workspaceId();
        new Transaction(table)
                .put(DomainItems.item(domain), Condition.notExists(), () -> new AlreadyExists("domain-exists",
                        "The workspace has added " + domain.name() + " already."))
                .update(Keys.workspace(workspaceId), "ADD #domains :one", room, () -> limitOrMissing(workspaceId, limit))
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoDomainStore::collision)
                .execute(dynamo);
    }

    /** The count's condition failed: the workspace is gone, or full. */
    private dev.wsl.core.failure.Failure limitOrMissing(String workspaceId, int limit) {
        return Reads.get(dynamo, table, Keys.workspace(workspaceId)).isPresent() ? limitReached(limit)
                : new NotFound("workspace-not-found", "The workspace does not exist.");
    }

    static Conflict limitReached(int limit) {
        return new Conflict("domain-limit", "A workspace holds at most " + limit
                + " domains; remove one that is no longer needed first.");
    }

    @Override
    public void saveCheck(EmailDomain before, EmailDomain after, AuditEntry audit) {
        Transaction tx = new Transaction(table).put(DomainItems.item(after), Condition.version(before.version()),
                DynamoDomainStore::changedMeanwhile);
        if (audit != null) {
            tx.put(MemberItems.audit(audit), Condition.notExists(), DynamoDomainStore::collision);
        }
        tx.execute(dynamo);
    }

    @Override
    public void remove(EmailDomain before, AuditEntry audit) {
        new Transaction(table)
                .delete(Keys.domain(before.workspaceId(), before.name()), Condition.version(before.version()),
                        DynamoDomainStore::changedMeanwhile)
                .update(Keys.workspace(before.workspaceId()), "ADD #domains :minusOne",
                        new Condition("attribute_exists(PK)", Map.of("#domains", "domains"),
                                Map.of(":minusOne", Attrs.n(-1))), DynamoDomainStore::changedMeanwhile)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoDomainStore::collision)
                .execute(dynamo);
    }

    @Override
    public Page page(String after, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", Keys.GSI1PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", Attrs.s(Keys.ALL_DOMAINS)));
        String condition = "#pk = :pk";
        if (after != null) {
            condition += " AND #sk > :after";
            names.put("#sk", Keys.GSI1SK);
            values.put(":after", Attrs.s(after));
        }
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(limit).build());
        List<EmailDomain> domains = page.items().stream().map(DomainItems::domain).toList();
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
        String last = domains.isEmpty() ? null
                : Keys.domainIndexSk(domains.getLast().workspaceId(), domains.getLast().name());
        return new Page(domains, last, more && !domains.isEmpty());
    }

    @Override
    public Optional<Run> currentRun() {
        return Optional.ofNullable(dynamo.getItem(GetItemRequest.builder().tableName(table)
                        .key(Keys.domainCheckRun().toMap()).consistentRead(true).build()).item())
                .filter(item -> !item.isEmpty())
                .map(item -> new Run(Attrs.str(item, "runId"), Attrs.str(item, "position")));
    }

    @Override
    public boolean startRun(String runId, Instant at) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.domainCheckRun().toMap());
        item.put("type", Attrs.s("domain-check-run"));
        item.put("runId", Attrs.s(runId));
        item.put("startedAt", Attrs.time(at));
        try {
            new Transaction(table).put(item, Condition.notExists(), () -> new AlreadyExists("run-exists",
                    "A domain check is running.")).execute(dynamo);
            return true;
        } catch (AlreadyExists e) {
            return false;
        }
    }

    /** Conditioned on the run and position read, so two overlapping invocations cannot both move it. */
    @Override
    public boolean advance(Run read, String position, boolean finished) {
        Condition same = read.position() == null
                ? new Condition("runId = :run AND attribute_not_exists(#position)", Map.of("#position", "position"),
                        Map.of(":run", Attrs.s(read.runId())))
                : new Condition("runId = :run AND #position = :read", Map.of("#position", "position"),
                        Map.of(":run", Attrs.s(read.runId()), ":read", Attrs.s(read.position())));
        Transaction tx = new Transaction(table);
        if (finished) {
            tx.delete(Keys.domainCheckRun(), same, DynamoDomainStore::moved);
        } else {
            tx.update(Keys.domainCheckRun(), "SET #position = :position",
                    same.value(":position", Attrs.s(position)), DynamoDomainStore::moved);
        }
        try {
            tx.execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    private static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The domain was changed by another request meanwhile; reload and retry.");
    }

    private static ChangedMeanwhile moved() {
        return new ChangedMeanwhile("Another invocation advanced the domain check.");
    }

    private static ChangedMeanwhile collision() {
        return new ChangedMeanwhile("A concurrent request created the same item; retry.");
    }
}
