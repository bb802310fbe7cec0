package dev.wsl.members;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Secret;
import dev.wsl.core.domain.SecretCredentials;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The caller's own personal auth token: view it again, rotate it (at once, or keeping the old one valid for a
 * chosen overlap of at most {@link Overlap#MAX}), end an overlap now. Only the owner reaches it: the user id
 * comes from the verified JWT, never from the path. Thread-safe.
 */
public final class AuthTokenService {
    private final CredentialStore credentials;
    private final TokenSealer sealer;
    private final SecretCredentials secrets;

    public AuthTokenService(CredentialStore credentials, TokenSealer sealer, Clock clock, RetryPolicy retry) {
        this.credentials = Objects.requireNonNull(credentials);
        this.sealer = Objects.requireNonNull(sealer);
        this.secrets = new SecretCredentials(clock, retry);
    }

    /**
     * The token in plaintext, for its owner, and the old token an overlap keeps valid (its hint and end only: it
     * is not shown again), or null.
     */
    public record Shown(String token, String hint, Instant issuedAt, Overlap previous) {
        @Override
        public String toString() {
            return "Shown[hint=" + hint + ", issuedAt=" + issuedAt + ", previous=" + previous + "]";
        }
    }

    public Shown view(Caller caller) {
        CredentialStore.StoredToken stored = credentials.personalToken(caller.userId()).orElseThrow(AuthTokenService::none);
        return new Shown(sealer.open(caller.userId(), stored.sealed()), stored.hint(), stored.issuedAt(),
                lasting(stored.previous()));
    }

    /** As {@link #rotate(Caller, Duration)} without an overlap: the old token stops at once. */
    public Shown rotate(Caller caller) {
        return rotate(caller, Duration.ZERO);
    }

    /**
     * A new token that activates exactly the licenses the old one did. The old one stops at once, or with an
     * {@code overlap} activates the same until then (an earlier overlap ends now). Retried when a license change
     * or another rotation of the same user raced with it.
     *
     * @throws InvalidInput {@code invalid-overlap} for an overlap below zero or above {@link Overlap#MAX}
     */
    public Shown rotate(Caller caller, Duration overlap) {
        SecretCredentials.requireOverlap(overlap, "token");
        return secrets.issue(Secret.Kind.AUTH_TOKEN, (secret, now) -> {
            CredentialStore.StoredToken current = credentials.personalToken(caller.userId())
                    .orElseThrow(AuthTokenService::none);
            PersonalToken next = PersonalToken.of(secret, caller.userId(), sealer, now);
            Instant keepOldUntil = SecretCredentials.keepOldUntil(now, overlap);
            credentials.rotate(current, next, keepOldUntil);
            return new Shown(next.token(), next.hint(), next.issuedAt(),
                    keepOldUntil == null ? null : new Overlap(current.hash(), current.hint(), keepOldUntil));
        });
    }

    /** "End now": the old token of an overlap stops at once. Nothing to end is no error (an overlap that ran out). */
    public void endOverlap(Caller caller) {
        secrets.change(now -> {
            CredentialStore.StoredToken current = credentials.personalToken(caller.userId())
                    .orElseThrow(AuthTokenService::none);
            credentials.endOverlap(current);
            return null;
        });
    }

    private Overlap lasting(Overlap previous) {
        return previous == null || !previous.lastsAt(secrets.now()) ? null : previous;
    }

    private static NotFound none() {
        return new NotFound("no-auth-token",
                "You have no auth token yet: it is issued when you create or join your first workspace.");
    }
}
