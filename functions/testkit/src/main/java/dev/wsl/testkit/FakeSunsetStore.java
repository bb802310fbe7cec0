package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.port.SunsetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link SunsetStore} over {@link FakeStores}, as {@code DynamoSunsetStore}: keys in (workspace, key)
 * order, a page that reaches its limit says "more" even when nothing follows (as a query's
 * LastEvaluatedKey does), and the checkpoint moves only from the position read.
 */
final class FakeSunsetStore extends FakeStore implements SunsetStore {
    FakeSunsetStore(FakeStores data) {
        super(data);
    }

    @Override
    public KeyPage keys(String after, int limit) {
        synchronized (data) {
            List<LegacyKey> page = new ArrayList<>((after == null ? data.legacyKeys : data.legacyKeys.tailMap(after, false))
                    .values().stream().limit(limit).toList());
            return new KeyPage(page, page.isEmpty() ? null : FakeStores.position(page.getLast()),
                    !page.isEmpty() && page.size() == limit);
        }
    }

    @Override
    public PageContext context(List<LegacyKey> keys) {
        synchronized (data) {
            Map<String, KeyState> states = new HashMap<>();
            Map<String, Member> assignees = new HashMap<>();
            Map<String, Usage> usage = new HashMap<>();
            for (LegacyKey k : keys) {
                KeyState state = data.sunsetStates.get(key(k.workspaceId(), k.keyId()));
                if (state != null) {
                    states.put(k.keyId(), state);
                }
                if (k.assigned()) {
                    Member m = data.members.getOrDefault(k.workspaceId(), new TreeMap<>()).get(k.assigneeMemberId());
                    if (m != null) {
                        assignees.put(m.memberId(), m);
                    }
                    Usage u = data.usage.get(key(k.workspaceId(), k.assigneeMemberId()));
                    if (u != null) {
                        usage.put(u.subjectId(), u);
                    }
                }
            }
            return new PageContext(states, assignees, usage);
        }
    }

    @Override
    public void saveStates(List<StateWrite> writes) {
        synchronized (data) {
            for (StateWrite w : writes) {
                String k = key(w.key().workspaceId(), w.key().keyId());
                if (w.state() == null) {
                    data.sunsetStates.remove(k);
                } else {
                    data.sunsetStates.put(k, w.state());
                }
            }
        }
    }

    @Override
    public Set<String> digestsSent(String workspaceId) {
        synchronized (data) {
            Set<String> sent = new TreeSet<>();
            data.digests.keySet().stream().filter(k -> k.startsWith(workspaceId + "\n"))
                    .forEach(k -> sent.add(k.substring(workspaceId.length() + 1)));
            return sent;
        }
    }

    @Override
    public void recordDigest(String workspaceId, String notice, Instant at) {
        synchronized (data) {
            data.digests.put(key(workspaceId, notice), at);
        }
    }

    @Override
    public List<EmailAddress> admins(String workspaceId) {
        synchronized (data) {
            return data.members.getOrDefault(workspaceId, new TreeMap<>()).values().stream()
                    .filter(m -> m.status() == MemberStatus.ACTIVE && m.access().isAdmin()).map(Member::email).toList();
        }
    }

    @Override
    public Optional<Checkpoint> currentRun() {
        return data.find(() -> data.currentRun);
    }

    @Override
    public boolean startRun(String runId, Instant at, Map<String, String> plan) {
        synchronized (data) {
            if (data.currentRun != null || data.runs.containsKey(runId)) {
                return false;
            }
            data.currentRun = new Checkpoint(runId, null, 0);
            Map<String, Object> run = FakeStores.startedRun(runId, at);
            run.put("plan", new TreeMap<>(plan));
            data.runs.put(runId, run);
            return true;
        }
    }

    @Override
    public boolean checkpoint(Checkpoint read, String position, Map<String, Long> counts, boolean finished,
                              boolean newInvocation, Instant at) {
        synchronized (data) {
            Checkpoint current = data.currentRun;
            Map<String, Object> run = data.runs.get(read.runId());
            if (run == null || current == null || !current.runId().equals(read.runId())
                    || !java.util.Objects.equals(current.position(), read.position())) {
                return false;
            }
            counts.forEach((name, n) -> {
                if (n != 0) {
                    run.merge(name, n, (a, b) -> (Long) a + (Long) b);
                }
            });
            FakeStores.recordCheckpoint(run, newInvocation, finished, at);
            if (finished) {
                data.currentRun = null;
            } else {
                data.currentRun = new Checkpoint(read.runId(), position,
                        current.invocations() + (newInvocation ? 1 : 0));
            }
            return true;
        }
    }

    @Override
    public Map<String, Object> run(String runId) {
        return data.read(() -> new LinkedHashMap<>(data.runs.getOrDefault(runId, Map.of())));
    }
}
