package dev.wsl.testkit;

import dev.wsl.core.domain.TokenSealer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A {@link TokenSealer} without KMS that keeps its contract: a sealed token opens only for the user
 * it was sealed for (the encryption context). Not secure, obviously; for unit tests. Thread-safe.
 */
public final class FakeSealer implements TokenSealer {
    @Override
    public String seal(String userId, String token) {
        return Base64.getEncoder().encodeToString((userId + "\n" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String open(String userId, String sealed) {
        String plain = new String(Base64.getDecoder().decode(sealed), StandardCharsets.UTF_8);
        if (!plain.startsWith(userId + "\n")) {
            throw new IllegalArgumentException("sealed for another user");
        }
        return plain.substring(userId.length() + 1);
    }
}
