package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code TokenAuthorizerFunction}: the HTTP API Lambda authorizer (payload format 2.0, simple
 * responses) in front of the platform APIs that LocalStack instances call with their credential in
 * headers. {@code {"isAuthorized": true, "context": {…}}} when {@link TokenAuthorizer} finds an
 * entitlement (the context is {@link AuthorizerContext}), {@code {"isAuthorized": false}} for every
 * refusal alike; API Gateway answers those {@code 403 {"message":"Forbidden"}}. A stream handler:
 * the event is read with the streaming parser and the answer written by hand, because the event
 * classes of {@code aws-lambda-java-events} for authorizers need Joda-Time, which the jar leaves out.
 * Each call writes one summary line (the route being authorized, the credential's kind, the outcome:
 * {@code allowed} or the refusal's code, the workspace and member or key when allowed) and counts one
 * {@link Metric#AUTHORIZATIONS}, and a denial because the table did not answer one
 * {@link Metric#AUTHORIZER_UNAVAILABLE}; nothing of the headers is logged, the credential never.
 */
public final class TokenAuthorizerHandler implements RequestStreamHandler {
    private final TokenAuthorizer authorizer;

    public TokenAuthorizerHandler() {
        this(AuthorizerServices.authorizer(TokenAuthorizerHandler::new));
    }

    /** A handler around a given authorizer (tests use it to decide under a chosen sunset plan and clock). */
    public TokenAuthorizerHandler(TokenAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocation invocation = Invocation.start(context, "authorizer");
        try {
            AuthorizerJson.Event event = AuthorizerJson.event(input);
            if (event.routeKey() != null) {
                invocation.route(event.routeKey());
            }
            invocation.field("apiRequestId", event.requestId()).count(Metric.AUTHORIZATIONS, 1);
            Optional<PlatformCredential> presented = PlatformCredential.fromHeaders(event.headers());
            invocation.field("credentialKind",
                    presented.map(p -> AuthorizerContext.kindLabel(p.kind())).orElse("none"));
            String answer = switch (authorizer.authorize(presented)) {
                case Entitlement e -> {
                    invocation.outcome("allowed").workspace(e.workspaceId()).field("userId", e.userId())
                            .field("memberId", e.memberId()).field("keyId", e.keyId());
                    yield AuthorizerJson.allowed(AuthorizerContext.of(e));
                }
                case Outcome.Refused refused -> {
                    invocation.outcome(refused.refusal().code());
                    if (refused.refusal() == Refusal.SERVER_BUSY) {
                        // A denial API Gateway answers 403 like any other: counted on its own for the alarm.
                        invocation.count(Metric.AUTHORIZER_UNAVAILABLE, 1);
                    }
                    yield AuthorizerJson.DENIED;
                }
            };
            output.write(answer.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            invocation.failed(e);
            throw e;
        } finally {
            invocation.finish();
        }
    }
}
