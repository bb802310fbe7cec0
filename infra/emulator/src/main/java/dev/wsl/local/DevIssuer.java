package dev.wsl.local;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The local stand-in for the OIDC provider: mints RS256 ID-token-like JWTs that the local
 * {@link JwtAuthorizer} accepts exactly as API Gateway would accept the real provider's. The key
 * pair lives only as long as the process, so tokens from an earlier run are rejected — like
 * tokens signed by a rotated-away key.
 */
public final class DevIssuer {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final KeyPair keys;
    private final String kid;

    public DevIssuer(String issuer, String audience) {
        this(issuer, audience, Clock.systemUTC());
    }

    public DevIssuer(String issuer, String audience, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.audience = Objects.requireNonNull(audience);
        this.clock = Objects.requireNonNull(clock);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
            // Like RFC 7638 thumbprints: stable for the key, different per run.
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey().getModulus().toByteArray());
            this.kid = B64URL.encodeToString(Arrays.copyOf(digest, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make RSA keys", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public String kid() {
        return kid;
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    /** The verification keys, by {@code kid}, as the authorizer would fetch them from the JWKS. */
    public Map<String, RSAPublicKey> keysById() {
        return Map.of(kid, publicKey());
    }

    /**
     * A token for a signed-in user, valid from now for {@code ttl}, with a verified email;
     * {@code preferred_username} is {@code name}.
     */
    public String mint(String sub, String email, String name, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", sub);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("name", name);
        // The handlers take the member's name from preferred_username; a dev user's name is the natural one.
        claims.put("preferred_username", name);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + ttl.toSeconds());
        return mintRaw(claims);
    }

    /** Signs exactly these claims (no defaults added), for tests that need odd or expired tokens. */
    public String mintRaw(Map<String, ?> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", kid);
        String signingInput = encodeJson(header) + "." + encodeJson(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with RS256", e);
        }
    }

    /** The JWKS document ({@code {"keys": [...]}}) that the issuer would publish. */
    public String jwks() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", unsigned(publicKey().getModulus()));
        jwk.put("e", unsigned(publicKey().getPublicExponent()));
        return Json.write(Map.of("keys", List.of(jwk)));
    }

    private static String encodeJson(Map<String, ?> value) {
        return B64URL.encodeToString(Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** JWK integers are unsigned big-endian, so BigInteger's sign byte must go. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64URL.encodeToString(bytes);
    }
}
