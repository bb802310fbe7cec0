package dev.wsl.activation;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Built once per cold start of {@code TokenAuthorizerFunction}. Before the SnapStart snapshot, an
 * authorization with a well-formed but unknown auth token runs the whole path once (event parse,
 * header check, hash, GetItem, answer), and a BatchGetItem of a missing pool warms step 2, so that a
 * restored function has its classes loaded and its connection pool warm; then, if the environment
 * asks for them, {@code PRIMING_INVOCATIONS} granted authorizations against canned reads
 * ({@link CannedPriming}), so that it also starts with the hot path compiled.
 */
final class AuthorizerServices {
    private static final TokenAuthorizer AUTHORIZER = create();

    private AuthorizerServices() {}

    static TokenAuthorizer authorizer() {
        return AUTHORIZER;
    }

    private static TokenAuthorizer create() {
        ActivationStore store = new ActivationStore(DynamoClients.create(), FunctionConfig.fromEnvironment().table());
        TokenAuthorizer authorizer = new TokenAuthorizer(LicenseDecision.fromEnvironment(store));
        int invocations = CannedPriming.fromEnvironment();
        Priming.register(() -> {
            prime(authorizer);
            store.read(List.of("ws_priming"), Map.of(), List.of());
            CannedPriming.authorizations(invocations);
        });
        return authorizer;
    }

    static void prime(TokenAuthorizer authorizer) {
        String basic = Base64.getEncoder().encodeToString((":" + AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX))
                .getBytes(StandardCharsets.UTF_8));
        String event = "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"priming\",\"headers\":{"
                + "\"authorization\":\"Basic " + basic + "\",\"user-agent\":\"priming\"}}";
        try {
            new TokenAuthorizerHandler(authorizer).handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AuthorizerJson.allowed(Map.of(AuthorizerContext.CREDENTIAL_KIND, "priming"));
    }
}
