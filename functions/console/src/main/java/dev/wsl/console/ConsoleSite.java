package dev.wsl.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the console's routes answer, free of Lambda types. Every page route (the template decides
 * which: {@code /}, {@code /accept-invitation}, the sign-in callback) gets the same page, which is
 * never stored by any cache and carries the Content-Security-Policy; the JavaScript decides what
 * to show from the address. Assets are answered under their versioned path with a year of
 * immutable caching, a strong ETag (304 when it matches) and gzip when the browser accepts it.
 * Unknown assets get API Gateway's own 404 body. Immutable and thread-safe.
 */
public final class ConsoleSite {

    /** The route prefix of assets; everything else this function serves is the page. */
    public static final String ASSETS_PATH = "/assets/";

    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    /** An answer: status, headers, and the body (empty for 304). */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public Response {
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ConsoleAssets assets;
    private final String csp;
    private final byte[] page;
    private final byte[] pageGzipped;

    public ConsoleSite(ConsoleAssets assets, ConsoleConfig config) {
        this.assets = Objects.requireNonNull(assets);
        this.csp = config.contentSecurityPolicy();
        this.page = render(assets, config).getBytes(StandardCharsets.UTF_8);
        this.pageGzipped = ConsoleAssets.gzip(page);
    }

    /** The URL path under which this version's assets are served, e.g. {@code /assets/3f2a…}. */
    public String assetBase() {
        return ASSETS_PATH + assets.version();
    }

    /**
     * @param path    the request path (raw; only {@code /assets/…} is looked at)
     * @param headers request headers, names in lower case
     */
    public Response serve(String path, Map<String, String> headers) {
        if (path.startsWith(ASSETS_PATH)) {
            return asset(path.substring(ASSETS_PATH.length()), headers);
        }
        Map<String, String> out = securityHeaders();
        out.put("content-type", "text/html; charset=utf-8");
        out.put("cache-control", "no-store");
        out.put("vary", "accept-encoding");
        if (acceptsGzip(headers)) {
            out.put("content-encoding", "gzip");
            return new Response(200, out, pageGzipped);
        }
        return new Response(200, out, page);
    }

    private Response asset(String versionAndPath, Map<String, String> headers) {
        int slash = versionAndPath.indexOf('/');
        Optional<ConsoleAssets.Asset> found = slash < 0 || !versionAndPath.substring(0, slash).equals(assets.version())
                ? Optional.empty() : assets.asset(versionAndPath.substring(slash + 1));
        if (found.isEmpty()) {
            Map<String, String> out = securityHeaders();
            out.put("content-type", "application/json");
            out.put("cache-control", "no-store");
            return new Response(404, out, "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        }
        ConsoleAssets.Asset asset = found.get();
        boolean gzip = asset.gzippedBody().isPresent() && acceptsGzip(headers);
        String etag = "\"" + asset.hash() + (gzip ? "-gz" : "") + "\"";
        Map<String, String> out = securityHeaders();
        out.put("cache-control", IMMUTABLE);
        out.put("etag", etag);
        out.put("vary", "accept-encoding");
        if (matches(headers.get("if-none-match"), asset.hash())) {
            return new Response(304, out, null);
        }
        out.put("content-type", asset.contentType());
        if (gzip) {
            out.put("content-encoding", "gzip");
            return new Response(200, out, asset.gzippedBody().get());
        }
        return new Response(200, out, asset.body());
    }

    /** Whether If-None-Match names this content in either encoding (or is {@code *}). */
    private static boolean matches(String ifNoneMatch, String hash) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals("\"" + hash + "\"") || t.equals("\"" + hash + "-gz\"")) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsGzip(Map<String, String> headers) {
        String accept = headers.get("accept-encoding");
        if (accept == null) {
            return false;
        }
        for (String coding : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = coding.strip().split(";");
            if (parts[0].strip().equals("gzip")) {
                return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-security-policy", csp);
        h.put("x-content-type-options", "nosniff");
        h.put("referrer-policy", "no-referrer");
        h.put("cross-origin-opener-policy", "same-origin");
        h.put("cross-origin-resource-policy", "same-origin");
        h.put("strict-transport-security", "max-age=31536000");
        return h;
    }

    /**
     * Fills in the page template: the asset folder, a stylesheet link per component's styles (a
     * component's {@code .css} beside its script, after the shared {@code console.css} the template
     * links), a module preload per script (so the browser fetches every module at once instead of
     * discovering imports one level at a time), and the sign-in settings as {@code <meta>} elements,
     * which the page reads without an extra request and without inline script.
     */
    static String render(ConsoleAssets assets, ConsoleConfig config) {
        String base = ASSETS_PATH + assets.version();
        return assets.pageTemplate()
                .replace("{{assets}}", base)
                .replace("{{stylesheets}}", links(assets, base, "stylesheet", p -> p.endsWith(".css") && !p.equals("console.css")))
                .replace("{{modulepreloads}}", links(assets, base, "modulepreload", p -> p.endsWith(".js") && !p.equals("app.js")))
                .replace("{{issuer}}", escape(config.issuer()))
                .replace("{{clientId}}", escape(config.clientId()))
                .replace("{{scopes}}", escape(config.scopes()));
    }

    private static String links(ConsoleAssets assets, String base, String rel, Predicate<String> which) {
        StringBuilder links = new StringBuilder();
        assets.assets().keySet().stream().filter(which).forEach(p -> links.append("<link rel=\"").append(rel)
                .append("\" href=\"").append(base).append('/').append(escape(p)).append("\">\n"));
        return links.toString().strip();
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;");
    }
}
