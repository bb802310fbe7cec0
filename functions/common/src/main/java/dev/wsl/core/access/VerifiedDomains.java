package dev.wsl.core.access;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.Member;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a workspace may take a person in without asking them (PRODUCT.md section 11): only when the
 * person's email is of a domain the workspace verified (exactly that domain, not a parent of it), so that
 * whoever controls the domain's DNS vouched for the workspace. One keyed read. Thread-safe.
 */
public final class VerifiedDomains {
    private final WorkspaceStore store;

    public VerifiedDomains(WorkspaceStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** Whether the workspace has verified the email's domain at {@code now}. */
    public boolean vouchFor(String workspaceId, EmailAddress email, Instant now) {
        return store.findDomain(workspaceId, EmailDomain.of(email)).filter(d -> d.verified(now)).isPresent();
    }

    /**
     * Whether the member waits for the person's consent: an identity provider created it, the person has not
     * joined, and the workspace has not verified their email's domain. Such a membership holds no license.
     */
    public boolean awaitsConsent(Member member, Instant now) {
        return member.awaitsFirstSignIn() && !vouchFor(member.workspaceId(), member.email(), now);
    }
}
