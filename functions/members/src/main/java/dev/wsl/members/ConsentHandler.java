package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.failure.NotFound;

/**
 * The caller's memberships that wait for their consent (one function for its three routes):
 * {@code GET /me/pending-memberships} lists them (workspace, who set up the identity provider that provisioned
 * the caller), {@code POST /me/pending-memberships/{workspaceId}/join} joins one, and
 * {@code POST /me/pending-memberships/{workspaceId}/decline} removes it. Each acts on the caller's own verified
 * email only: nobody answers another person's prompt.
 */
public final class ConsentHandler extends HttpApiHandler {
    private final ConsentService consent;

    public ConsentHandler() {
        this(Services.consent());
    }

    ConsentHandler(ConsentService consent) {
        this.consent = consent;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return switch (request.routeKey() == null ? "" : request.routeKey()) {
            case "GET /me/pending-memberships" -> ApiResponse.ok(Views.pending(consent.pending(request.caller())));
            case "POST /me/pending-memberships/{workspaceId}/join" -> ApiResponse.ok(Views.memberships(
                    java.util.List.of(consent.join(request.caller(), request.path("workspaceId")))).items().getFirst());
            case "POST /me/pending-memberships/{workspaceId}/decline" -> {
                consent.decline(request.caller(), request.path("workspaceId"));
                yield ApiResponse.noContent();
            }
            default -> throw new NotFound("not-found", "No such route.");
        };
    }
}
