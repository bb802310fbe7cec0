package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What API Gateway's HTTP API JWT authorizer does before a route's function may run: the token
 * from the identity header (with or without {@code Bearer }), a JWS signed RS256 by a key of the
 * issuer, the right {@code iss}, an accepted {@code aud} (or {@code client_id} when there is no
 * {@code aud}), not expired, not used before {@code nbf}/{@code iat}. Anything else is a 401 and
 * the function is never invoked, so handlers may trust the claims they are given.
 */
public final class JwtAuthorizer {

    /** Clock skew tolerated for {@code nbf} and {@code iat}. */
    static final Duration LEEWAY = Duration.ofSeconds(5);

    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final String issuer;
    private final List<String> audiences;
    private final String identityHeader;
    private final Map<String, RSAPublicKey> keysById;
    private final Clock clock;

    /**
     * @param identityHeader the header carrying the token ({@code $request.header.X} → {@code x})
     * @param keysById       the issuer's signing keys, as its JWKS would list them
     */
    public JwtAuthorizer(String issuer, List<String> audiences, String identityHeader,
                         Map<String, RSAPublicKey> keysById, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.audiences = List.copyOf(audiences);
        this.identityHeader = identityHeader.toLowerCase(Locale.ROOT);
        this.keysById = Map.copyOf(keysById);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The outcome of authorizing one request. */
    public sealed interface Result permits Allowed, Denied {}

    /**
     * @param claims as API Gateway passes them in {@code requestContext.authorizer.jwt.claims}:
     *               every value a string (numbers and booleans in JSON text, arrays as {@code [a b]})
     * @param scopes from {@code scope} (space separated) or {@code scp}; null when the token has none
     */
    public record Allowed(Map<String, String> claims, List<String> scopes) implements Result {}

    /** @param wwwAuthenticate the {@code www-authenticate} header API Gateway answers with */
    public record Denied(String reason, String wwwAuthenticate) implements Result {}

    public Result authorize(Map<String, String> headers) {
        String token = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(identityHeader)) {
                token = h.getValue();
            }
        }
        token = token == null ? "" : token.strip();
        if (token.regionMatches(true, 0, "Bearer", 0, 6)
                && (token.length() == 6 || Character.isWhitespace(token.charAt(6)))) {
            token = token.substring(6).strip();
        }
        if (token.isEmpty()) {
            return new Denied("no token in the " + identityHeader + " header", "Bearer");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return invalid("the token is malformed");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = Json.read(new String(B64URL.decode(parts[0]), StandardCharsets.UTF_8));
            claims = Json.read(new String(B64URL.decode(parts[1]), StandardCharsets.UTF_8));
            signature = B64URL.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return invalid("the token is malformed");
        }
        if (!header.isObject() || !claims.isObject()) {
            return invalid("the token is malformed");
        }
        if (!"RS256".equals(header.path("alg").asText())) {
            return invalid("the token does not have a valid signature");
        }
        RSAPublicKey key = keysById.get(header.path("kid").asText(""));
        if (key == null || !verify(key, parts[0] + "." + parts[1], signature)) {
            return invalid("the token does not have a valid signature");
        }
        if (!issuer.equals(claims.path("iss").asText(null))) {
            return invalid("the token does not have a valid issuer");
        }
        if (!audienceAccepted(claims)) {
            return invalid("the token does not have a valid audience");
        }
        Instant now = clock.instant();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber() || !now.isBefore(Instant.ofEpochSecond(exp.asLong()))) {
            return invalid("the token has expired");
        }
        for (String claim : List.of("nbf", "iat")) {
            JsonNode at = claims.get(claim);
            if (at != null && (!at.isNumber() || Instant.ofEpochSecond(at.asLong()).isAfter(now.plus(LEEWAY)))) {
                return invalid("the token is not valid yet");
            }
        }
        return new Allowed(flatten(claims), scopes(claims));
    }

    private boolean audienceAccepted(JsonNode claims) {
        // API Gateway looks at client_id only when there is no aud.
        JsonNode aud = claims.has("aud") ? claims.get("aud") : claims.get("client_id");
        if (aud == null) {
            return false;
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isTextual() && audiences.contains(a.asText())) {
                    return true;
                }
            }
            return false;
        }
        return aud.isTextual() && audiences.contains(aud.asText());
    }

    private static boolean verify(RSAPublicKey key, String signingInput, byte[] signature) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // e.g. a signature of the wrong length: forged, not a bug here
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot verify RS256", e);
        }
    }

    private static Map<String, String> flatten(JsonNode claims) {
        Map<String, String> flat = new LinkedHashMap<>();
        claims.properties().forEach(e -> flat.put(e.getKey(), flattenValue(e.getValue())));
        return flat;
    }

    /** API Gateway's rendering of non-string claims (it is Go's {@code %v}). */
    private static String flattenValue(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(flattenValue(v)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            value.properties().forEach(e -> sorted.put(e.getKey(), flattenValue(e.getValue())));
            List<String> items = new ArrayList<>();
            sorted.forEach((k, v) -> items.add(k + ":" + v));
            return "map[" + String.join(" ", items) + "]";
        }
        if (value.isNull()) {
            return "";
        }
        return value.asText();
    }

    private static List<String> scopes(JsonNode claims) {
        JsonNode scope = claims.has("scope") ? claims.get("scope") : claims.get("scp");
        if (scope == null || scope.isNull()) {
            return null;
        }
        List<String> scopes = new ArrayList<>();
        if (scope.isArray()) {
            scope.forEach(s -> scopes.add(s.asText()));
        } else {
            for (String s : scope.asText().split(" ")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }

    private static Denied invalid(String description) {
        return new Denied(description,
                "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"");
    }
}
