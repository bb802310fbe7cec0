package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.port.SeatStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link SeatStore} in memory, over the shared state; the seat index is the seats map, ordered on each query. */
final class FakeSeatStore extends FakeStore implements SeatStore {
    FakeSeatStore(FakeStores data) {
        super(data);
    }

    @Override
    public Overview overview(String workspaceId) {
        synchronized (data) {
            return new Overview(data.pools.getOrDefault(workspaceId, LicensePool.empty(workspaceId)),
                    policy(workspaceId));
        }
    }

    @Override
    public SeatPolicy policy(String workspaceId) {
        return data.read(() -> data.seatPolicies.getOrDefault(workspaceId, SeatPolicy.defaults(workspaceId)));
    }

    @Override
    public void savePolicy(SeatPolicy read, SeatPolicy next, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data).check(() -> policy(read.workspaceId()).version() == read.version(),
                            () -> new ChangedMeanwhile("The seat policy was changed meanwhile; reload and retry."))
                    .write(() -> {
                        SeatPolicy stored = policy(read.workspaceId());
                        data.seatPolicies.put(read.workspaceId(), next.withCounts(stored.idle()));
                        data.audit.computeIfAbsent(audit.workspaceId(), w -> new ArrayList<>()).add(audit);
                    })
                    .commit();
        }
    }

    @Override
    public SeatPage idleSeats(String workspaceId, Instant before, int limit, String after) {
        synchronized (data) {
            Instant cutoff = before.truncatedTo(ChronoUnit.SECONDS);
            String[] start = decode(after);
            List<Seat> ordered = data.seats.values().stream().filter(s -> s.workspaceId().equals(workspaceId))
                    .filter(s -> s.lastActivity().isBefore(cutoff))
                    .sorted(Comparator.comparing((Seat s) -> s.lastActivity()).thenComparing(Seat::memberId))
                    .filter(s -> start == null || position(s).compareTo(start[0] + "\n" + start[1]) > 0).toList();
            List<Seat> page = ordered.subList(0, Math.min(limit, ordered.size()));
            return new SeatPage(page, ordered.size() > limit && !page.isEmpty() ? encode(page.getLast()) : null);
        }
    }

    @Override
    public Map<String, Seat> seats(String workspaceId, Collection<String> memberIds) {
        synchronized (data) {
            Map<String, Seat> out = new LinkedHashMap<>();
            for (String id : memberIds) {
                Seat s = data.seats.get(key(workspaceId, id));
                if (s != null) {
                    out.put(id, s);
                }
            }
            return out;
        }
    }

    @Override
    public PolicyPage policies(boolean reclaim, String after, int limit) {
        synchronized (data) {
            List<SeatPolicy> matching = data.seatPolicies.values().stream().filter(p -> p.reclaim() == reclaim)
                    .filter(p -> after == null || p.workspaceId().compareTo(after) > 0).toList();
            List<SeatPolicy> page = matching.subList(0, Math.min(limit, matching.size()));
            return new PolicyPage(page, page.isEmpty() ? null : page.getLast().workspaceId(), matching.size() > limit);
        }
    }

    @Override
    public void saveCounts(String workspaceId, SeatPolicy.IdleCounts counts) {
        synchronized (data) {
            SeatPolicy stored = data.seatPolicies.get(workspaceId);
            if (stored != null) {
                data.seatPolicies.put(workspaceId, stored.withCounts(counts));
            }
        }
    }

    @Override
    public boolean recordNotice(Seat read, Seat.ReclaimNotice notice, OutboxMessage email) {
        synchronized (data) {
            String seatKey = key(read.workspaceId(), read.memberId());
            try {
                new FakeTx(data).check(() -> {
                    Seat stored = data.seats.get(seatKey);
                    return stored != null && stored.lastActivity().equals(read.lastActivity()) && !stored.noticed();
                }, () -> new ChangedMeanwhile("The seat was used, ended or noticed meanwhile."))
                        .check(() -> !data.outbox.containsKey(email.id()),
                                () -> new ChangedMeanwhile("The notice was queued before."))
                        .write(() -> {
                            Seat stored = data.seats.get(seatKey);
                            data.seats.put(seatKey, new Seat(stored.workspaceId(), stored.memberId(),
                                    stored.lastActivity(), stored.licensedAt(), stored.lastActivation(), notice));
                            data.outbox.put(email.id(), new FakeStores.OutboxEntry(email, email.createdAt()));
                        }).commit();
                return true;
            } catch (ChangedMeanwhile e) {
                return false;
            }
        }
    }

    @Override
    public boolean queue(OutboxMessage message) {
        synchronized (data) {
            if (data.outbox.containsKey(message.id())) {
                return false;
            }
            data.outbox.put(message.id(), new FakeStores.OutboxEntry(message, message.createdAt()));
            return true;
        }
    }

    @Override
    public List<Member> admins(String workspaceId) {
        synchronized (data) {
            return data.members.getOrDefault(workspaceId, new TreeMap<>()).values().stream()
                    .filter(m -> m.status() == MemberStatus.ACTIVE && m.access().isAdmin()).toList();
        }
    }

    @Override
    public Optional<Checkpoint> currentRun() {
        return data.find(() -> data.reclaimRun);
    }

    @Override
    public boolean startRun(String runId, Instant at) {
        synchronized (data) {
            if (data.reclaimRun != null) {
                return false;
            }
            data.reclaimRun = new Checkpoint(runId, Progress.start(), 0, 0);
            data.reclaimRuns.put(runId, FakeStores.startedRun(runId, at));
            return true;
        }
    }

    @Override
    public boolean checkpoint(Checkpoint read, Progress next, Map<String, Long> counts, boolean finished,
                              boolean newInvocation, Instant at) {
        synchronized (data) {
            data.runInterleaved();
            Checkpoint stored = data.reclaimRun;
            if (stored == null || !stored.runId().equals(read.runId()) || stored.step() != read.step()) {
                return false;
            }
            Map<String, Object> run = data.reclaimRuns.get(read.runId());
            counts.forEach((name, n) -> run.merge(name, n, (a, b) -> (Long) a + (Long) b));
            FakeStores.recordCheckpoint(run, newInvocation, finished, at);
            if (finished) {
                data.reclaimRun = null;
            } else {
                data.reclaimRun = new Checkpoint(read.runId(), next, read.step() + 1,
                        read.invocations() + (newInvocation ? 1 : 0));
            }
            return true;
        }
    }

    @Override
    public Map<String, Object> run(String runId) {
        return data.read(() -> new HashMap<>(data.reclaimRuns.getOrDefault(runId, Map.of())));
    }

    private static String position(Seat s) {
        return s.lastActivity() + "\n" + s.memberId();
    }

    private static String encode(Seat s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position(s).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String position) {
        if (position == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(position), StandardCharsets.UTF_8).split("\n", 2);
            if (parts.length != 2 || !Ids.isWellFormed("m", parts[1])) {
                throw new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
            }
            Instant.parse(parts[0]);
            return parts;
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
        }
    }
}
