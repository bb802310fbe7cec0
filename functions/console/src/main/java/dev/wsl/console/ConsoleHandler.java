package dev.wsl.console;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.telemetry.Invocation;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The console's routes ({@code GET /}, {@code /accept-invitation}, the sign-in callback and
 * {@code /assets/{file+}} in {@code template.yaml}, all without the JWT authorizer: a page must load
 * before anyone can sign in). The files are read and hashed once per cold start, before the
 * SnapStart snapshot; a request only picks bytes. Bodies are base64 (gzip is binary), which API
 * Gateway decodes. Each request writes one summary line (route, status). Thread-safe.
 */
public final class ConsoleHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Built when Lambda constructs the handler at cold start, not when a test merely loads the class. */
    private static final class Default {
        static final ConsoleSite SITE = new ConsoleSite(ConsoleAssets.load(), ConsoleConfig.fromEnvironment());
    }

    private final ConsoleSite site;

    public ConsoleHandler() {
        this(Default.SITE);
    }

    ConsoleHandler(ConsoleSite site) {
        this.site = site;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> answer(event));
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        ConsoleSite.Response response = site.serve(path, headers);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body().length == 0 ? null : Base64.getEncoder().encodeToString(response.body()))
                .withIsBase64Encoded(response.body().length > 0)
                .build();
    }
}
