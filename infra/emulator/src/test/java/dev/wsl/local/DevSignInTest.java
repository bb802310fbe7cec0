package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The development issuer's sign-in as a public OIDC client sees it: discovery, the sign-in page,
 * the code (once, briefly, for one client and redirect URI, with PKCE S256), and an ID token that
 * the local JWT authorizer accepts with the claims the API needs.
 */
class DevSignInTest {

    private static final String ISSUER = "http://127.0.0.1:3000/local/issuer";
    private static final String CALLBACK = "http://127.0.0.1:3000/oidc/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    // RFC 7636 appendix B: the S256 challenge of the verifier above.
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final DevIssuer issuer = new DevIssuer(ISSUER, "wsl-local", clock);
    private final DevSignIn signIn = new DevSignIn(issuer, List.of("wsl-local"), clock);

    @Test
    void discovery_namesTheEndpoints_andOffersOnlyTheCodeFlowWithS256() {
        JsonNode doc = Json.read(signIn.discovery().body());

        assertThat(doc.path("issuer").asText()).isEqualTo(ISSUER);
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(ISSUER + "/authorize");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(ISSUER + "/token");
        assertThat(doc.path("jwks_uri").asText()).isEqualTo(ISSUER + "/.well-known/jwks.json");
        assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(doc.path("response_types_supported").toString()).isEqualTo("[\"code\"]");
    }

    @Test
    void theWholeFlow_endsInAnIdTokenTheAuthorizerAccepts() {
        DevSignIn.Answer page = signIn.authorizePage(request());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("content-security-policy")).contains("default-src 'none'", "form-action 'self'")
                .doesNotContain("script-src");
        assertThat(page.body()).contains("<label for=\"email\">Email address</label>", "<label for=\"name\">Name</label>",
                "name=\"code_challenge\" value=\"" + CHALLENGE + "\"", "name=\"state\" value=\"st&amp;&lt;1&gt;\"")
                .doesNotContain("<script");

        String code = codeFrom(signIn.authorize(submitted("Jane@Example.com", "Jane Doe")));
        DevSignIn.Answer token = signIn.token(exchange(code, VERIFIER));

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.headers()).containsEntry("cache-control", "no-store");
        String idToken = Json.read(token.body()).path("id_token").asText();
        JwtAuthorizer authorizer = new JwtAuthorizer(ISSUER, List.of("wsl-local"), "authorization", issuer.keysById(), clock);
        JwtAuthorizer.Result result = authorizer.authorize(Map.of("authorization", "Bearer " + idToken));
        assertThat(result).isInstanceOf(JwtAuthorizer.Allowed.class);
        Map<String, String> claims = ((JwtAuthorizer.Allowed) result).claims();
        assertThat(claims).containsEntry("aud", "wsl-local").containsEntry("email", "jane@example.com")
                .containsEntry("email_verified", "true").containsEntry("name", "Jane Doe")
                .containsEntry("preferred_username", "Jane Doe").containsEntry("nonce", "n-0S6_WzA2Mj")
                .containsEntry("sub", LocalServer.stableSub("jane@example.com"));
        assertThat(Long.parseLong(claims.get("exp")) - clock.instant().getEpochSecond()).isEqualTo(3600);
    }

    @Test
    void aCode_worksOnce() {
        String code = codeFrom(signIn.authorize(submitted("jane@example.com", "Jane")));
        assertThat(signIn.token(exchange(code, VERIFIER)).status()).isEqualTo(200);

        DevSignIn.Answer again = signIn.token(exchange(code, VERIFIER));
        assertThat(again.status()).isEqualTo(400);
        assertThat(Json.read(again.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aCode_expiresAfterAMinute() {
        String code = codeFrom(signIn.authorize(submitted("jane@example.com", "Jane")));
        clock.advance(Duration.ofSeconds(61));

        assertThat(Json.read(signIn.token(exchange(code, VERIFIER)).body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void theWrongVerifier_anotherRedirectUri_orAnotherClient_getNoToken_andSpendTheCode() {
        String code = codeFrom(signIn.authorize(submitted("jane@example.com", "Jane")));
        assertThat(error(signIn.token(exchange(code, "x".repeat(43))))).isEqualTo("invalid_grant");
        assertThat(error(signIn.token(exchange(code, VERIFIER)))).as("spent by the failed attempt").isEqualTo("invalid_grant");

        String second = codeFrom(signIn.authorize(submitted("jane@example.com", "Jane")));
        Map<String, String> elsewhere = exchange(second, VERIFIER);
        elsewhere.put("redirect_uri", "http://localhost:3000/oidc/callback");
        assertThat(error(signIn.token(elsewhere))).isEqualTo("invalid_grant");

        String third = codeFrom(signIn.authorize(submitted("jane@example.com", "Jane")));
        Map<String, String> stranger = exchange(third, VERIFIER);
        stranger.put("client_id", "someone-else");
        DevSignIn.Answer refused = signIn.token(stranger);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(error(refused)).isEqualTo("invalid_client");
    }

    @Test
    void anUnregisteredClientOrRedirect_getsAPage_neverARedirect() {
        Map<String, String> foreign = request();
        foreign.put("redirect_uri", "https://evil.example.com/oidc/callback");
        DevSignIn.Answer refused = signIn.authorizePage(foreign);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers()).doesNotContainKey("location");
        assertThat(refused.body()).contains("not registered");

        Map<String, String> stranger = request();
        stranger.put("client_id", "someone-else");
        assertThat(signIn.authorize(stranger).headers()).doesNotContainKey("location");
    }

    @Test
    void withoutS256_theClientIsToldSo() {
        Map<String, String> plain = request();
        plain.put("code_challenge_method", "plain");
        DevSignIn.Answer answer = signIn.authorizePage(plain);

        assertThat(answer.status()).isEqualTo(303);
        assertThat(answer.headers().get("location")).isEqualTo(CALLBACK + "?error=invalid_request&state=st%26%3C1%3E");
    }

    @Test
    void aBadEmail_showsThePageAgainWithTheError() {
        DevSignIn.Answer answer = signIn.authorize(submitted("not-an-email", "Jane"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("Enter an email address", "aria-invalid=\"true\"", "value=\"not-an-email\"");
    }

    @Test
    void formBodies_areDecoded() {
        assertThat(DevSignIn.form("a=1&b=x%20y&c=&a=2&bad=%zz")).containsExactly(Map.entry("a", "1"),
                Map.entry("b", "x y"), Map.entry("c", ""));
        assertThat(DevSignIn.s256(VERIFIER)).isEqualTo(CHALLENGE);
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> request() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("response_type", "code");
        r.put("client_id", "wsl-local");
        r.put("redirect_uri", CALLBACK);
        r.put("scope", "openid email profile");
        r.put("state", "st&<1>");
        r.put("nonce", "n-0S6_WzA2Mj");
        r.put("code_challenge", CHALLENGE);
        r.put("code_challenge_method", "S256");
        return r;
    }

    private static Map<String, String> submitted(String email, String name) {
        Map<String, String> form = request();
        form.put("email", email);
        form.put("name", name);
        // the page posts its form url-encoded; decoding it must give the same values
        String encoded = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return DevSignIn.form(encoded);
    }

    private static Map<String, String> exchange(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", CALLBACK);
        form.put("client_id", "wsl-local");
        form.put("code_verifier", verifier);
        return form;
    }

    private static String codeFrom(DevSignIn.Answer answer) {
        assertThat(answer.status()).isEqualTo(303);
        String location = answer.headers().get("location");
        assertThat(location).startsWith(CALLBACK + "?code=").endsWith("&state=st%26%3C1%3E");
        return DevSignIn.form(location.substring(location.indexOf('?') + 1)).get("code");
    }

    private static String error(DevSignIn.Answer answer) {
        return Json.read(answer.body()).path("error").asText();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
