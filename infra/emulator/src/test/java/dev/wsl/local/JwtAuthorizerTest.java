package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtAuthorizerTest {

    private static final String ISSUER = "http://127.0.0.1:3000/local/issuer";
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final DevIssuer issuer = new DevIssuer(ISSUER, "wsl-local", clock);
    private final JwtAuthorizer authorizer =
            new JwtAuthorizer(ISSUER, List.of("wsl-local", "mobile"), "authorization", issuer.keysById(), clock);

    private JwtAuthorizer.Result authorize(String headerValue) {
        return authorizer.authorize(headerValue == null ? Map.of() : Map.of("Authorization", headerValue));
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", "wsl-local");
        claims.put("sub", "u-1");
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.plusSeconds(60).getEpochSecond());
        return claims;
    }

    private static String description(JwtAuthorizer.Result result) {
        assertThat(result).isInstanceOf(JwtAuthorizer.Denied.class);
        return ((JwtAuthorizer.Denied) result).wwwAuthenticate();
    }

    @Test
    void aMintedTokenIsAcceptedWithClaimsFlattenedLikeApiGateway() {
        String token = issuer.mint("u-1", "ann@example.com", "Ann", Duration.ofHours(1));

        JwtAuthorizer.Result result = authorize("Bearer " + token);

        assertThat(result).isInstanceOfSatisfying(JwtAuthorizer.Allowed.class, allowed -> {
            assertThat(allowed.claims()).containsEntry("sub", "u-1")
                    .containsEntry("email", "ann@example.com")
                    .containsEntry("email_verified", "true")
                    .containsEntry("name", "Ann")
                    .containsEntry("preferred_username", "Ann")
                    .containsEntry("iss", ISSUER)
                    .containsEntry("aud", "wsl-local")
                    .containsEntry("iat", Long.toString(NOW.getEpochSecond()))
                    .containsEntry("exp", Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
            assertThat(allowed.scopes()).isNull();
        });
    }

    @Test
    void theBearerPrefixIsOptional() {
        assertThat(authorize(issuer.mint("u", "e@x.io", "E", Duration.ofMinutes(1)))).isInstanceOf(JwtAuthorizer.Allowed.class);
        assertThat(authorize("bearer " + issuer.mint("u", "e@x.io", "E", Duration.ofMinutes(1))))
                .isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void arraysAndScopes() {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("elsewhere", "mobile"));
        claims.put("groups", List.of("admins", "users"));
        claims.put("scope", "members:read members:write");

        JwtAuthorizer.Result result = authorize(issuer.mintRaw(claims));

        assertThat(result).isInstanceOfSatisfying(JwtAuthorizer.Allowed.class, allowed -> {
            assertThat(allowed.claims()).containsEntry("aud", "[elsewhere mobile]").containsEntry("groups", "[admins users]");
            assertThat(allowed.scopes()).containsExactly("members:read", "members:write");
        });
    }

    @Test
    void clientIdCountsOnlyWithoutAud() {
        Map<String, Object> claims = claims();
        claims.remove("aud");
        claims.put("client_id", "mobile");
        assertThat(authorize(issuer.mintRaw(claims))).isInstanceOf(JwtAuthorizer.Allowed.class);

        claims.put("aud", "someone-else");
        assertThat(description(authorize(issuer.mintRaw(claims)))).contains("valid audience");
    }

    @Test
    void expiredTokensAreRejected() {
        Map<String, Object> claims = claims();
        claims.put("exp", NOW.getEpochSecond());
        assertThat(description(authorize(issuer.mintRaw(claims))))
                .isEqualTo("Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token has expired\"");

        claims.remove("exp");
        assertThat(description(authorize(issuer.mintRaw(claims)))).contains("expired");
    }

    @Test
    void tokensFromTheFutureAreRejectedBeyondAFewSeconds() {
        Map<String, Object> claims = claims();
        claims.put("nbf", NOW.plusSeconds(60).getEpochSecond());
        assertThat(description(authorize(issuer.mintRaw(claims)))).contains("not valid yet");

        claims.put("nbf", NOW.plusSeconds(2).getEpochSecond());
        assertThat(authorize(issuer.mintRaw(claims))).isInstanceOf(JwtAuthorizer.Allowed.class);

        claims.put("iat", NOW.plusSeconds(3600).getEpochSecond());
        assertThat(description(authorize(issuer.mintRaw(claims)))).contains("not valid yet");
    }

    @Test
    void wrongIssuerIsRejected() {
        Map<String, Object> claims = claims();
        claims.put("iss", "https://evil.example.com");
        assertThat(description(authorize(issuer.mintRaw(claims)))).contains("valid issuer");
    }

    @Test
    void wrongAudienceIsRejected() {
        Map<String, Object> claims = claims();
        claims.put("aud", "another-app");
        assertThat(description(authorize(issuer.mintRaw(claims))))
                .isEqualTo("Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token does not have a valid audience\"");
    }

    @Test
    void forgedSignaturesAreRejected() {
        // Signed by another key that claims to be ours...
        DevIssuer impostor = new DevIssuer(ISSUER, "wsl-local", clock);
        String forged = impostor.mintRaw(claims());
        String[] parts = forged.split("\\.");
        String[] genuine = issuer.mintRaw(claims()).split("\\.");
        assertThat(description(authorize(genuine[0] + "." + parts[1] + "." + parts[2]))).contains("valid signature");
        // ...and genuine signature over other claims.
        Map<String, Object> elevated = claims();
        elevated.put("sub", "admin");
        String tampered = genuine[0] + "." + b64(Json.write(elevated)) + "." + genuine[2];
        assertThat(description(authorize(tampered))).contains("valid signature");
        // An unknown kid.
        assertThat(description(authorize(forged))).contains("valid signature");
    }

    @Test
    void algNoneAndHmacConfusionAreRejected() throws Exception {
        String payload = b64(Json.write(claims()));
        String none = b64("{\"alg\":\"none\",\"kid\":\"" + issuer.kid() + "\"}") + "." + payload + ".";
        assertThat(description(authorize(none))).contains("valid signature");

        String hsHeader = b64("{\"alg\":\"HS256\",\"kid\":\"" + issuer.kid() + "\"}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(issuer.publicKey().getEncoded(), "HmacSHA256"));
        String hs = hsHeader + "." + payload + "." + B64URL.encodeToString(
                mac.doFinal((hsHeader + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertThat(description(authorize(hs))).contains("valid signature");
    }

    @Test
    void missingOrMalformedTokensAreRejected() {
        assertThat(description(authorize(null))).isEqualTo("Bearer");
        assertThat(description(authorize("Bearer "))).isEqualTo("Bearer");
        assertThat(description(authorize("not-a-jwt"))).contains("malformed");
        assertThat(description(authorize("a.b.c"))).contains("malformed");
    }

    @Test
    void theJwksPublishesTheVerificationKey() {
        var jwks = Json.read(issuer.jwks()).path("keys").get(0);
        assertThat(jwks.path("kid").asText()).isEqualTo(issuer.kid());
        assertThat(jwks.path("kty").asText()).isEqualTo("RSA");
        assertThat(jwks.path("alg").asText()).isEqualTo("RS256");
        assertThat(new java.math.BigInteger(1, Base64.getUrlDecoder().decode(jwks.path("n").asText())))
                .isEqualTo(issuer.publicKey().getModulus());
        assertThat(jwks.path("e").asText()).isEqualTo("AQAB");
    }

    private static String b64(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
