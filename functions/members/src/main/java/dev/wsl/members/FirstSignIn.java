package dev.wsl.members;

import static dev.wsl.members.MemberContext.audit;
import static dev.wsl.members.MemberContext.profile;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A person's first sign-in (PRODUCT.md sections 9 and 11): claiming what identity providers provisioned for
 * their email. Apart from {@link ProvisionedMembers}, the identity provider's own use cases, because it is a
 * person's and issues their first auth token: the SCIM functions, which hold no key to seal one, never build it.
 * Thread-safe.
 */
public final class FirstSignIn {
    private final MemberContext c;
    private final TokenIssuer tokens;

    FirstSignIn(MemberContext context, TokenIssuer tokens) {
        this.c = context;
        this.tokens = tokens;
    }

    /**
     * The caller's first sign-in with a verified email that identity providers provisioned: each such
     * membership in a workspace that verified the email's domain becomes ACTIVE for the caller's account, as an
     * accepted invitation does (grant, the caller's first auth token if they have none, a license they got
     * meanwhile starts activating). Every other one waits for the person's Join ({@link ConsentService}) and
     * this sign-in writes nothing about them to that workspace. Memberships the caller's account already has
     * another way are left alone.
     *
     * @return the memberships activated now
     */
    public List<Membership> claimProvisioned(Caller caller) {
        List<Member> waiting = c.retry.run(() -> c.store.awaitingSignIn(caller.email()));
        List<Membership> claimed = new ArrayList<>();
        for (Member candidate : waiting) {
            if (!c.retry.run(() -> c.domains.vouchFor(candidate.workspaceId(), caller.email(), c.clock.instant()))) {
                continue; // asked first: Join or Decline
            }
            try {
                Member m = c.retry.run(() -> claimOnce(caller, candidate.workspaceId(), candidate.memberId()));
                String name = c.store.findWorkspace(m.workspaceId()).map(Workspace::name).orElse(m.workspaceId());
                claimed.add(new Membership(m.workspaceId(), name, m.memberId(), m.access()));
            } catch (AlreadyExists | NotFound notThisOne) {
                // The account is another member there already, or the membership changed meanwhile.
            }
        }
        return claimed;
    }

    private Member claimOnce(Caller caller, String workspaceId, String memberId) {
        Member before = c.store.findMember(workspaceId, memberId).orElseThrow(MemberContext::memberNotFound);
        if (!before.awaitsFirstSignIn() || !before.email().equals(caller.email())) {
            throw MemberContext.memberNotFound();
        }
        Instant now = c.clock.instant();
        Member after = before.accepted(caller.userId(), before.name(), now);
        Optional<TokenHashes> authToken = c.store.authTokens(caller.userId());
        PersonalToken newToken = tokens.unless(authToken, caller, now);
        c.store.activate(before, after, profile(caller), authToken.orElse(null), newToken,
                MemberRules.adminDelta(before, after),
                audit(caller, workspaceId, now, "member.signed-in", memberId,
                        Map.of("provisionedAs", before.provisioning().userName())));
        return after;
    }
}
