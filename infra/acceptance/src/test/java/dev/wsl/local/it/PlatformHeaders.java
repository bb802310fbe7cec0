package dev.wsl.local.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Platform-call headers in the LocalStack client's forms, written by the tests themselves (for the
 * matrix and for variants the client never sends); the real client's own headers come from
 * {@link LocalStackClient#platformCallWithAuthToken}.
 */
final class PlatformHeaders {
    private PlatformHeaders() {}

    /** {@code Authorization: Basic base64(user + ":" + token)}; the client's form has an empty user. */
    static Map<String, String> basic(String user, String token) {
        return Map.of("authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> basic(String token) {
        return basic("", token);
    }

    static Map<String, String> apiKey(String key) {
        return Map.of("ls-api-key", key, "ls-version", Activations.VERSION);
    }
}
