package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.store.AwsClients;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.telemetry.Invocation;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import java.time.Clock;
import java.util.Map;

/**
 * {@code GET /v1/license/info} ({@code LicenseInfoFunction}), behind the token authorizer: answers
 * {@link LicenseInfo} from the authorizer's context; the only read is the workspace's name (one
 * GetItem). Refusals are the authorizer's, made by API Gateway before this runs; a read the table does not
 * answer in time is {@code 503 licensing.server.busy}, as on the activation routes.
 */
public final class LicenseInfoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store");
    private final LicenseInfo info;

    public LicenseInfoHandler() {
        this(Shared.INFO);
    }

    LicenseInfoHandler(LicenseInfo info) {
        this.info = info;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> {
            var authorizer = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
            Map<String, Object> identity = authorizer == null ? null : authorizer.getLambda();
            if (identity != null) {
                invocation.workspace(string(identity.get(AuthorizerContext.WORKSPACE_ID)))
                        .field("credentialKind", string(identity.get(AuthorizerContext.CREDENTIAL_KIND)));
            }
            String body;
            try {
                body = info.json(identity);
            } catch (RuntimeException e) {
                if (!AwsClients.unavailable(e)) {
                    throw e;
                }
                // The workspace's name could not be read in time: the licensing routes' own busy answer, not a bare 500.
                invocation.failed(e).outcome(Refusal.SERVER_BUSY.code());
                return APIGatewayV2HTTPResponse.builder().withStatusCode(Refusal.SERVER_BUSY.status()).withHeaders(HEADERS)
                        .withBody(ResponseJson.error(Refusal.SERVER_BUSY.message(), Refusal.SERVER_BUSY.detail())).build();
            }
            invocation.outcome("ok");
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(HEADERS).withBody(body).build();
        });
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    /** Built once per cold start, on first use; primed for SnapStart with a read of a missing workspace. */
    private static final class Shared {
        static final LicenseInfo INFO = create();

        private static LicenseInfo create() {
            FunctionConfig config = FunctionConfig.fromEnvironment();
            WorkspaceStore workspaces = new DynamoWorkspaceStore(DynamoClients.create(), config.table());
            Priming.register(() -> workspaces.findWorkspace("ws_priming"));
            return new LicenseInfo(ws -> workspaces.findWorkspace(ws).map(Workspace::name), Clock.systemUTC(),
                    config.reactivateAfter());
        }
    }
}
