package dev.wsl.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The local development issuer's sign-in, as an OpenID provider offers it to a public client: the
 * discovery document, {@code /authorize} (authorization code flow with PKCE S256 only; a page that
 * asks for an email and a name, no password) and {@code /token} (the code once, within a minute,
 * for the same client and redirect URI, with the verifier whose S256 is the challenge; answers an
 * ID token for the client). So the console signs in locally exactly as it does against Cognito,
 * Auth0, Okta or Entra ID. Registered clients are the API's audiences; registered redirect URIs
 * are {@code /oidc/callback} on the issuer's origin (also reached as {@code localhost}).
 * Thread-safe.
 */
public final class DevSignIn {

    static final Duration CODE_TTL = Duration.ofSeconds(60);
    static final Duration ID_TOKEN_TTL = Duration.ofHours(1);
    static final String CALLBACK_PATH = "/oidc/callback";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,189}\\.[^@\\s<>\"]{1,63}");

    /** An answer of one endpoint: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public Answer {
            headers = Map.copyOf(headers);
        }
    }

    /** What a code stands for until it is exchanged (once). */
    private record Grant(String clientId, String redirectUri, String challenge, String nonce, String email, String name,
                         Instant expiresAt) {}

    private final DevIssuer issuer;
    private final Set<String> clients;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** @param clients the client ids that may sign in (the API's accepted audiences) */
    public DevSignIn(DevIssuer issuer, List<String> clients, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer);
        this.clients = Set.copyOf(clients);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The OpenID Provider configuration ({@code {issuer}/.well-known/openid-configuration}). */
    public Answer discovery() {
        String base = issuer.issuer();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", base);
        doc.put("authorization_endpoint", base + "/authorize");
        doc.put("token_endpoint", base + "/token");
        doc.put("jwks_uri", base + "/.well-known/jwks.json");
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("none"));
        doc.put("scopes_supported", List.of("openid", "email", "profile"));
        doc.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified", "name",
                "preferred_username"));
        return json(200, Json.write(doc));
    }

    /**
     * {@code GET /authorize}: the sign-in page for a valid request. A request whose client or
     * redirect URI is not registered gets an error page (never a redirect to an unregistered
     * address); other faults go back to the client as {@code error=invalid_request}.
     */
    public Answer authorizePage(Map<String, String> query) {
        Answer refused = check(query);
        return refused != null ? refused : page(query, null, 200);
    }

    /** {@code POST /authorize} (the page's form): a code for the person, sent back to the client with its state. */
    public Answer authorize(Map<String, String> form) {
        Answer refused = check(form);
        if (refused != null) {
            return refused;
        }
        String email = form.getOrDefault("email", "").strip().toLowerCase(Locale.ROOT);
        String name = form.getOrDefault("name", "").strip();
        if (!EMAIL.matcher(email).matches() || email.length() > 254) {
            return page(form, "Enter an email address, like jane@example.com.", 400);
        }
        if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            return page(form, "Enter a name of at most 100 characters.", 400);
        }
        if (name.isEmpty()) {
            name = email.substring(0, email.indexOf('@'));
        }
        Instant now = clock.instant();
        codes.values().removeIf(g -> g.expiresAt().isBefore(now));
        String code = random(32);
        codes.put(code, new Grant(form.get("client_id"), form.get("redirect_uri"), form.get("code_challenge"),
                form.get("nonce"), email, name, now.plus(CODE_TTL)));
        return redirect(form.get("redirect_uri"), "code", code, form.get("state"));
    }

    /** {@code POST /token}: exchanges a code (once) for an ID token. Errors are RFC 6749 section 5.2. */
    public Answer token(Map<String, String> form) {
        if (!"authorization_code".equals(form.get("grant_type"))) {
            return tokenError("unsupported_grant_type", "Only the authorization_code grant is offered.");
        }
        String clientId = form.getOrDefault("client_id", "");
        if (!clients.contains(clientId)) {
            return new Answer(401, tokenHeaders(), Json.write(Map.of("error", "invalid_client",
                    "error_description", "Unknown client_id.")));
        }
        Grant grant = codes.remove(form.getOrDefault("code", "")); // single use, whatever follows
        if (grant == null || !grant.expiresAt().isAfter(clock.instant())) {
            return tokenError("invalid_grant", "The code is unknown, used or expired.");
        }
        if (!grant.clientId().equals(clientId) || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            return tokenError("invalid_grant", "The code was issued to another client or redirect_uri.");
        }
        String verifier = form.getOrDefault("code_verifier", "");
        if (!VERIFIER.matcher(verifier).matches() || !MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII), grant.challenge().getBytes(StandardCharsets.US_ASCII))) {
            return tokenError("invalid_grant", "The code_verifier does not match the code_challenge.");
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.issuer());
        claims.put("aud", clientId);
        claims.put("sub", LocalServer.stableSub(grant.email()));
        claims.put("email", grant.email());
        claims.put("email_verified", true);
        claims.put("name", grant.name());
        claims.put("preferred_username", grant.name());
        if (grant.nonce() != null && !grant.nonce().isEmpty()) {
            claims.put("nonce", grant.nonce());
        }
        claims.put("auth_time", now);
        claims.put("iat", now);
        claims.put("exp", now + ID_TOKEN_TTL.toSeconds());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id_token", issuer.mintRaw(claims));
        // An access token is part of every token answer (RFC 6749); the console sends the ID token.
        answer.put("access_token", random(32));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", ID_TOKEN_TTL.toSeconds());
        answer.put("scope", "openid email profile");
        return new Answer(200, tokenHeaders(), Json.write(answer));
    }

    /** The sign-in page's stylesheet (the page's policy allows no inline style). */
    public Answer stylesheet() {
        return new Answer(200, Map.of("content-type", "text/css; charset=utf-8", "cache-control", "no-cache",
                "x-content-type-options", "nosniff"), """
                body { font: 16px/1.45 system-ui, sans-serif; color: #1b1f24; background: #f3f5f8; margin: 0; }
                main { max-width: 28rem; margin: 3rem auto; background: #fff; border: 1px solid #c9ced6;
                       border-radius: 6px; padding: 1.5rem; }
                h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
                p { color: #4a5361; }
                form { display: grid; gap: 0.35rem; }
                label { font-weight: 600; margin-top: 0.6rem; }
                input { font: inherit; padding: 0.4rem 0.55rem; border: 2px solid #1b1f24; border-radius: 4px; }
                button { font: inherit; font-weight: 600; margin-top: 1rem; justify-self: start; padding: 0.45rem 1rem;
                         color: #fff; background: #1d3d6b; border: 2px solid #1d3d6b; border-radius: 4px; cursor: pointer; }
                :focus-visible { outline: 3px solid #ffbf47; box-shadow: 0 0 0 5px #1b1f24; }
                .error { color: #a3201a; font-weight: 600; }
                """);
    }

    // ------------------------------------------------------------------ checks and pages

    /** Null when the authorization request may proceed, else the answer that refuses it. */
    private Answer check(Map<String, String> request) {
        String clientId = request.getOrDefault("client_id", "");
        String redirectUri = request.getOrDefault("redirect_uri", "");
        if (!clients.contains(clientId)) {
            return errorPage("The client_id " + clientId + " is not registered at this issuer (accepted: "
                    + String.join(", ", clients) + ").");
        }
        if (!registeredRedirects().contains(redirectUri)) {
            return errorPage("The redirect_uri " + redirectUri + " is not registered (accepted: "
                    + String.join(", ", registeredRedirects()) + ").");
        }
        String state = request.get("state");
        if (!"code".equals(request.get("response_type"))) {
            return redirect(redirectUri, "error", "unsupported_response_type", state);
        }
        if (!"S256".equals(request.get("code_challenge_method"))
                || !CHALLENGE.matcher(request.getOrDefault("code_challenge", "")).matches()) {
            return redirect(redirectUri, "error", "invalid_request", state); // PKCE with S256 is required
        }
        if (!List.of(request.getOrDefault("scope", "").split(" ")).contains("openid")) {
            return redirect(redirectUri, "error", "invalid_scope", state);
        }
        return null;
    }

    private List<String> registeredRedirects() {
        URI base = URI.create(issuer.issuer());
        String port = base.getPort() < 0 ? "" : ":" + base.getPort();
        return List.of(base.getScheme() + "://" + base.getHost() + port + CALLBACK_PATH,
                base.getScheme() + "://localhost" + port + CALLBACK_PATH);
    }

    private Answer page(Map<String, String> request, String error, int status) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                "code_challenge", "code_challenge_method")) {
            String value = request.get(name);
            if (value != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
                        .append("\">\n");
            }
        }
        String html = """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in – local development issuer</title>
                <link rel="stylesheet" href="%s/authorize.css">
                </head>
                <body>
                <main>
                <h1>Sign in</h1>
                <p>Local development issuer: no password. Say who you are; the application gets an ID token with this
                email address (as verified) and name.</p>
                %s<form method="post" action="%s/authorize">
                <label for="email">Email address</label>
                <input id="email" name="email" type="email" autocomplete="email" required%s value="%s">
                <label for="name">Name</label>
                <input id="name" name="name" type="text" autocomplete="name" value="%s">
                %s<button type="submit">Sign in</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(path(), error == null ? "" : "<p class=\"error\" id=\"email-error\">" + escape(error) + "</p>\n",
                path(), error == null ? "" : " aria-describedby=\"email-error\" aria-invalid=\"true\"",
                escape(request.getOrDefault("email", "")), escape(request.getOrDefault("name", "")), hidden);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", "no-store");
        headers.put("content-security-policy", "default-src 'none'; style-src 'self'; form-action 'self' "
                + origin(request.get("redirect_uri")) + "; frame-ancestors 'none'; base-uri 'none'");
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "no-referrer");
        return new Answer(status, headers, html);
    }

    private Answer errorPage(String message) {
        String html = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Sign-in refused – local development issuer</title>
                <link rel="stylesheet" href="%s/authorize.css"></head>
                <body><main><h1>Sign-in refused</h1><p class="error">%s</p></main></body>
                </html>
                """.formatted(path(), escape(message));
        return new Answer(400, Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store",
                "content-security-policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
                "x-content-type-options", "nosniff"), html);
    }

    private static Answer redirect(String redirectUri, String key, String value, String state) {
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + key + "=" + encode(value)
                + (state == null ? "" : "&state=" + encode(state));
        return new Answer(303, Map.of("location", location, "cache-control", "no-store", "referrer-policy", "no-referrer"),
                "");
    }

    private static Answer tokenError(String error, String description) {
        return new Answer(400, tokenHeaders(), Json.write(Map.of("error", error, "error_description", description)));
    }

    private static Answer json(int status, String body) {
        return new Answer(status, Map.of("content-type", "application/json", "access-control-allow-origin", "*"), body);
    }

    /** Token answers are never cached; any origin may read them, as real providers allow public clients. */
    private static Map<String, String> tokenHeaders() {
        return Map.of("content-type", "application/json", "cache-control", "no-store", "pragma", "no-cache",
                "access-control-allow-origin", "*");
    }

    /** The issuer's path on this server, e.g. {@code /local/issuer}. */
    private String path() {
        return URI.create(issuer.issuer()).getRawPath();
    }

    private static String origin(String url) {
        if (url == null) {
            return "'none'";
        }
        try {
            URI uri = new URI(url);
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return "'none'";
        }
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a query string or a form body). */
    public static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                values.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is left out, and the request is refused for what it lacks
            }
        }
        return values;
    }

    static String s256(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64URL.encodeToString(b);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;");
    }
}
