package dev.wsl.members;

import dev.wsl.core.access.VerifiedDomains;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Consent (PRODUCT.md section 11): a membership an identity provider created for a person's email, in a
 * workspace that has not verified that email's domain, waits for the person to choose. They see it when they
 * sign in (the workspace's name, and who set up the identity provider that provisioned them) and Join or
 * Decline it. Until they join it is in no list of theirs, holds no license, and their sign-ins write nothing
 * to that workspace. Every use case acts on the caller's own verified email only, so nobody can answer
 * someone else's prompt. Thread-safe.
 */
public final class ConsentService {
    /** The actor of a Decline in the workspace's audit trail: the person, by the email it provisioned, not their account. */
    static final String INVITEE = "invitee";

    private final WorkspaceStore store;
    private final LicenseStore licenses;
    private final ScimStore scim;
    private final MemberService members;
    private final TokenSealer sealer;
    private final Clock clock;
    private final RetryPolicy retry;
    private final VerifiedDomains domains;

    public ConsentService(WorkspaceStore store, LicenseStore licenses, ScimStore scim, MemberService members,
                          TokenSealer sealer, Clock clock, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.licenses = Objects.requireNonNull(licenses);
        this.scim = Objects.requireNonNull(scim);
        this.members = Objects.requireNonNull(members);
        this.sealer = Objects.requireNonNull(sealer);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
        this.domains = new VerifiedDomains(store);
    }

    /**
     * A membership waiting for the caller's answer.
     *
     * @param setUpBy the email of the admin who set up the identity provider (created the workspace's SCIM
     *                token), or null when that is no longer known (the token is gone, or its creator left)
     */
    public record Pending(String workspaceId, String workspaceName, String memberId, Instant provisionedAt,
                          String setUpBy) {}

    /** The memberships provisioned for the caller's verified email that wait for their Join or Decline. */
    public List<Pending> pending(Caller caller) {
        return retry.run(() -> {
            List<Pending> out = new ArrayList<>();
            Instant now = clock.instant();
            for (Member m : store.awaitingSignIn(caller.email())) {
                if (!m.email().equals(caller.email()) || domains.vouchFor(m.workspaceId(), m.email(), now)) {
                    continue; // a verified domain's membership is joined at sign-in, not asked
                }
                Optional<Workspace> ws = store.findWorkspace(m.workspaceId());
                if (ws.isPresent()) {
                    out.add(new Pending(m.workspaceId(), ws.get().name(), m.memberId(), m.invitedAt(),
                            setUpBy(m.workspaceId())));
                }
            }
            return out;
        });
    }

    /** The admin who created the workspace's SCIM token, if they still are a member. */
    private String setUpBy(String workspaceId) {
        return scim.token(workspaceId).map(ScimToken::createdBy).filter(Objects::nonNull)
                .flatMap(userId -> store.findGrant(workspaceId, userId))
                .flatMap(grant -> store.findMember(workspaceId, grant.memberId()))
                .map(m -> m.email().value()).orElse(null);
    }

    /**
     * The caller joins: the membership becomes ACTIVE for their account (their first auth token if they have
     * none), and, since they joined themselves, the workspace becomes where their token activates unless they
     * chose before. A license the membership held while it waited is not kept.
     *
     * @throws NotFound {@code pending-membership-not-found} unless a membership for the caller's email waits there
     */
    public Membership join(Caller caller, String workspaceId) {
        return retry.run(() -> {
            Member before = waitingFor(caller, workspaceId);
            Instant now = clock.instant();
            Member joined = before.accepted(caller.userId(), before.name(), now);
            Member after = before.holdings().licensed()
                    ? joined.withHoldings(joined.holdings().withLicense(false)) : joined;
            Actor actor = Actor.of(caller);
            SeatChange freed = null;
            if (before.holdings().licensed()) {
                freed = new SeatChange(workspaceId, List.of(new SeatChange.MemberChange(before, after)), List.of(),
                        List.of(actor.audit(workspaceId, now, "license.unassigned", before.memberId(),
                                Map.of("reason", "a license given before the person joined is not kept"))));
            }
            Optional<TokenHashes> authToken = store.authTokens(caller.userId());
            PersonalToken newToken = authToken.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
            store.join(before, after, new UserProfile(caller.userId(), caller.email(), caller.username()),
                    authToken.orElse(null), newToken, MemberRules.adminDelta(before, after),
                    actor.audit(workspaceId, now, "member.joined", before.memberId(),
                            Map.of("provisionedAs", before.provisioning().userName())),
                    freed, freed == null ? null : licenses.pool(workspaceId));
            String name = store.findWorkspace(workspaceId).map(Workspace::name).orElse(workspaceId);
            return new Membership(workspaceId, name, after.memberId(), after.access());
        });
    }

    /**
     * The caller declines: the waiting membership is removed (what it held is freed, as a removal frees it).
     * The trail names the person by the email the identity provider sent, not by their account.
     *
     * @throws NotFound {@code pending-membership-not-found} unless a membership for the caller's email waits there
     */
    public void decline(Caller caller, String workspaceId) {
        retry.run(() -> {
            Member before = waitingFor(caller, workspaceId);
            Instant now = clock.instant();
            Actor invitee = new Actor(INVITEE, before.email().value());
            // The person's own decision: it sticks against the identity provider as an admin's removal does.
            Member after = before.removedBy(invitee, now);
            SeatChange freed = members.removal().seatsFreedBy(invitee, before, after, now);
            AuditEntry audit = invitee.audit(workspaceId, now, "member.declined", before.memberId(),
                    Map.of("provisionedAs", before.provisioning().userName()));
            store.remove(before, after, MemberRules.adminDelta(before, after), audit, freed,
                    freed == null ? null : licenses.pool(workspaceId));
            return null;
        });
    }

    private Member waitingFor(Caller caller, String workspaceId) {
        if (!Ids.isWellFormed("ws", workspaceId)) {
            throw notWaiting();
        }
        return store.findMemberIdByEmail(workspaceId, caller.email().value())
                .flatMap(id -> store.findMember(workspaceId, id))
                .filter(m -> m.awaitsFirstSignIn() && m.email().equals(caller.email()))
                .orElseThrow(ConsentService::notWaiting);
    }

    private static NotFound notWaiting() {
        return new NotFound("pending-membership-not-found",
                "No membership in this workspace waits for your answer.");
    }
}
