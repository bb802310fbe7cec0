package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The header forms of the LocalStack client's platform calls, and everything that is not one of them. */
class PlatformCredentialTest {
    private static final String TOKEN = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
    private static final String CI_KEY = AuthTokens.generate(AuthTokens.CI_PREFIX);
    private static final String LEGACY_KEY = "4e4ef4f3a2";

    @Test
    void theClientsForms_shouldGiveTheCredentialAndItsKind() {
        assertThat(PlatformCredential.fromHeaders(Map.of("authorization", basic(":" + TOKEN))))
                .contains(new PlatformCredential(Kind.AUTH_TOKEN, TOKEN));
        assertThat(PlatformCredential.fromHeaders(Map.of("authorization", basic(":" + CI_KEY))))
                .contains(new PlatformCredential(Kind.CI_KEY, CI_KEY));
        assertThat(PlatformCredential.fromHeaders(Map.of("ls-api-key", LEGACY_KEY, "ls-version", "2026.8.2")))
                .contains(new PlatformCredential(Kind.LEGACY_KEY, LEGACY_KEY));
        // Names in any case (the run command's server and API Gateway lower-case them anyway), other headers ignored.
        assertThat(PlatformCredential.fromHeaders(Map.of("Authorization", basic(":" + TOKEN), "User-Agent", "python")))
                .contains(new PlatformCredential(Kind.AUTH_TOKEN, TOKEN));
        assertThat(PlatformCredential.fromHeaders(Map.of("authorization", "basic " + basic(":" + TOKEN).substring(6))))
                .as("the scheme is case-insensitive (RFC 9110)").isPresent();
    }

    @Test
    void otherForms_shouldHoldNoCredential() {
        String valid = basic(":" + TOKEN).substring(6);
        String badChecksum = TOKEN.substring(0, TOKEN.length() - 4) + (TOKEN.endsWith("0000") ? "1111" : "0000");
        Map<String, Map<String, String>> refused = new java.util.LinkedHashMap<>();
        refused.put("no headers", Map.of());
        refused.put("a bearer JWT (localstack auth login)", Map.of("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        refused.put("the token itself, not Basic", Map.of("authorization", TOKEN));
        refused.put("a Basic user name", Map.of("authorization", basic("admin:" + TOKEN)));
        refused.put("no colon at all", Map.of("authorization", basic(TOKEN)));
        refused.put("a legacy key as the Basic password", Map.of("authorization", basic(":" + LEGACY_KEY)));
        refused.put("a token failing its checksum", Map.of("authorization", basic(":" + badChecksum)));
        refused.put("base64 without its padding", Map.of("authorization", "Basic " + valid.replace("=", "")));
        refused.put("base64 broken by a line", Map.of("authorization", "Basic " + valid.substring(0, 8) + "\n"
                + valid.substring(8)));
        refused.put("base64 of another alphabet", Map.of("authorization", "Basic " + valid.substring(0, 8) + "-_"
                + valid.substring(10)));
        refused.put("two spaces", Map.of("authorization", "Basic  " + valid));
        refused.put("Basic sent twice (API Gateway joins them)", Map.of("authorization", "Basic " + valid + ",Basic " + valid));
        refused.put("both forms at once", Map.of("authorization", basic(":" + TOKEN), "ls-api-key", LEGACY_KEY,
                "ls-version", "2026.8.2"));
        refused.put("Basic with ls-version", Map.of("authorization", basic(":" + TOKEN), "ls-version", "2026.8.2"));
        refused.put("ls-api-key without ls-version", Map.of("ls-api-key", LEGACY_KEY));
        refused.put("ls-version alone", Map.of("ls-version", "2026.8.2"));
        refused.put("two legacy keys", Map.of("ls-api-key", LEGACY_KEY + "," + LEGACY_KEY, "ls-version", "2026.8.2"));
        refused.put("a legacy key of the wrong shape", Map.of("ls-api-key", "has spaces", "ls-version", "2026.8.2"));
        refused.put("an empty ls-version", Map.of("ls-api-key", LEGACY_KEY, "ls-version", ""));
        refused.put("an ls-version that is no version", Map.of("ls-api-key", LEGACY_KEY, "ls-version", "1.0; rm -rf"));
        // No length rule of its own: oversize values fail their shape (the 10 KB API Gateway lets through included).
        refused.put("an oversize Authorization", Map.of("authorization", "Basic " + "QUFB".repeat(2_500)));
        refused.put("an oversize token as the password", Map.of("authorization", basic(":" + TOKEN + "x".repeat(7_000))));
        refused.put("an oversize ls-api-key", Map.of("ls-api-key", "a".repeat(10_000), "ls-version", "2026.8.2"));
        refused.put("an oversize ls-version", Map.of("ls-api-key", LEGACY_KEY, "ls-version", "1".repeat(10_000)));

        refused.forEach((what, headers) -> assertThat(PlatformCredential.fromHeaders(headers)).as(what).isEmpty());
    }

    @Test
    void theSameHeaderInTwoCases_shouldCountAsSentTwice() {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", basic(":" + TOKEN));
        headers.put("Authorization", basic(":" + TOKEN));

        assertThat(PlatformCredential.fromHeaders(headers)).isEmpty();
    }

    @Test
    void toString_shouldNotShowTheCredential() {
        for (String credential : List.of(TOKEN, CI_KEY)) {
            assertThat(PlatformCredential.fromHeaders(Map.of("authorization", basic(":" + credential))).orElseThrow()
                    .toString()).doesNotContain(credential);
        }
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
