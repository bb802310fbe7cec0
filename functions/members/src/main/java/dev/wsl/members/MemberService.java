package dev.wsl.members;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The members module's use cases, built once from its stores and split by concept: {@link Workspaces},
 * {@link Invitations}, {@link FirstSignIn}, and those the identity provider shares ({@link ProvisioningUseCases}):
 * {@link Memberships} (the changes an admin or the identity provider makes to a member), {@link ProvisionedMembers}
 * (the identity provider's users) and the {@link MemberDirectory} reads. Every use
 * case on a workspace authorizes against that workspace; a caller who is not an ACTIVE member learns only that
 * the workspace was not found. Each runs read → decide → write under the {@link RetryPolicy}: a lost race is
 * decided again on fresh reads. Thread-safe.
 */
public final class MemberService {
    public static final int MAX_INVITATION_DAYS = 30;

    private final MemberContext context;
    private final Workspaces workspaces;
    private final Invitations invitations;
    private final FirstSignIn firstSignIn;
    private final ProvisioningUseCases identityProvider;

    /** With the default invitation limits ({@link InvitationLimits#DEFAULT}). */
    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry) {
        this(store, licenses, credentials, sealer, clock, defaultInvitationTtl, retry, InvitationLimits.DEFAULT);
    }

    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry,
                         InvitationLimits invitationLimits) {
        this.context = new MemberContext(store, licenses, credentials, clock, defaultInvitationTtl, retry,
                invitationLimits);
        TokenIssuer tokens = new TokenIssuer(sealer);
        this.identityProvider = new ProvisioningUseCases(context);
        this.workspaces = new Workspaces(context, tokens);
        this.invitations = new Invitations(context, tokens);
        this.firstSignIn = new FirstSignIn(context, tokens);
    }

    /**
     * Resolves a signed-in person at the edge, once per request: their grant in the workspace of the path.
     *
     * @throws NotFound unless the caller is an ACTIVE member of the workspace
     */
    public Principal.Person person(Caller caller, String workspaceId) {
        return context.authorization.person(caller, workspaceId);
    }

    public Workspaces workspaces() {
        return workspaces;
    }

    public Invitations invitations() {
        return invitations;
    }

    public Memberships memberships() {
        return identityProvider.memberships();
    }

    public ProvisionedMembers provisioning() {
        return identityProvider.provisioning();
    }

    public FirstSignIn firstSignIn() {
        return firstSignIn;
    }

    public MemberDirectory directory() {
        return identityProvider.directory();
    }

    /** The use cases the identity provider shares with people (on this service's stores), for SCIM's tests. */
    public ProvisioningUseCases identityProvider() {
        return identityProvider;
    }

    /** The one removal's seat side, for the other use cases that take a member out (a Decline). */
    Removal removal() {
        return identityProvider.removal();
    }
}
