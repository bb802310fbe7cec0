package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.api.EdgeHandler;
import dev.wsl.core.domain.Workspace;
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
 * answer in time is {@code 503 licensing.server.busy} ({@link RefusalRenderer}), as on the activation routes.
 */
public final class LicenseInfoHandler extends EdgeHandler {
    private final LicenseInfo info;

    public LicenseInfoHandler() {
        this(Shared.INFO);
    }

    LicenseInfoHandler(LicenseInfo info) {
        super(RefusalRenderer.RENDERER);
        this.info = info;
    }

    @Override
    protected APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId, Invocation invocation) {
        var authorizer = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
        Map<String, Object> identity = authorizer == null ? null : authorizer.getLambda();
        if (identity != null) {
            invocation.workspace(string(identity.get(AuthorizerContext.WORKSPACE_ID)))
                    .field("credentialKind", string(identity.get(AuthorizerContext.CREDENTIAL_KIND)));
        }
        String body = info.json(identity);
        invocation.outcome("ok");
        return RefusalRenderer.ok(body);
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
