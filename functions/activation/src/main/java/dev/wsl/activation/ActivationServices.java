package dev.wsl.activation;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.DynamoClients;

/**
 * Built once per cold start. Before the SnapStart snapshot, an activation with a well-formed but
 * unknown token runs the whole request path once (parse, hash, GetItem, refusal JSON), so that a
 * restored function has its classes loaded and its connection pool warm; then, if the function's
 * environment asks for them, {@code PRIMING_INVOCATIONS} granted activations against canned reads
 * ({@link CannedPriming}), so that it also starts with the hot path compiled.
 */
final class ActivationServices {
    private static final ActivationService SERVICE = create();
    private static final SourceLimit SOURCE_LIMIT = SourceLimit.fromEnvironment();

    private ActivationServices() {}

    static ActivationService service() {
        return SERVICE;
    }

    /** Requests per source address (LicenseSourceRateLimit), or null when the stack sets none. */
    static SourceLimit sourceLimit() {
        return SOURCE_LIMIT;
    }

    private static ActivationService create() {
        FunctionConfig config = FunctionConfig.fromEnvironment();
        ActivationStore store = new ActivationStore(DynamoClients.create(), config.table());
        ActivationService service = new ActivationService(LicenseDecision.fromEnvironment(store), config.reactivateAfter());
        int invocations = CannedPriming.fromEnvironment();
        Priming.register(() -> {
            prime(service);
            store.read(java.util.List.of("ws_priming"), java.util.Map.of(), java.util.List.of());
            CannedPriming.activations(invocations);
        });
        return service;
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
