package dev.wsl.members;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.TokenSealer;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues a person's first auth token, sealed, with their first membership: the capability that only the use cases a
 * person drives hold (creating a workspace, accepting an invitation, the first sign-in), so the compositions without
 * it (the identity provider's, {@link ProvisioningUseCases}) cannot issue one. Thread-safe.
 */
final class TokenIssuer {
    private final TokenSealer sealer;

    TokenIssuer(TokenSealer sealer) {
        this.sealer = Objects.requireNonNull(sealer);
    }

    /** The caller's auth token, or null when the caller has one already (the user record is written with it). */
    PersonalToken unless(Optional<TokenHashes> current, Caller caller, Instant now) {
        return current.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
    }
}
