package dev.wsl.members;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoDomainStore;
import dev.wsl.core.store.DynamoScimStore;
import dev.wsl.core.store.DynamoSeatStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.core.store.KmsTokenSealer;
import java.time.Clock;

/**
 * The function's collaborators, built once per cold start (and before the
 * SnapStart snapshot, which primes them): one DynamoDB client, one service.
 */
final class Services {
    private static final FunctionConfig CONFIG = FunctionConfig.fromEnvironment();
    private static final software.amazon.awssdk.services.dynamodb.DynamoDbClient DYNAMO = DynamoClients.create();
    private static final TokenSealer SEALER = KmsTokenSealer.fromEnvironment();
    private static final MemberService MEMBERS = create();
    private static final AuthTokenService TOKENS = new AuthTokenService(
            new DynamoCredentialStore(DYNAMO, CONFIG.table()), SEALER, Clock.systemUTC(), RetryPolicy.STANDARD);
    // Consent, verified domains and the token's workspace (issue 17, part B): built on first use, so that the
    // functions that serve none of them build none of it.
    private static volatile ConsentService consent;
    private static volatile DomainService domains;
    private static volatile TokenWorkspaceService tokenWorkspaces;
    private static volatile MemberReports reports;

    private Services() {}

    static MemberService members() {
        return MEMBERS;
    }

    static AuthTokenService authTokens() {
        return TOKENS;
    }

    static synchronized ConsentService consent() {
        if (consent == null) {
            String table = CONFIG.table();
            consent = new ConsentService(new DynamoWorkspaceStore(DYNAMO, table), new DynamoLicenseStore(DYNAMO, table),
                    new DynamoScimStore(DYNAMO, table), MEMBERS, SEALER, Clock.systemUTC(), RetryPolicy.STANDARD);
        }
        return consent;
    }

    /** Idle seats and CSV exports (issue 21), for the members list and audit functions. */
    static synchronized MemberReports reports() {
        if (reports == null) {
            String table = CONFIG.table();
            reports = new MemberReports(MEMBERS, new DynamoWorkspaceStore(DYNAMO, table), new DynamoSeatStore(DYNAMO, table),
                    new DynamoLicenseStore(DYNAMO, table), Clock.systemUTC(), RetryPolicy.STANDARD);
        }
        return reports;
    }

    static synchronized DomainService domains() {
        if (domains == null) {
            String table = CONFIG.table();
            domains = new DomainService(new DynamoWorkspaceStore(DYNAMO, table), new DynamoDomainStore(DYNAMO, table),
                    new JndiTxtResolver(CONFIG.dnsResolver().orElse(null)), Clock.systemUTC(), RetryPolicy.STANDARD);
        }
        return domains;
    }

    static synchronized TokenWorkspaceService tokenWorkspaces() {
        if (tokenWorkspaces == null) {
            String table = CONFIG.table();
            tokenWorkspaces = new TokenWorkspaceService(new DynamoWorkspaceStore(DYNAMO, table),
                    new DynamoCredentialStore(DYNAMO, table), RetryPolicy.STANDARD);
        }
        return tokenWorkspaces;
    }

    private static MemberService create() {
        var dynamo = DYNAMO;
        String table = CONFIG.table();
        DynamoWorkspaceStore store = new DynamoWorkspaceStore(dynamo, table);
        MemberService service = new MemberService(store, new DynamoLicenseStore(dynamo, table),
                new DynamoCredentialStore(dynamo, table), SEALER, Clock.systemUTC(), CONFIG.invitationTtl(),
                RetryPolicy.STANDARD, invitationLimits());
        // Touch the request path's classes and open the connection before the snapshot.
        Priming.register(() -> store.findWorkspace("ws_priming"));
        return service;
    }

    /** The template's invitation limits (the invite and resend functions' environment), else the defaults. */
    static InvitationLimits invitationLimits() {
        return CONFIG.invitations();
    }
}
