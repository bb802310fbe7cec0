package dev.wsl.activation;

import dev.wsl.core.store.ActivationStore.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credential of a platform call, read from its headers in exactly the forms the LocalStack
 * client's {@code get_platform_auth_headers()} builds (LOCALSTACK-LICENSING.md, "Platform calls"):
 *
 * <ul>
 *   <li>an auth token or a CI key: {@code Authorization: Basic base64(":" + token)}, an empty user
 *       name and the token as the password, in canonical base64 with padding;</li>
 *   <li>a legacy API key: {@code ls-api-key: <key>} together with {@code ls-version: <client version>}.</li>
 * </ul>
 *
 * Anything else is no credential: another scheme (a {@code Bearer} JWT of {@code localstack auth
 * login} included), a Basic user name, a password that is not an auth token or CI key,
 * {@code ls-api-key} without {@code ls-version}, and both forms at once or a header sent twice (API
 * Gateway joins repeated headers with commas, which no form allows). None of these checks reads
 * anything; a credential that passes has the format its kind requires, so it may be looked up. There
 * is no length rule of its own: each form's shape bounds it (a key is at most 64 characters, a
 * version 64, a token its fixed format), and checking a shape is linear in what API Gateway lets
 * through (10,240 bytes of header values).
 */
public record PlatformCredential(Kind kind, String credential) {
    static final String AUTHORIZATION = "authorization";
    static final String API_KEY = "ls-api-key";
    static final String VERSION = "ls-version";

    private static final String BASIC = "basic ";
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern CLIENT_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /**
     * @param headers the request's headers; names in any case (API Gateway's payload 2.0 gives them
     *                lower-cased), repeated headers joined with commas
     */
    public static Optional<PlatformCredential> fromHeaders(Map<String, String> headers) {
        String authorization = null;
        String apiKey = null;
        String version = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue() == null ? "" : h.getValue();
            switch (name) {
                case AUTHORIZATION -> authorization = joined(authorization, value);
                case API_KEY -> apiKey = joined(apiKey, value);
                case VERSION -> version = joined(version, value);
                default -> { }
            }
        }
        if (authorization != null) {
            return apiKey == null && version == null ? basic(authorization) : Optional.empty();
        }
        if (apiKey == null || version == null || !CLIENT_VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        return kindOf(apiKey, true);
    }

    /** A header sent more than once reads as its values joined by commas, as HTTP folds them. */
    private static String joined(String earlier, String value) {
        return earlier == null ? value : earlier + "," + value;
    }

    private static Optional<PlatformCredential> basic(String authorization) {
        if (!authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String encoded = authorization.substring(BASIC.length());
        if (!BASE64.matcher(encoded).matches() || encoded.length() % 4 != 0) {
            return Optional.empty();
        }
        byte[] decoded = Base64.getDecoder().decode(encoded);
        if (!Base64.getEncoder().encodeToString(decoded).equals(encoded)) {
            return Optional.empty(); // not the canonical encoding the client writes
        }
        String userAndPassword = new String(decoded, StandardCharsets.UTF_8);
        if (!userAndPassword.startsWith(":")) {
            return Optional.empty(); // a user name: not the client's form
        }
        return kindOf(userAndPassword.substring(1), false);
    }

    private static Optional<PlatformCredential> kindOf(String credential, boolean apiKey) {
        Kind kind = LicenseDecision.kindOf(credential, apiKey);
        return kind == null ? Optional.empty() : Optional.of(new PlatformCredential(kind, credential));
    }

    @Override
    public String toString() {
        return "PlatformCredential[" + kind + "]";
    }
}
