package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.json.JsonBody;
import java.time.Clock;
import java.util.Set;

/**
 * A workspace's email domains, admins only (one function for its four routes):
 * {@code GET|POST /workspaces/{workspaceId}/domains} lists or adds ({@code {"domain"}}; 201 with the TXT record
 * to publish), {@code POST …/domains/{domain}/verify} checks DNS now, {@code DELETE …/domains/{domain}} removes.
 */
public final class DomainsHandler extends HttpApiHandler {
    private final DomainService domains;
    private final Clock clock;

    public DomainsHandler() {
        this(Services.domains(), Clock.systemUTC());
    }

    DomainsHandler(DomainService domains, Clock clock) {
        this.domains = domains;
        this.clock = clock;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        return switch (request.routeKey() == null ? "" : request.routeKey()) {
            case "GET /workspaces/{workspaceId}/domains" -> ApiResponse.ok(new Views.DomainsView(domains
                    .list(request.caller(), ws).stream().map(d -> Views.domain(d, clock.instant())).toList()));
            case "POST /workspaces/{workspaceId}/domains" -> {
                String name = JsonBody.parse(request.body(), Set.of("domain")).requiredString("domain");
                yield ApiResponse.created(Views.domain(domains.add(request.caller(), ws, name), clock.instant()));
            }
            case "POST /workspaces/{workspaceId}/domains/{domain}/verify" -> {
                DomainService.Checked checked = domains.verify(request.caller(), ws, request.path("domain"));
                yield ApiResponse.ok(Views.domain(checked.domain(), checked.at()));
            }
            case "DELETE /workspaces/{workspaceId}/domains/{domain}" -> {
                domains.remove(request.caller(), ws, request.path("domain"));
                yield ApiResponse.noContent();
            }
            default -> throw new NotFound("not-found", "No such route.");
        };
    }
}
