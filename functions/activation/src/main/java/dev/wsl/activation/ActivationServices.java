package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.activation.priming.CannedPriming;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.DynamoClients;
import java.time.Clock;
import java.util.function.Function;

/**
 * Built once per cold start. Before the SnapStart snapshot, an activation with a well-formed but
 * unknown token runs the whole request path once (parse, hash, GetItem, refusal JSON), so that a
 * restored function has its classes loaded and its connection pool warm; then, if the function's
 * environment asks for them, {@code PRIMING_INVOCATIONS} granted activations against canned reads
 * ({@link CannedPriming}), so that it also starts with the hot path compiled. The handler hands in how it
 * is made around a service, so that nothing here points back at it.
 */
final class ActivationServices {
    /** How the function's handler is made around a service ({@code ActivationHandler::new}). */
    interface Handlers
            extends Function<ActivationService, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> {}

    private static ActivationService service;

    private ActivationServices() {}

    /** The function's service; the first call builds it and registers its priming, run through {@code handlers}. */
    static synchronized ActivationService service(Handlers handlers) {
        if (service == null) {
            service = create(handlers);
        }
        return service;
    }

    /** Requests per source address (LicenseSourceRateLimit), or null when the stack sets none. */
    static SourceLimit sourceLimit() {
        return Limit.SOURCE;
    }

    /** Built on first use, so that loading this class reads no configuration. */
    private static final class Limit {
        static final SourceLimit SOURCE = SourceLimit.of(FunctionConfig.fromEnvironment().sourceLimit());
    }

    private static ActivationService create(Handlers handlers) {
        FunctionConfig config = FunctionConfig.fromEnvironment();
        ActivationStore store = new ActivationStore(DynamoClients.create(), config.table());
        ActivationService service = new ActivationService(LicenseDecision.fromEnvironment(store), config.reactivateAfter());
        int invocations = CannedPriming.fromEnvironment();
        CannedPriming.ActivationHandlers canned = canned(handlers);
        Priming.register(() -> {
            prime(service);
            store.read(java.util.List.of("ws_priming"), java.util.Map.of(), java.util.List.of());
            CannedPriming.activations(invocations, canned);
        });
        return service;
    }

    /** Handlers like the function's over a given store (the canned reads): no sunset plan, the default reactivation. */
    static CannedPriming.ActivationHandlers canned(Handlers handlers) {
        return store -> handlers.apply(new ActivationService(store, Clock.systemUTC(),
                FunctionConfig.DEFAULT_REACTIVATE_AFTER, null));
    }

    static void prime(ActivationService service) {
        String body = "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\""
                + AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX) + "\"},\"product\":{\"name\":\"localstack-pro\","
                + "\"version\":\"0\"},\"machine\":{\"id\":\"priming\",\"cli\":true,\"ci\":false,\"system\":\"priming\"}}";
        try {
            service.activate(ActivationRequest.parse(body), false);
        } catch (ActivationRequest.Malformed e) {
            throw new IllegalStateException(e);
        }
        ResponseJson.error(Refusal.CREDENTIALS_INVALID.message(), Refusal.CREDENTIALS_INVALID.detail());
        java.time.Instant now = java.time.Instant.now();
        ResponseJson.license(new LicenseDocument("license_priming", "Team", now, now.plusSeconds(3600),
                ActivationService.PRODUCTS, "ACTIVE", now, now.plusSeconds(60)), "priming", "0");
    }
}
