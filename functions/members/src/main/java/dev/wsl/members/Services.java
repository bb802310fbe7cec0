package dev.wsl.members;

import dev.wsl.core.Priming;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.wiring.Wiring;

/**
 * The function's collaborators, built once per cold start (and before the SnapStart snapshot, which primes them)
 * from the one composition root, {@link Wiring}.
 */
final class Services {
    private static final Wiring WIRING = Wiring.fromEnvironment();
    private static final MemberService MEMBERS = create();
    private static final AuthTokenService TOKENS = new AuthTokenService(WIRING.credentials(), WIRING.sealer(),
            WIRING.clock(), WIRING.retry());
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
            consent = new ConsentService(WIRING.workspaces(), WIRING.licenses(), WIRING.scim(), MEMBERS,
                    WIRING.sealer(), WIRING.clock(), WIRING.retry());
        }
        return consent;
    }

    /** Idle seats and CSV exports (issue 21), for the members list and audit functions. */
    static synchronized MemberReports reports() {
        if (reports == null) {
            reports = new MemberReports(MEMBERS, WIRING.workspaces(), WIRING.seats(), WIRING.licenses(),
                    WIRING.clock(), WIRING.retry());
        }
        return reports;
    }

    static synchronized DomainService domains() {
        if (domains == null) {
            domains = new DomainService(WIRING.workspaces(), WIRING.domains(),
                    new JndiTxtResolver(WIRING.config().dnsResolver().orElse(null)), WIRING.clock(), WIRING.retry());
        }
        return domains;
    }

    static synchronized TokenWorkspaceService tokenWorkspaces() {
        if (tokenWorkspaces == null) {
            tokenWorkspaces = new TokenWorkspaceService(WIRING.workspaces(), WIRING.credentials(), WIRING.retry());
        }
        return tokenWorkspaces;
    }

    private static MemberService create() {
        MemberService service = new MemberService(WIRING.workspaces(), WIRING.licenses(), WIRING.credentials(),
                WIRING.sealer(), WIRING.clock(), WIRING.config().invitationTtl(), WIRING.retry(), invitationLimits());
        // Touch the request path's classes and open the connection before the snapshot.
        Priming.register(() -> WIRING.workspaces().findWorkspace("ws_priming"));
        return service;
    }

    /** The template's invitation limits (the invite and resend functions' environment), else the defaults. */
    static InvitationLimits invitationLimits() {
        return WIRING.config().invitations();
    }
}
