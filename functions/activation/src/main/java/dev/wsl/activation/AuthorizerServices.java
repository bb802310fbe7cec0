package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsl.activation.priming.CannedPriming;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.DynamoClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Built once per cold start of {@code TokenAuthorizerFunction}. Before the SnapStart snapshot, an
 * authorization with a well-formed but unknown auth token runs the whole path once (event parse,
 * header check, hash, GetItem, answer), and a BatchGetItem of a missing pool warms step 2, so that a
 * restored function has its classes loaded and its connection pool warm; then, if the environment
 * asks for them, {@code PRIMING_INVOCATIONS} granted authorizations against canned reads
 * ({@link CannedPriming}), so that it also starts with the hot path compiled. The handler hands in how it
 * is made around an authorizer, so that nothing here points back at it.
 */
final class AuthorizerServices {
    /** How the function's handler is made around an authorizer ({@code TokenAuthorizerHandler::new}). */
    interface Handlers extends Function<TokenAuthorizer, RequestStreamHandler> {}

    private static TokenAuthorizer authorizer;

    private AuthorizerServices() {}

    /** The function's authorizer; the first call builds it and registers its priming, run through {@code handlers}. */
    static synchronized TokenAuthorizer authorizer(Handlers handlers) {
        if (authorizer == null) {
            authorizer = create(handlers);
        }
        return authorizer;
    }

    private static TokenAuthorizer create(Handlers handlers) {
        ActivationStore store = new ActivationStore(DynamoClients.create(), FunctionConfig.fromEnvironment().table());
        TokenAuthorizer authorizer = new TokenAuthorizer(LicenseDecision.fromEnvironment(store));
        int invocations = CannedPriming.fromEnvironment();
        CannedPriming.AuthorizerHandlers canned = canned(handlers);
        Priming.register(() -> {
            prime(handlers.apply(authorizer));
            store.read(List.of("ws_priming"), Map.of(), List.of());
            CannedPriming.authorizations(invocations, canned);
        });
        return authorizer;
    }

    /** Handlers like the function's over a given store (the canned reads), without a sunset plan. */
    static CannedPriming.AuthorizerHandlers canned(Handlers handlers) {
        return store -> handlers.apply(new TokenAuthorizer(new LicenseDecision(store, Clock.systemUTC(), null)));
    }

    static void prime(RequestStreamHandler handler) {
        String basic = Base64.getEncoder().encodeToString((":" + AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX))
                .getBytes(StandardCharsets.UTF_8));
        String event = "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"priming\",\"headers\":{"
                + "\"authorization\":\"Basic " + basic + "\",\"user-agent\":\"priming\"}}";
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AuthorizerJson.allowed(Map.of(AuthorizerContext.CREDENTIAL_KIND, "priming"));
    }
}
