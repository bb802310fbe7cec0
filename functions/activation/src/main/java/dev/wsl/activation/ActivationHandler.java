package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.api.EdgeHandler;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code POST /v1/license/request} and {@code POST /v1/license/activate}: the routes every
 * LocalStack instance calls when it starts; and {@code POST /v1/license/grace-period-check}, which
 * the client calls after a refused activation and which always answers {@link Refusal#NO_GRACE_PERIOD}
 * (read nothing, so a refusal stays the client's last word). No JWT: the credential in the body is
 * the authentication. The handler only decodes the body, picks the route and writes the answer; the
 * decision is {@link ActivationService}'s. Errors are {@code {"message": code, "detail": text}}
 * as the client expects (not problem+json), decided in {@link Refusal}. Each request writes one
 * summary line with the route, the outcome ({@code granted} or the refusal's code), the credential's
 * kind as presented, the workspace and member or key on a grant, and counts one {@link Metric#ACTIVATIONS}
 * (a grace-period check is no activation and counts none). A source address over its limit ({@link SourceLimit})
 * is refused {@code 429} before the body is read. The credential is never logged, and neither is the body that
 * carries it. Every refusal is written by {@link RefusalRenderer}; what is thrown is caught by {@link EdgeHandler}.
 */
public final class ActivationHandler extends EdgeHandler {
    static final String GRACE_PERIOD_CHECK = "/license/grace-period-check";

    private final ActivationService service;
    private final SourceLimit limit;

    public ActivationHandler() {
        this(ActivationServices.service(ActivationHandler::new), ActivationServices.sourceLimit());
    }

    /** A handler around a given service (tests use it to activate under a chosen sunset plan and clock), no source limit. */
    public ActivationHandler(ActivationService service) {
        this(service, null);
    }

    /** @param limit requests per source address, or null for none */
    ActivationHandler(ActivationService service, SourceLimit limit) {
        super(RefusalRenderer.RENDERER);
        this.service = service;
        this.limit = limit;
    }

    @Override
    protected APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId, Invocation invocation) {
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if (path.endsWith(GRACE_PERIOD_CHECK)) {
            // Not an activation: its line says so, no activation is counted.
            return refused(invocation, new Outcome.Refused(Refusal.NO_GRACE_PERIOD));
        }
        invocation.count(Metric.ACTIVATIONS, 1);
        if (limit != null) {
            long retryAfter = limit.take(sourceIp(event));
            if (retryAfter > 0) {
                // Before the body is read: a flooding client costs this check and nothing else.
                invocation.field("credentialKind", "unknown");
                APIGatewayV2HTTPResponse refused = refused(invocation, new Outcome.Refused(Refusal.RATE_LIMITED));
                refused.setHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
                        "Retry-After", Long.toString(retryAfter)));
                return refused;
            }
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return refused(invocation, new Outcome.Refused(Refusal.BAD_REQUEST, "The body is not valid base64."));
            }
        }
        ActivationRequest request;
        try {
            request = ActivationRequest.parse(body);
        } catch (ActivationRequest.TooLarge e) {
            return refused(invocation, new Outcome.Refused(Refusal.BODY_TOO_LARGE, e.getMessage()));
        } catch (ActivationRequest.Malformed e) {
            return refused(invocation, new Outcome.Refused(Refusal.BAD_REQUEST, e.getMessage()));
        }
        invocation.field("credentialKind", request.claimedKind());
        Outcome outcome = service.activate(request, path.endsWith("/license/activate"));
        if (outcome instanceof Outcome.Granted granted) {
            Entitlement e = granted.entitlement();
            invocation.outcome("granted").workspace(e.workspaceId()).field("userId", e.userId())
                    .field("memberId", e.memberId()).field("keyId", e.keyId());
            return RefusalRenderer.ok(
                    ResponseJson.license(granted.license(), granted.credential(), granted.localstackVersion()));
        }
        return refused(invocation, (Outcome.Refused) outcome);
    }

    private static String sourceIp(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp();
    }

    private static APIGatewayV2HTTPResponse refused(Invocation invocation, Outcome.Refused refused) {
        invocation.outcome(refused.refusal().code());
        return RefusalRenderer.refused(refused);
    }
}
