package dev.wsl.members;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The caller's own personal auth token: view it again, rotate it. Only the owner reaches it: the
 * user id comes from the verified JWT, never from the path. Thread-safe.
 */
public final class AuthTokenService {
    private final CredentialStore credentials;
    private final TokenSealer sealer;
    private final Clock clock;
    private final RetryPolicy retry;

    public AuthTokenService(CredentialStore credentials, TokenSealer sealer, Clock clock, RetryPolicy retry) {
        this.credentials = Objects.requireNonNull(credentials);
        this.sealer = Objects.requireNonNull(sealer);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** The token in plaintext, for its owner. */
    public record Shown(String token, String hint, Instant issuedAt) {
        @Override
        public String toString() {
            return "Shown[hint=" + hint + ", issuedAt=" + issuedAt + "]";
        }
    }

    public Shown view(Caller caller) {
        CredentialStore.StoredToken stored = credentials.personalToken(caller.userId()).orElseThrow(AuthTokenService::none);
        return new Shown(sealer.open(caller.userId(), stored.sealed()), stored.hint(), stored.issuedAt());
    }

    /**
     * A new token; the old one stops activating at once, and the new one activates exactly the
     * licenses the old one did. Retried when a license change to the same user raced with it.
     */
    public Shown rotate(Caller caller) {
        return retry.run(() -> {
            CredentialStore.StoredToken current = credentials.personalToken(caller.userId())
                    .orElseThrow(AuthTokenService::none);
            PersonalToken next = PersonalToken.issue(caller.userId(), sealer, clock.instant());
            credentials.rotate(current, next);
            return new Shown(next.token(), next.hint(), next.issuedAt());
        });
    }

    private static NotFound none() {
        return new NotFound("no-auth-token",
                "You have no auth token yet: it is issued when you create or join your first workspace.");
    }
}
