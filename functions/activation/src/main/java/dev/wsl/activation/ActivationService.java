package dev.wsl.activation;

import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.ActivationStore.Credential;
import dev.wsl.core.store.ActivationStore.Kind;
import dev.wsl.core.store.ActivationStore.Snapshot;
import dev.wsl.core.store.ActivationStore.UseRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * License activation (PRODUCT.md section 6): which license a presented credential activates now.
 *
 * <ul>
 *   <li>Auth token → the license assigned to its user. When the user holds licenses in several
 *       workspaces, the one whose subscription runs longest is chosen, ties going to the oldest
 *       workspace (ids are time-ordered); a reactivation keeps the license it cached while that one
 *       stays valid.</li>
 *   <li>CI key → a CI license of its workspace, while the workspace has an active subscription.</li>
 *   <li>Legacy API key → a license whose id is the key, while its workspace has an active subscription
 *       and the sunset plan allows legacy keys (not in a brownout, not after the cut-off).</li>
 * </ul>
 *
 * <p>A credential's format is checked before any read. Then one read of its lookup item and one
 * batch read of the members and pools it names; the usage record travels alongside the second
 * read. Nothing is cached between activations: an unassigned, removed, rotated or revoked
 * credential fails at its next activation. Thread-safe.
 */
public final class ActivationService {
    static final List<LicenseDocument.Product> PRODUCTS = List.of(new LicenseDocument.Product("localstack-pro", "*"));
    static final String CI_LICENSE_TYPE = "CI";
    /** A user licensed in more workspaces than this is served from the first ones (one batch read holds 100 keys). */
    static final int MAX_CANDIDATES = 50;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final ActivationStore store;
    private final Clock clock;
    private final Duration reactivateAfter;
    private final SunsetPlan sunset;

    /** @param sunset the legacy-key sunset plan, or null when none is configured */
    public ActivationService(ActivationStore store, Clock clock, Duration reactivateAfter, SunsetPlan sunset) {
        this.store = Objects.requireNonNull(store);
        this.sunset = sunset;
        this.clock = Objects.requireNonNull(clock);
        if (reactivateAfter.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("reactivate-after must be at least a minute");
        }
        this.reactivateAfter = reactivateAfter;
    }

    /** @param reactivation true for {@code /license/activate}, which must name the license it cached */
    public Outcome activate(ActivationRequest request, boolean reactivation) {
        if (reactivation && request.licenseId() == null) {
            return new Outcome.Refused(Refusal.BAD_REQUEST, "license_id is required on /license/activate.");
        }
        Kind kind = kindOf(request);
        if (kind == null) {
            return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
        }
        if (request.ci() && kind != Kind.CI_KEY) {
            return new Outcome.Refused(Refusal.DEVELOPER_CREDENTIAL_IN_CI);
        }
        if (kind == Kind.LEGACY_KEY && sunset != null) {
            // Before any read: the answer is the same for every legacy key, known or not.
            Optional<String> refusal = sunset.legacyKeyRefusal(clock.instant());
            if (refusal.isPresent()) {
                return new Outcome.Refused(Refusal.LEGACY_KEY_SUNSET, refusal.get());
            }
        }
        String hash = Secrets.sha256Hex(request.credential());
        Optional<Credential> found = store.find(kind, hash);
        if (found.isEmpty()) {
            return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
        }
        Instant now = clock.instant();
        Credential credential = found.get();
        Decision decision = switch (kind) {
            case AUTH_TOKEN -> personal(request, credential, hash, now, reactivation);
            case CI_KEY -> ofWorkspace(request, credential, now, CI_LICENSE_TYPE,
                    licenseId("ci", credential.workspaceId(), credential.keyId()),
                    use(request, credential.workspaceId(), credential.keyId(), now, "ci-key", MONTH.format(now), kind,
                            hash, null));
            case LEGACY_KEY -> ofWorkspace(request, credential, now, null, request.credential(),
                    hourly(request, credential, credential.workspaceId(), credential.keyId(), now, "legacy-key", kind, hash));
        };
        if (decision.refusal() != null) {
            return new Outcome.Refused(decision.refusal());
        }
        if (reactivation && !decision.licenseId().equals(request.licenseId())) {
            return new Outcome.Refused(Refusal.LICENSE_NOT_FOUND);
        }
        Subscription s = decision.subscription();
        Instant reactivate = now.plus(reactivateAfter);
        if (reactivate.isAfter(s.periodEnd())) {
            reactivate = s.periodEnd();
        }
        LicenseDocument license = new LicenseDocument(decision.licenseId(), decision.licenseType(), s.periodStart(),
                s.periodEnd(), PRODUCTS, "ACTIVE", now, reactivate);
        return new Outcome.Granted(license, request.credential(), reactivation ? request.productVersion() : null);
    }

    /** The credential kind its format says, or null when it cannot be a credential at all. */
    static Kind kindOf(ActivationRequest request) {
        String credential = request.credential();
        if (request.credentialType().equals(ActivationRequest.API_KEY)) {
            return LegacyKey.isWellFormed(credential) ? Kind.LEGACY_KEY : null;
        }
        if (!AuthTokens.isWellFormed(credential)) {
            return null;
        }
        return AuthTokens.isCiKey(credential) ? Kind.CI_KEY : Kind.AUTH_TOKEN;
    }

    private record Decision(Refusal refusal, Subscription subscription, String licenseId, String licenseType) {
        static Decision refused(Refusal refusal) {
            return new Decision(refusal, null, null, null);
        }
    }

    private Decision personal(ActivationRequest request, Credential credential, String hash, Instant now,
                              boolean reactivation) {
        Map<String, String> candidates = new TreeMap<>(credential.licensedIn());
        if (candidates.isEmpty()) {
            return Decision.refused(Refusal.NO_LICENSE);
        }
        while (candidates.size() > MAX_CANDIDATES) {
            ((TreeMap<String, String>) candidates).pollLastEntry();
        }
        // The usage goes with step 2 to the likeliest pick: the only candidate, almost always.
        String guess = candidates.keySet().iterator().next();
        List<UseRecord> alongside = new ArrayList<>();
        UseRecord guessed = hourly(request, credential, guess, candidates.get(guess), now, "auth-token",
                Kind.AUTH_TOKEN, hash);
        if (guessed != null) {
            alongside.add(guessed);
        }
        Snapshot snapshot = store.read(List.copyOf(candidates.keySet()), candidates, alongside);
        record Option(String workspaceId, String memberId, Subscription subscription, String licenseId) {}
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
            held.add(new Option(c.getKey(), c.getValue(), s.get(), licenseId("member", c.getKey(), c.getValue())));
        }
        Optional<Option> pick = reactivation
                ? held.stream().filter(o -> o.licenseId().equals(request.licenseId())).findFirst() : Optional.empty();
        if (pick.isEmpty()) {
            pick = held.stream().max(Comparator.comparing((Option o) -> o.subscription().periodEnd())
                    .thenComparing(Option::workspaceId, Comparator.reverseOrder()));
        }
        if (pick.isEmpty()) {
            return Decision.refused(expired ? Refusal.EXPIRED : Refusal.NO_LICENSE);
        }
        Option chosen = pick.get();
        if (guessed != null && !chosen.workspaceId().equals(guess)) {
            store.record(hourly(request, credential, chosen.workspaceId(), chosen.memberId(), now, "auth-token",
                    Kind.AUTH_TOKEN, hash));
        }
        return new Decision(null, chosen.subscription(), chosen.licenseId(), chosen.subscription().plan());
    }

    private Decision ofWorkspace(ActivationRequest request, Credential credential, Instant now, String type,
                                 String licenseId, UseRecord use) {
        Snapshot snapshot = store.read(List.of(credential.workspaceId()), Map.of(),
                use == null ? List.of() : List.of(use));
        LicensePool pool = snapshot.pools().get(credential.workspaceId());
        if (pool == null || pool.subscriptions().isEmpty()) {
            return Decision.refused(Refusal.NO_LICENSE);
        }
        Optional<Subscription> s = current(pool, now);
        if (s.isEmpty()) {
            return Decision.refused(Refusal.EXPIRED);
        }
        return new Decision(null, s.get(), licenseId, type != null ? type : s.get().plan());
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
    private static UseRecord hourly(ActivationRequest request, Credential credential, String workspaceId,
                                    String subjectId, Instant now, String label, Kind kind, String hash) {
        String hour = HOUR.format(now);
        if (hour.equals(credential.lastUseHour())) {
            return null;
        }
        return use(request, workspaceId, subjectId, now, label, null, kind, hash, hour);
    }

    private static UseRecord use(ActivationRequest request, String workspaceId, String subjectId, Instant now,
                                 String label, String countMonth, Kind kind, String hash, String hour) {
        return new UseRecord(workspaceId, subjectId, now, request.machineId(), request.system(), label, countMonth,
                kind, hash, hour);
    }
}
