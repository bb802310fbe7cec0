package dev.wsl.testkit;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.DomainStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DomainStore} over {@link FakeStores}; the conditions of {@code DynamoDomainStore}, in its order. */
final class FakeDomainStore extends FakeStore implements DomainStore {
    FakeDomainStore(FakeStores data) {
        super(data);
    }

    static String position(String workspaceId, String name) {
        return workspaceId + "#" + name;
    }

    @Override
    public List<EmailDomain> list(String workspaceId) {
        return data.read(() -> data.domains.values().stream().filter(d -> d.workspaceId().equals(workspaceId)).toList());
    }

    @Override
    public Optional<EmailDomain> find(String workspaceId, String name) {
        return data.find(() -> data.domains.get(position(workspaceId, name)));
    }

    @Override
    public void add(EmailDomain domain, int limit, AuditEntry audit) {
        synchronized (data) {
            String ws = domain.workspaceId();
            new FakeTx(data)
                    .check(() -> !data.domains.containsKey(position(ws, domain.name())), () -> new AlreadyExists(
                            "domain-exists", "The workspace has added " + domain.name() + " already."))
                    .check(() -> data.workspaces.containsKey(ws),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> data.domainCounts.getOrDefault(ws, 0) < limit, () -> new Conflict("domain-limit",
                            "A workspace holds at most " + limit + " domains; remove one that is no longer needed first."))
                    .write(() -> {
                        data.domains.put(position(ws, domain.name()), domain);
                        data.domainCounts.merge(ws, 1, Integer::sum);
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void saveCheck(EmailDomain before, EmailDomain after, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data).check(() -> sameVersion(before), FakeDomainStore::changedMeanwhile)
                    .write(() -> data.domains.put(position(after.workspaceId(), after.name()), after));
            if (audit != null) {
                tx.write(() -> appendAudit(audit));
            }
            tx.commit();
        }
    }

    @Override
    public void remove(EmailDomain before, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data).check(() -> sameVersion(before), FakeDomainStore::changedMeanwhile)
                    .write(() -> {
                        data.domains.remove(position(before.workspaceId(), before.name()));
                        data.domainCounts.merge(before.workspaceId(), -1, Integer::sum);
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public Page page(String after, int limit) {
        synchronized (data) {
            List<EmailDomain> page = new ArrayList<>();
            boolean more = false;
            for (Map.Entry<String, EmailDomain> e : (after == null ? data.domains
                    : data.domains.tailMap(after, false)).entrySet()) {
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(e.getValue());
            }
            String last = page.isEmpty() ? null : position(page.getLast().workspaceId(), page.getLast().name());
            return new Page(page, last, more);
        }
    }

    @Override
    public Optional<Run> currentRun() {
        return data.find(() -> data.domainRun);
    }

    @Override
    public boolean startRun(String runId, Instant at) {
        synchronized (data) {
            if (data.domainRun != null) {
                return false;
            }
            data.runInterleaved();
            if (data.domainRun != null) {
                return false;
            }
            data.domainRun = new Run(runId, null);
            return true;
        }
    }

    @Override
    public boolean advance(Run read, String position, boolean finished) {
        synchronized (data) {
            data.runInterleaved();
            if (!read.equals(data.domainRun)) {
                return false;
            }
            data.domainRun = finished ? null : new Run(read.runId(), position);
            return true;
        }
    }

    private boolean sameVersion(EmailDomain before) {
        EmailDomain stored = data.domains.get(position(before.workspaceId(), before.name()));
        return stored != null && stored.version() == before.version();
    }

    private void appendAudit(AuditEntry e) {
        data.audit.computeIfAbsent(e.workspaceId(), ws -> new ArrayList<>()).add(e);
    }

    private static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The domain was changed by another request meanwhile; reload and retry.");
    }
}
