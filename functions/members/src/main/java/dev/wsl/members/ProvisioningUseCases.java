package dev.wsl.members;

import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The members use cases an identity provider reaches through SCIM, and nothing else: its users
 * ({@link ProvisionedMembers}), access changes and removals ({@link Memberships}) and the reads
 * ({@link MemberDirectory}). Built without a token sealer: none of these issues or opens a personal auth token, and
 * the ones that do (creating a workspace, accepting an invitation, the first sign-in) are not in it, so the SCIM
 * functions need no KMS key. {@link MemberService} holds one built on its own context. Thread-safe.
 */
public final class ProvisioningUseCases {
    private final Memberships memberships;
    private final ProvisionedMembers provisioning;
    private final MemberDirectory directory;
    private final Removal removal;

    public ProvisioningUseCases(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, Clock clock,
                                Duration defaultInvitationTtl, RetryPolicy retry) {
        this(new MemberContext(store, licenses, credentials, clock, defaultInvitationTtl, retry,
                InvitationLimits.DEFAULT));
    }

    ProvisioningUseCases(MemberContext context) {
        this.directory = new MemberDirectory(context);
        this.removal = new Removal(context, directory);
        this.memberships = new Memberships(context, removal);
        this.provisioning = new ProvisionedMembers(context, removal, directory);
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

    Removal removal() {
        return removal;
    }
}
