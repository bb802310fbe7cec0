package dev.wsl.testkit;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.DomainStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.SunsetStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * In-memory fakes of all stores over one shared state, as the DynamoDB stores share one table: a
 * removal frees a seat, an invitation writes an outbox message, a license updates the token's index.
 * Each mutating call is one {@link FakeTx} under one lock, with the same conditions, in the same
 * order, and the same typed failures as the DynamoDB stores; the contract tests hold both to that.
 * Thread-safe.
 */
public final class FakeStores implements StoreSet {
    // ------------------------------------------------------------------ the state (guarded by this)

    final Map<String, Workspace> workspaces = new HashMap<>();
    /** By workspace, by member id (sorted: the table lists members in id order). */
    final Map<String, TreeMap<String, Member>> members = new HashMap<>();
    final Map<String, String> emailLocks = new HashMap<>();
    /** SCIM userName (lower-cased) and externalId locks, by {@code ws\nvalue}. */
    final Map<String, String> userNameLocks = new HashMap<>();
    final Map<String, String> externalIdLocks = new HashMap<>();
    final Map<String, Grant> grants = new HashMap<>();
    final Map<String, List<AuditEntry>> audit = new HashMap<>();
    final Map<String, WorkspaceStore.InvitationRef> invitationTokens = new HashMap<>();
    final Map<String, Profile> profiles = new HashMap<>();
    final Map<String, Credential> credentials = new HashMap<>();
    final Map<String, CiKey> ciKeys = new TreeMap<>();
    final Map<String, Usage> usage = new HashMap<>();
    final Map<String, LicensePool> pools = new HashMap<>();
    /** By position {@code ws#keyId}: the order the sunset job pages in. */
    final TreeMap<String, LegacyKey> legacyKeys = new TreeMap<>();
    final Map<String, KeyClaim> claims = new HashMap<>();
    final Map<OutboxMessage.Id, OutboxEntry> outbox = new HashMap<>();
    final Map<String, SunsetStore.KeyState> sunsetStates = new HashMap<>();
    final Map<String, Instant> digests = new HashMap<>();
    SunsetStore.Checkpoint currentRun;
    final Map<String, Map<String, Object>> runs = new HashMap<>();
    /** The SCIM token item by workspace (its use is on the lookup), the lookups by hash, held changes by ws\nid. */
    final Map<String, ScimToken> scimTokens = new HashMap<>();
    final Map<String, ScimLookup> scimLookups = new HashMap<>();
    final Map<String, PendingChange> scimChanges = new HashMap<>();
    /** When the identity provider last took ADMIN from an admin, by workspace (the window item). */
    final Map<String, Instant> idpAdminLosses = new HashMap<>();

    /** A SCIM token's lookup: its workspace and the hour of its last recorded use. */
    record ScimLookup(String workspaceId, Instant lastUseHour) {}

    /**
     * IdP groups (issue 18), as the table keeps them: the group items by workspace, in id order; the locks of
     * their names ({@code ws\nnameKey}) and externalIds ({@code ws\nexternalId}); the membership items from the
     * group's side ({@code ws\ngroupId} → member ids) and the member's ({@code ws\nmemberId} → group ids); the
     * counter of groups and the list of mapped groups by workspace; list bookmarks by {@code ws\nlist}.
     */
    final Map<String, TreeMap<String, dev.wsl.core.domain.ScimGroup>> scimGroups = new HashMap<>();
    final Map<String, String> scimGroupNames = new HashMap<>();
    final Map<String, String> scimGroupExternalIds = new HashMap<>();
    final Map<String, TreeSet<String>> scimGroupMembers = new HashMap<>();
    final Map<String, TreeSet<String>> scimMemberGroups = new HashMap<>();
    final Map<String, Long> scimGroupCounts = new HashMap<>();
    final Map<String, TreeMap<String, String>> scimMappedGroups = new HashMap<>();
    final Map<String, TreeMap<Long, ScimStore.Bookmark>> scimBookmarks = new HashMap<>();

    /** Email domains by position {@code ws#domain} (the order the daily check pages in); counts by workspace. */
    final TreeMap<String, EmailDomain> domains = new TreeMap<>();
    final Map<String, Integer> domainCounts = new HashMap<>();
    DomainStore.Run domainRun;
    /**
     * Where an auth token activates (the user's choice, or the first workspace they joined themselves): on the
     * user record, by user id, and on the token's lookup item, by token hash, as the table keeps it in both.
     */
    final Map<String, String> profileChoice = new HashMap<>();
    final Map<String, String> credentialChoice = new HashMap<>();
    /** Seats (issue 21) by {@code ws\nmemberId}: one per license held, as the seat index keeps them. */
    final Map<String, dev.wsl.core.domain.Seat> seats = new HashMap<>();
    /** Seat policies by workspace (in workspace order: the reclaim job's work list). */
    final TreeMap<String, dev.wsl.core.domain.SeatPolicy> seatPolicies = new TreeMap<>();
    dev.wsl.core.port.SeatStore.Checkpoint reclaimRun;
    final Map<String, Map<String, Object>> reclaimRuns = new HashMap<>();
    /** Invitation emails per day, by {@code to\n{email}\n{day}} and {@code ws\n{ws}\n{day}} (the table's counters). */
    final Map<String, Integer> invitationCounters = new HashMap<>();

    /**
     * The user record: the account's email and name, the auth token's hash, sealed copy and hint, and the token a
     * rotation's overlap keeps (null: none).
     */
    record Profile(String userId, EmailAddress email, String username, String tokenHash, String sealed, String hint,
                   Instant issuedAt, dev.wsl.core.domain.Overlap previous) {
        Profile(String userId, EmailAddress email, String username, String tokenHash, String sealed, String hint,
                Instant issuedAt) {
            this(userId, email, username, tokenHash, sealed, hint, issuedAt, null);
        }

        /** As {@code ProfileToken.hashes}: the old token while its overlap lasts by the wall clock. */
        dev.wsl.core.domain.TokenHashes hashes() {
            return new dev.wsl.core.domain.TokenHashes(tokenHash,
                    previous != null && previous.lastsAt(Instant.now()) ? previous.hash() : null);
        }
    }

    /**
     * A credential's lookup: an auth token (user, licensed workspaces → member) or a CI key; with {@code expiresAt}
     * when a rotation replaced it and kept it valid until then.
     */
    record Credential(boolean ciKey, String userId, TreeMap<String, String> licensedIn, String workspaceId,
                      String keyId, Instant expiresAt) {
        Credential(boolean ciKey, String userId, TreeMap<String, String> licensedIn, String workspaceId, String keyId) {
            this(ciKey, userId, licensedIn, workspaceId, keyId, null);
        }

        Credential expiringAt(Instant at) {
            return new Credential(ciKey, userId, licensedIn, workspaceId, keyId, at);
        }
    }

    /** An outbox message and its delivery state. */
    static final class OutboxEntry {
        final OutboxMessage message;
        OutboxStore.State state = OutboxStore.State.PENDING;
        int attempts;
        Instant leaseUntil;
        Instant due;

        OutboxEntry(OutboxMessage message, Instant due) {
            this.message = message;
            this.due = due;
        }
    }

    // ------------------------------------------------------------------ the stores

    private final FakeWorkspaceStore workspaceStore = new FakeWorkspaceStore(this);
    private final FakeLicenseStore licenseStore = new FakeLicenseStore(this);
    private final FakeCredentialStore credentialStore = new FakeCredentialStore(this);
    private final FakeOutboxStore outboxStore = new FakeOutboxStore(this);
    private final FakeSunsetStore sunsetStore = new FakeSunsetStore(this);
    private final FakeScimStore scimStore = new FakeScimStore(this);

    private final FakeDomainStore domainStore = new FakeDomainStore(this);
    private final FakeSeatStore seatStore = new FakeSeatStore(this);

    @Override
    public dev.wsl.core.port.SeatStore seats() {
        return seatStore;
    }

    private final FakeUsageStore usageStore = new FakeUsageStore();

    @Override
    public WorkspaceStore workspaces() {
        return workspaceStore;
    }

    @Override
    public LicenseStore licenses() {
        return licenseStore;
    }

    @Override
    public CredentialStore credentials() {
        return credentialStore;
    }

    @Override
    public OutboxStore outbox() {
        return outboxStore;
    }

    @Override
    public SunsetStore sunset() {
        return sunsetStore;
    }

    @Override
    public ScimStore scim() {
        return scimStore;
    }

    @Override
    public DomainStore domains() {
        return domainStore;
    }

    @Override
    public FakeUsageStore usage() {
        return usageStore;
    }

    // ------------------------------------------------------------------ races

    private final java.util.ArrayDeque<Runnable> interleaved = new java.util.ArrayDeque<>();

    /** A run record as a run starts (the reclaim job's, the sunset's): RUNNING since {@code at}. */
    static Map<String, Object> startedRun(String runId, Instant at) {
        Map<String, Object> run = new java.util.LinkedHashMap<>();
        run.put("runId", runId);
        run.put("startedAt", at.toString());
        run.put("status", "RUNNING");
        return run;
    }

    /**
     * A checkpoint's mark on its run record (after its counters): one invocation more for an invocation's first,
     * when it was updated, and COMPLETE when the run finished.
     */
    static void recordCheckpoint(Map<String, Object> run, boolean newInvocation, boolean finished, Instant at) {
        if (newInvocation) {
            run.merge("invocations", 1L, (a, b) -> (Long) a + (Long) b);
        }
        run.put("updatedAt", at.toString());
        if (finished) {
            run.put("status", "COMPLETE");
            run.put("finishedAt", at.toString());
        }
    }

    /** A read under the lock every fake takes (the one monitor of these stores). */
    synchronized <T> T read(java.util.function.Supplier<T> read) {
        return read.get();
    }

    /** {@link #read}, absent when the read finds nothing. */
    synchronized <T> Optional<T> find(java.util.function.Supplier<T> read) {
        return Optional.ofNullable(read.get());
    }

    /**
     * Runs {@code concurrently} once, at the next all-or-nothing write of any store, after the caller's
     * reads and before the write's conditions are checked: a request that got there first. It may use
     * the stores itself, or throw (e.g. {@code Busy}, as a transaction that collided). Hooks queue up:
     * each write takes the next one.
     */
    public synchronized void beforeNextWrite(Runnable concurrently) {
        interleaved.add(concurrently);
    }

    private boolean interleaving;

    /** Runs the next hook, unless this write is a hook's own (hooks do not nest). */
    synchronized void runInterleaved() {
        Runnable next = interleaving ? null : interleaved.poll();
        if (next == null) {
            return;
        }
        interleaving = true;
        try {
            next.run();
        } finally {
            interleaving = false;
        }
    }

    /** How many interleaved hooks are still waiting for a write. */
    public synchronized int pendingInterleaved() {
        return interleaved.size();
    }

    // ------------------------------------------------------------------ what tests look at and arrange

    @Override
    public synchronized SeatTally recount(String workspaceId) {
        SeatTally tally = SeatTally.ZERO;
        for (Member m : members.getOrDefault(workspaceId, new TreeMap<>()).values()) {
            tally = tally.plus(SeatTally.of(m.holdings()));
        }
        for (LegacyKey k : legacyKeys.values()) {
            if (k.workspaceId().equals(workspaceId)) {
                tally = tally.plus(SeatTally.ofKey(true, k.assigned()));
            }
        }
        return tally;
    }

    /** The unassigned keys as the pool names them, from the key items. */
    public synchronized TreeSet<String> unassignedKeys(String workspaceId) {
        TreeSet<String> out = new TreeSet<>();
        legacyKeys.values().stream().filter(k -> k.workspaceId().equals(workspaceId) && !k.assigned())
                .forEach(k -> out.add(SeatChange.display(k)));
        return out;
    }

    @Override
    public synchronized Optional<KeyClaim> claim(String keyHash) {
        return Optional.ofNullable(claims.get(keyHash));
    }

    /** The audit trail of a workspace, oldest first. */
    public synchronized List<AuditEntry> auditOf(String workspaceId) {
        return List.copyOf(audit.getOrDefault(workspaceId, List.of()));
    }

    /** Where each invitation token hash leads (the links the mailer issued and nobody used yet). */
    public synchronized Map<String, WorkspaceStore.InvitationRef> invitationTokens() {
        return Map.copyOf(invitationTokens);
    }

    /** The workspaces (→ member) the user's current auth token activates a license in. */
    public synchronized Map<String, String> licensedIn(String userId) {
        Profile p = profiles.get(userId);
        Credential c = p == null || p.tokenHash() == null ? null : credentials.get(p.tokenHash());
        return c == null ? Map.of() : Map.copyOf(c.licensedIn());
    }

    @Override
    public synchronized Optional<String> tokenChoice(String tokenHash) {
        return Optional.ofNullable(credentialChoice.get(tokenHash));
    }

    @Override
    public synchronized Optional<Lookup> lookup(String credentialHash) {
        Credential c = credentials.get(credentialHash);
        return c == null ? Optional.empty() : Optional.of(new Lookup(c.ciKey() ? c.keyId() : c.userId(),
                Map.copyOf(c.licensedIn()), credentialChoice.get(credentialHash), c.expiresAt()));
    }

    /** Where the user's current auth token activates by choice, as its lookup item says (null: no choice). */
    public synchronized String activatesIn(String userId) {
        Profile p = profiles.get(userId);
        return p == null || p.tokenHash() == null ? null : credentialChoice.get(p.tokenHash());
    }

    @Override
    public void recordActivation(String workspaceId, String memberId, Instant at) {
        recordUsage(workspaceId, new Usage(memberId, at, "machine-1", "Linux", "auth-token", Map.of()));
    }

    /**
     * Records an activation, as the activation function would: an auth token's use also moves the member's seat
     * (its last activity, to the second), in the same write.
     */
    public synchronized void recordUsage(String workspaceId, Usage use) {
        usage.put(key(workspaceId, use.subjectId()), use);
        dev.wsl.core.domain.Seat seat = seats.get(key(workspaceId, use.subjectId()));
        if (seat != null && "auth-token".equals(use.credential()) && use.at() != null) {
            seats.put(key(workspaceId, use.subjectId()), new dev.wsl.core.domain.Seat(workspaceId, seat.memberId(),
                    use.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), seat.licensedAt(), use, seat.notice()));
        }
    }

    /** The outbox messages in the order they were written, with their state. */
    public synchronized List<OutboxMessage> outboxMessages() {
        List<OutboxMessage> out = new ArrayList<>();
        outbox.values().stream().map(e -> e.message)
                .sorted(java.util.Comparator.comparing(OutboxMessage::createdAt).thenComparing(OutboxMessage::sequence))
                .forEach(out::add);
        return out;
    }

    static String key(String a, String b) {
        return a + "\n" + b;
    }

    static String position(LegacyKey key) {
        return key.workspaceId() + "#" + key.keyId();
    }
}
