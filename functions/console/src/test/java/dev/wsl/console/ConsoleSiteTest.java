package dev.wsl.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The console's HTTP answers: the page, versioned assets, caching, validators, gzip and the security headers. */
class ConsoleSiteTest {

    private static final ConsoleConfig CONFIG = new ConsoleConfig("https://issuer.example.com/pool-1", "console-client",
            "openid email profile", List.of("https://auth.example.com"));
    private static final ConsoleAssets REAL = ConsoleAssets.load();
    private final ConsoleSite site = new ConsoleSite(REAL, CONFIG);

    @Test
    void page_isNeverStored_andCarriesAStrictPolicy_andTheSignInSettings() {
        ConsoleSite.Response page = site.serve("/", Map.of());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("content-type", "text/html; charset=utf-8")
                .containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        String csp = page.headers().get("content-security-policy");
        // The whole policy, as docs/console.md ("Headers") quotes it: a change to one is a change to both.
        assertThat(csp).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                + " font-src 'self'; connect-src 'self' https://issuer.example.com https://auth.example.com;"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "data:");
        String html = page.text();
        assertThat(html).contains("<meta name=\"wsl-oidc-issuer\" content=\"https://issuer.example.com/pool-1\">",
                "<meta name=\"wsl-oidc-client-id\" content=\"console-client\">",
                "src=\"" + site.assetBase() + "/app.js\"", "href=\"" + site.assetBase() + "/console.css\"");
        assertThat(html).doesNotContain("{{");
        // No inline script or style anywhere in the page: the policy would refuse them.
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find()).isFalse();
        assertThat(html).doesNotContain("<style", "style=", "onclick=", "onload=");
    }

    @Test
    void everyPageRoute_getsTheSamePage() {
        assertThat(site.serve("/accept-invitation", Map.of()).text()).isEqualTo(site.serve("/", Map.of()).text());
        assertThat(site.serve("/oidc/callback", Map.of()).text()).isEqualTo(site.serve("/", Map.of()).text());
    }

    @Test
    void everyModuleIsPreloaded_andEveryAssetTheHtmlNamesExists() {
        String html = site.serve("/", Map.of()).text();
        Matcher refs = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(html);
        int found = 0;
        while (refs.find()) {
            found++;
            assertThat(site.serve(refs.group(1), Map.of()).status()).as(refs.group(1)).isEqualTo(200);
        }
        long modules = REAL.assets().keySet().stream().filter(p -> p.endsWith(".js")).count();
        long stylesheets = REAL.assets().keySet().stream().filter(p -> p.endsWith(".css")).count();
        // app.js is the entry; every other module is preloaded; every stylesheet is linked; plus the icon.
        assertThat(stylesheets).isGreaterThan(1);
        assertThat(found).isEqualTo(modules + stylesheets + 1);
    }

    @Test
    void componentStyles_areLinkedAfterTheSharedStylesheet() {
        String html = site.serve("/", Map.of()).text();
        int shared = html.indexOf("href=\"" + site.assetBase() + "/console.css\"");
        int component = html.indexOf("<link rel=\"stylesheet\" href=\"" + site.assetBase() + "/components/member-table.css\">");
        assertThat(shared).isPositive();
        assertThat(component).isGreaterThan(shared);
    }

    @Test
    void everyRelativeImport_resolvesToAnAsset() {
        Pattern imports = Pattern.compile("(?:from|import)\\s+'(\\.{1,2}/[^']+)'");
        for (var asset : REAL.assets().values()) {
            if (!asset.path().endsWith(".js")) {
                continue;
            }
            Matcher m = imports.matcher(new String(asset.body(), StandardCharsets.UTF_8));
            while (m.find()) {
                String resolved = java.net.URI.create("x:/" + asset.path()).resolve(m.group(1)).getPath().substring(1);
                assertThat(REAL.assets()).as("%s imports %s", asset.path(), m.group(1)).containsKey(resolved);
            }
        }
    }

    @Test
    void assets_areImmutable_withAStrongValidator_and304WhenItMatches() {
        ConsoleSite.Response css = site.serve(site.assetBase() + "/console.css", Map.of());

        assertThat(css.status()).isEqualTo(200);
        assertThat(css.headers()).containsEntry("content-type", "text/css; charset=utf-8")
                .containsEntry("cache-control", "public, max-age=31536000, immutable")
                .containsEntry("x-content-type-options", "nosniff");
        String etag = css.headers().get("etag");
        assertThat(etag).matches("\"[0-9a-f]{20}\"");
        assertThat(css.body()).isEqualTo(REAL.asset("console.css").orElseThrow().body());

        ConsoleSite.Response again = site.serve(site.assetBase() + "/console.css", Map.of("if-none-match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers()).containsEntry("etag", etag);
        assertThat(site.serve(site.assetBase() + "/console.css", Map.of("if-none-match", "\"other\"")).status())
                .isEqualTo(200);
    }

    @Test
    void gzip_whenAccepted_withItsOwnValidator() throws IOException {
        ConsoleSite.Response js = site.serve(site.assetBase() + "/app.js", Map.of("accept-encoding", "gzip, deflate, br"));

        assertThat(js.headers()).containsEntry("content-encoding", "gzip").containsEntry("vary", "accept-encoding");
        assertThat(gunzip(js.body())).isEqualTo(REAL.asset("app.js").orElseThrow().body());
        assertThat(js.headers().get("etag")).endsWith("-gz\"");
        assertThat(site.serve(site.assetBase() + "/app.js", Map.of("accept-encoding", "gzip;q=0")).headers())
                .doesNotContainKey("content-encoding");
        ConsoleSite.Response page = site.serve("/", Map.of("accept-encoding", "gzip"));
        assertThat(new String(gunzip(page.body()), StandardCharsets.UTF_8)).isEqualTo(site.serve("/", Map.of()).text());
    }

    @Test
    void unknownAssets_olderVersions_andTraversal_are404() {
        for (String path : List.of(site.assetBase() + "/nope.js", "/assets/000000000000/app.js", "/assets/app.js",
                site.assetBase() + "/../index.html", site.assetBase() + "/lib/../app.js", "/assets/")) {
            ConsoleSite.Response r = site.serve(path, Map.of());
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.text()).isEqualTo("{\"message\":\"Not Found\"}");
            assertThat(r.headers()).containsEntry("content-type", "application/json");
        }
    }

    @Test
    void theVersion_changesWithAnyAsset_andOnlyWithAssets() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.html", "<p>{{assets}}</p>".getBytes(StandardCharsets.UTF_8));
        files.put("assets/app.js", "export {};".getBytes(StandardCharsets.UTF_8));
        files.put("assets/lib/a.js", "export const a = 1;".getBytes(StandardCharsets.UTF_8));
        String v1 = ConsoleAssets.of(files).version();

        files.put("index.html", "<p>changed {{assets}}</p>".getBytes(StandardCharsets.UTF_8));
        assertThat(ConsoleAssets.of(files).version()).isEqualTo(v1);
        files.put("assets/lib/a.js", "export const a = 2;".getBytes(StandardCharsets.UTF_8));
        assertThat(ConsoleAssets.of(files).version()).isNotEqualTo(v1);

        files.put("assets/readme.txt", new byte[0]);
        assertThatThrownBy(() -> ConsoleAssets.of(files)).hasMessageContaining("readme.txt");
    }

    @Test
    void config_refusesValuesThatCouldEscapeTheirPlace() {
        assertThatThrownBy(() -> new ConsoleConfig("http://issuer.example.com", "c", "openid", List.of()))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> new ConsoleConfig("https://issuer.example.com", "c\"><script>", "openid", List.of()))
                .hasMessageContaining("CONSOLE_OIDC_CLIENT_ID");
        assertThatThrownBy(() -> new ConsoleConfig("https://issuer.example.com", "c", "email", List.of()))
                .hasMessageContaining("openid");
        assertThatThrownBy(() -> new ConsoleConfig("https://issuer.example.com", "c", "openid",
                List.of("https://a.example.com; script-src *"))).hasMessageContaining("CONSOLE_CONNECT_SOURCES");
        // The local development issuer is plain HTTP on the loopback interface.
        assertThat(new ConsoleConfig("http://127.0.0.1:3000/local/issuer", "wsl-local", "openid", List.of())
                .contentSecurityPolicy()).contains("connect-src 'self' http://127.0.0.1:3000;");
    }

    @Test
    void handler_answersBase64_whichApiGatewayDecodes() throws IOException {
        ConsoleHandler handler = new ConsoleHandler(site);
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawPath(site.assetBase() + "/app.js")
                .withHeaders(Map.of("Accept-Encoding", "gzip")).build();

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getIsBase64Encoded()).isTrue();
        assertThat(gunzip(Base64.getDecoder().decode(response.getBody())))
                .isEqualTo(REAL.asset("app.js").orElseThrow().body());
        APIGatewayV2HTTPResponse notModified = handler.handleRequest(APIGatewayV2HTTPEvent.builder()
                .withRawPath(site.assetBase() + "/app.js")
                .withHeaders(Map.of("if-none-match", response.getHeaders().get("etag"))).build(), null);
        assertThat(notModified.getStatusCode()).isEqualTo(304);
        assertThat(notModified.getBody()).isNull();
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
