package dev.wsl.activation;

import dev.wsl.core.SunsetSettings;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.ActivationStore.Credential;
import dev.wsl.core.store.ActivationStore.Kind;
import dev.wsl.core.store.ActivationStore.Snapshot;
import dev.wsl.core.store.ActivationStore.UseRecord;
import dev.wsl.telemetry.Invocation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Which license a presented credential activates now (PRODUCT.md section 6). This is the one
 * decision behind both license activation ({@link ActivationService}) and the token authorizer
 * ({@link TokenAuthorizer}), so that a credential may call the platform exactly when it may start
 * LocalStack, and a change (unassign, remove, rotate, revoke, delete, a brownout, the cut-off) stops
 * both at their next call.
 *
 * <ul>
 *   <li>A credential that a rotation replaced with an overlap activates like its successor until the overlap
 *       ends (its lookup item carries {@code expiresAt}); from then on it is refused as if it never existed.</li>
 *   <li>Auth token → the license assigned to its user. When the user holds licenses in several
 *       workspaces, the one in the workspace they chose for the token (Auth Token page; by default the
 *       first they joined themselves), carried on the token's lookup item; when that one licenses them
 *       no longer, a caller that names the license it cached keeps it while that one stays valid, else the
 *       workspace they joined first. No other workspace's action (a subscription that ends later, a new
 *       license) moves the token.</li>
 *   <li>CI key → a CI license of its workspace, while the workspace has an active subscription.</li>
 *   <li>Legacy API key → a license for the key, while its workspace has an active subscription and the
 *       sunset plan allows legacy keys (not in a brownout, not after the cut-off).</li>
 * </ul>
 *
 * <p>Reads: none for a legacy key the sunset plan refuses (the answer is the same for every legacy
 * key, known or not); otherwise one consistent GetItem of the credential's lookup item, then one
 * consistent BatchGetItem of the pools and members it names. A {@link Use} to record (activation
 * records one; the authorizer none) travels beside the second read. Nothing is cached between
 * decisions. When the table stays throttled through the store's bounded re-requests of step 2, the
 * answer is {@link Refusal#SERVER_BUSY}: activation says so to the client, the authorizer denies.
 * Thread-safe.
 */
public final class LicenseDecision {
    static final String CI_LICENSE_TYPE = "CI";
    /** A user licensed in more workspaces than this is served from the first ones (one batch read holds 100 keys). */
    static final int MAX_CANDIDATES = 50;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    /** The answer: an {@link Entitlement}, or a refusal saying why (never which credentials exist). */
    public sealed interface Verdict permits Entitlement, Outcome.Refused {}

    /**
     * A machine's use of the credential, recorded for admins as its last activation (once an hour per
     * credential; CI keys also count every use per month).
     */
    public record Use(String machineId, String system) {}

    private final ActivationStore store;
    private final Clock clock;
    private final SunsetPlan sunset;

    /** @param sunset the legacy-key sunset plan, or null when none is configured */
    public LicenseDecision(ActivationStore store, Clock clock, SunsetPlan sunset) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.sunset = sunset;
    }

    /** The decision as the functions make it: the table and sunset plan of their environment, the system clock. */
    static LicenseDecision fromEnvironment(ActivationStore store) {
        return new LicenseDecision(store, Clock.systemUTC(), SunsetSettings.fromEnvironment().orElse(null));
    }

    /**
     * The credential kind its format says, or null when it cannot be a credential at all (so it is
     * refused before any read).
     *
     * @param apiKey whether it was presented as a legacy API key rather than as an auth token or CI key
     */
    public static Kind kindOf(String credential, boolean apiKey) {
        if (apiKey) {
            return LegacyKey.isWellFormed(credential) ? Kind.LEGACY_KEY : null;
        }
        if (!AuthTokens.isWellFormed(credential)) {
            return null;
        }
        return AuthTokens.isCiKey(credential) ? Kind.CI_KEY : Kind.AUTH_TOKEN;
    }

    /**
     * @param kind            what {@link #kindOf} said of the credential (never null)
     * @param use             the use to record, or null to record nothing
     * @param cachedLicenseId the license the caller holds and would keep, or null
     */
    public Verdict decide(Kind kind, String credential, Use use, String cachedLicenseId) {
        Objects.requireNonNull(kind);
        if (kind == Kind.LEGACY_KEY && sunset != null) {
            // Before any read: the answer is the same for every legacy key, known or not.
            Optional<String> refusal = sunset.legacyKeyRefusal(clock.instant());
            if (refusal.isPresent()) {
                return new Outcome.Refused(Refusal.LEGACY_KEY_SUNSET, refusal.get());
            }
        }
        String hash = Secrets.sha256Hex(credential);
        try {
            Optional<Credential> found = store.find(kind, hash);
            if (found.isEmpty()) {
                return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
            }
            Instant now = clock.instant();
            Credential c = found.get();
            if (c.expiresAt() != null && !now.isBefore(c.expiresAt())) {
                // A rotation's overlap is over: refused exactly as a credential that never existed, decided by the
                // lookup item just read (no other read).
                return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
            }
            return switch (kind) {
                case AUTH_TOKEN -> personal(c, hash, now, use, cachedLicenseId);
                case CI_KEY -> ofWorkspace(c, now, CI_LICENSE_TYPE, licenseId("ci", c.workspaceId(), c.keyId()),
                        use == null ? null : record(use, c.workspaceId(), c.keyId(), now, "ci-key", MONTH.format(now),
                                kind, hash, null));
                // A legacy key's license id is the key itself (the licensing protocol's rule): the entitlement holds
                // no id, so that it never carries a secret; activation puts the key into the document it signs.
                case LEGACY_KEY -> ofWorkspace(c, now, null, null,
                        use == null ? null : hourly(use, c, c.workspaceId(), c.keyId(), now, "legacy-key", kind, hash));
            };
        } catch (Busy throttled) {
            // A read the table did not answer (throttled, failing or too slow through the SDK's attempts), or step 2
            // left unprocessed even after the store asked again: an answer, not a failed function (which API Gateway
            // turns into a bare 500 and the client into a crash of its start). The cause goes into the summary line.
            Invocation invocation = Invocation.current();
            if (invocation != null) {
                invocation.failed(throttled);
            }
            return new Outcome.Refused(Refusal.SERVER_BUSY);
        }
    }

    private Verdict personal(Credential credential, String hash, Instant now, Use use, String cachedLicenseId) {
        TreeMap<String, String> candidates = new TreeMap<>(credential.licensedIn());
        if (candidates.isEmpty()) {
            return new Outcome.Refused(Refusal.NO_LICENSE);
        }
        String preferred = credential.activatesIn() != null && candidates.containsKey(credential.activatesIn())
                ? credential.activatesIn() : null;
        while (candidates.size() > MAX_CANDIDATES) {
            // The user's choice is never the one left out.
            candidates.remove(candidates.lastKey().equals(preferred) ? candidates.lowerKey(preferred)
                    : candidates.lastKey());
        }
        // The usage goes with step 2 to the likeliest pick: the user's choice, else the only candidate, almost always.
        String guess = preferred != null ? preferred : candidates.firstKey();
        UseRecord guessed = use == null ? null
                : hourly(use, credential, guess, candidates.get(guess), now, "auth-token", Kind.AUTH_TOKEN, hash);
        Snapshot snapshot = store.read(List.copyOf(candidates.keySet()), candidates,
                guessed == null ? List.of() : List.of(guessed));
        record Option(String workspaceId, String memberId, Subscription subscription, String licenseId, Instant joinedAt) {}
        List<Option> held = new ArrayList<>();
        boolean expired = false;
        for (Map.Entry<String, String> c : candidates.entrySet()) {
            Member member = snapshot.members().get(c.getValue());
            if (member == null || !member.workspaceId().equals(c.getKey()) || !member.activatesLicense()
                    || !Objects.equals(member.userId(), credential.userId())) {
                continue;
            }
            LicensePool pool = snapshot.pools().get(c.getKey());
            Optional<Subscription> s = pool == null ? Optional.empty() : current(pool, now);
            if (s.isEmpty()) {
                expired |= pool != null && !pool.subscriptions().isEmpty();
                continue;
            }
            held.add(new Option(c.getKey(), c.getValue(), s.get(), licenseId("member", c.getKey(), c.getValue()),
                    member.acceptedAt() == null ? Instant.MAX : member.acceptedAt()));
        }
        // The user's choice first; else the license the client cached; else the workspace the user joined first.
        // Nothing another workspace does (a later-ending subscription, a new license) moves a token elsewhere.
        Optional<Option> pick = held.stream().filter(o -> o.workspaceId().equals(preferred)).findFirst();
        if (pick.isEmpty() && cachedLicenseId != null) {
            pick = held.stream().filter(o -> o.licenseId().equals(cachedLicenseId)).findFirst();
        }
        if (pick.isEmpty()) {
            pick = held.stream().min(Comparator.comparing(Option::joinedAt).thenComparing(Option::workspaceId));
        }
        if (pick.isEmpty()) {
            return new Outcome.Refused(expired ? Refusal.EXPIRED : Refusal.NO_LICENSE);
        }
        Option chosen = pick.get();
        if (guessed != null && !chosen.workspaceId().equals(guess)) {
            store.record(hourly(use, credential, chosen.workspaceId(), chosen.memberId(), now, "auth-token",
                    Kind.AUTH_TOKEN, hash));
        }
        return new Entitlement(Kind.AUTH_TOKEN, credential.userId(), chosen.workspaceId(), chosen.memberId(), null,
                chosen.subscription(), chosen.licenseId(), chosen.subscription().plan(), now);
    }

    private Verdict ofWorkspace(Credential credential, Instant now, String type, String licenseId, UseRecord use) {
        Snapshot snapshot = store.read(List.of(credential.workspaceId()), Map.of(),
                use == null ? List.of() : List.of(use));
        LicensePool pool = snapshot.pools().get(credential.workspaceId());
        if (pool == null || pool.subscriptions().isEmpty()) {
            return new Outcome.Refused(Refusal.NO_LICENSE);
        }
        Optional<Subscription> s = current(pool, now);
        if (s.isEmpty()) {
            return new Outcome.Refused(Refusal.EXPIRED);
        }
        return new Entitlement(credential.kind(), null, credential.workspaceId(), null, credential.keyId(), s.get(),
                licenseId, type != null ? type : s.get().plan(), now);
    }

    /** The workspace's subscription that is active now and runs longest. */
    static Optional<Subscription> current(LicensePool pool, Instant now) {
        return pool.subscriptions().values().stream()
                .filter(s -> s.status() == Subscription.Status.ACTIVE && now.isBefore(s.periodEnd()))
                .max(Comparator.comparing(Subscription::periodEnd).thenComparing(Subscription::subscriptionId));
    }

    /**
     * A stable license id per assignment: the same member in the same workspace keeps the same
     * license across reactivations, so the client's cached license stays reusable.
     */
    static String licenseId(String kind, String workspaceId, String subjectId) {
        return "license_" + UUID.nameUUIDFromBytes((kind + ":" + workspaceId + ":" + subjectId)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The hourly usage record, or null when this credential's use was already recorded this hour. */
    private static UseRecord hourly(Use use, Credential credential, String workspaceId, String subjectId, Instant now,
                                    String label, Kind kind, String hash) {
        String hour = HOUR.format(now);
        if (hour.equals(credential.lastUseHour())) {
            return null;
        }
        return record(use, workspaceId, subjectId, now, label, null, kind, hash, hour);
    }

    private static UseRecord record(Use use, String workspaceId, String subjectId, Instant now, String label,
                                    String countMonth, Kind kind, String hash, String hour) {
        return new UseRecord(workspaceId, subjectId, now, use.machineId(), use.system(), label, countMonth, kind, hash,
                hour);
    }
}
