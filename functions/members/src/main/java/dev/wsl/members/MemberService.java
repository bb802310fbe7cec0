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
 * {@link Invitations}, {@link Memberships} (the changes an admin or the identity provider makes to a member),
 * {@link ProvisionedMembers} (the identity provider's users) and the {@link MemberDirectory} reads. Every use
 * case on a workspace authorizes against that workspace; a caller who is not an ACTIVE member learns only that
 * the workspace was not found. Each runs read → decide → write under the {@link RetryPolicy}: a lost race is
 * decided again on fresh reads. Thread-safe.
 */
public final class MemberService {
    public static final int MAX_INVITATION_DAYS = 30;

    private final MemberContext context;
    private final Workspaces workspaces;
    private final Invitations invitations;
    private final Memberships memberships;
    private final ProvisionedMembers provisioning;
    private final MemberDirectory directory;
    private final Removal removal;

    /** With the default invitation limits ({@link InvitationLimits#DEFAULT}). */
    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry) {
        this(store, licenses, credentials, sealer, clock, defaultInvitationTtl, retry, InvitationLimits.DEFAULT);
    }

    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry,
                         InvitationLimits invitationLimits) {
        this.context = new MemberContext(store, licenses, credentials, sealer, clock, defaultInvitationTtl, retry,
                invitationLimits);
        this.directory = new MemberDirectory(context);
        this.removal = new Removal(context, directory);
        this.workspaces = new Workspaces(context);
        this.invitations = new Invitations(context);
        this.memberships = new Memberships(context, removal);
        this.provisioning = new ProvisionedMembers(context, removal, directory);
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
        return memberships;
    }

    public ProvisionedMembers provisioning() {
        return provisioning;
    }

    public MemberDirectory directory() {
        return directory;
    }

    /** The one removal's seat side, for the other use cases that take a member out (a Decline). */
    Removal removal() {
        return removal;
    }
}
