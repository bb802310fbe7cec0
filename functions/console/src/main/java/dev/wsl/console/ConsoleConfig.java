package dev.wsl.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the console signs people in, from the function's environment (template parameters
 * {@code JwtIssuer}, {@code ConsoleClientId}, {@code ConsoleScopes}, {@code ConsoleConnectSources}).
 * Validated once at cold start: every value ends up in an HTML attribute or a response header, so a
 * value that could break out of either stops the function rather than being served.
 *
 * @param issuer         the OIDC issuer whose {@code /.well-known/openid-configuration} the browser reads
 * @param clientId       the console's client id at that issuer; the ID token's {@code aud}
 * @param scopes         what the console asks for (at least {@code openid}; {@code email} for the claims the API needs)
 * @param connectSources origins besides the issuer's that the browser must reach during sign-in
 *                       (Cognito's token endpoint lives on the user pool's domain, not the issuer's)
 */
public record ConsoleConfig(String issuer, String clientId, String scopes, List<String> connectSources) {

    static final String ISSUER = "CONSOLE_OIDC_ISSUER";
    static final String CLIENT_ID = "CONSOLE_OIDC_CLIENT_ID";
    static final String SCOPES = "CONSOLE_OIDC_SCOPES";
    static final String CONNECT_SOURCES = "CONSOLE_CONNECT_SOURCES";

    private static final Pattern CLIENT_ID_SHAPE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,255}");
    private static final Pattern SCOPE_SHAPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");
    private static final Pattern ORIGIN_SHAPE = Pattern.compile("https://[a-z0-9.-]+(:[0-9]{1,5})?");

    public ConsoleConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(scopes, "scopes");
        connectSources = List.copyOf(connectSources);
        origin(issuer); // validates
        if (!CLIENT_ID_SHAPE.matcher(clientId).matches()) {
            throw new IllegalArgumentException(CLIENT_ID + " must be 1 to 255 characters of letters, digits and ._:@/+=-");
        }
        if (!SCOPE_SHAPE.matcher(scopes).matches() || !List.of(scopes.split(" ")).contains("openid")) {
            throw new IllegalArgumentException(SCOPES + " must be space-separated scope tokens including openid");
        }
        for (String source : connectSources) {
            if (!ORIGIN_SHAPE.matcher(source).matches()) {
                throw new IllegalArgumentException(CONNECT_SOURCES + " holds origins like https://auth.example.com, not " + source);
            }
        }
    }

    /** From the environment (system properties of the same names stand in locally, as {@code Env} does). */
    public static ConsoleConfig fromEnvironment() {
        String sources = optional(CONNECT_SOURCES);
        List<String> origins = new ArrayList<>();
        for (String s : sources.split("[,\\s]+")) {
            if (!s.isBlank()) {
                origins.add(s.strip());
            }
        }
        String scopes = optional(SCOPES);
        return new ConsoleConfig(required(ISSUER), required(CLIENT_ID), scopes.isBlank() ? "openid email profile" : scopes.strip(),
                origins);
    }

    /**
     * The Content-Security-Policy of every console page: scripts, styles and images only from this
     * origin (no inline script or style at all), connections to this origin (the API) and to the
     * issuer (discovery and the token call), no framing, no plugins, no {@code <base>}.
     */
    public String contentSecurityPolicy() {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        connect.add(origin(issuer));
        connect.addAll(connectSources);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                + "connect-src " + String.join(" ", connect) + "; form-action 'self'; frame-ancestors 'none'; "
                + "base-uri 'none'; object-src 'none'";
    }

    /**
     * The origin of an issuer URL. HTTPS, except plain HTTP on the loopback interface (the local
     * development issuer); no user info, query or fragment.
     */
    static String origin(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ISSUER + " is not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
        if (!(scheme.equals("https") || scheme.equals("http") && loopback) || host.isEmpty()
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !host.matches("[a-z0-9.-]+|\\[::1]")) {
            throw new IllegalArgumentException(ISSUER + " must be an https URL (http only on the loopback interface): " + url);
        }
        return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static String optional(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null ? "" : value;
    }

    private static String required(String name) {
        String value = optional(name);
        if (value.isBlank()) {
            throw new IllegalStateException("configuration " + name + " is not set");
        }
        return value.strip();
    }
}
