package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code TokenAuthorizerFunction}: the HTTP API Lambda authorizer (payload format 2.0, simple
 * responses) in front of the platform APIs that LocalStack instances call with their credential in
 * headers. {@code {"isAuthorized": true, "context": {…}}} when {@link TokenAuthorizer} finds an
 * entitlement (the context is {@link AuthorizerContext}), {@code {"isAuthorized": false}} for every
 * refusal alike; API Gateway answers those {@code 403 {"message":"Forbidden"}}. A stream handler:
 * the event is read with the streaming parser and the answer written by hand, because the event
 * classes of {@code aws-lambda-java-events} for authorizers need Joda-Time, which the jar leaves out.
 * Logs nothing of the request; the credential is never logged.
 */
public final class TokenAuthorizerHandler implements RequestStreamHandler {
    private final TokenAuthorizer authorizer;

    public TokenAuthorizerHandler() {
        this(AuthorizerServices.authorizer());
    }

    /** A handler around a given authorizer (tests use it to decide under a chosen sunset plan and clock). */
    public TokenAuthorizerHandler(TokenAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String answer = switch (authorizer.authorize(AuthorizerJson.headers(input))) {
            case Entitlement e -> AuthorizerJson.allowed(AuthorizerContext.of(e));
            case Outcome.Refused refused -> AuthorizerJson.DENIED;
        };
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
