package dev.wsl.testkit;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Arranges state through the stores' own interfaces, so that the same arrangement works on the fakes
 * and on the DynamoDB stores: workspaces with their admin, invited and active members, seats, keys.
 * Ids are fresh every time, so tests sharing one table never meet.
 */
public final class Arrange {
    private final StoreSet stores;
    private final Instant now;
    private final FakeSealer sealer = new FakeSealer();

    public Arrange(StoreSet stores, Instant now) {
        this.stores = stores;
        this.now = now;
    }

    /** A workspace and its creator, an ACTIVE admin with a user record and an auth token. */
    public record Ws(String id, Member admin, Caller caller) {}

    public Ws workspace() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Caller caller = caller("admin-" + suffix + "@example.com");
        String id = Ids.newId("ws", now.toEpochMilli());
        Member admin = Member.creator(id, Ids.newId("m", now.toEpochMilli()), caller, now);
        dev.wsl.core.domain.TokenHashes current = stores.workspaces().authTokens(caller.userId()).orElse(null);
        stores.workspaces().createWorkspace(new Workspace(id, "Workspace " + suffix, now, caller.userId(), 1), admin,
                profile(caller), current, current == null ? PersonalToken.issue(caller.userId(), sealer, now) : null,
                audit(id, caller, "workspace.created"));
        return new Ws(id, admin, caller);
    }

    public static Caller caller(String email) {
        return new Caller("sub-" + email.replace('@', '-'), new EmailAddress(email), email.substring(0, email.indexOf('@')));
    }

    /** An INVITED member with its outbox message (not delivered: no token yet). */
    public Member invite(Ws ws, String email) {
        Member member = Member.invited(ws.id(), Ids.newId("m", now.toEpochMilli()), new EmailAddress(email),
                "Placeholder", Access.MEMBER, ws.caller().userId(), now, now.plus(Duration.ofDays(7)));
        stores.workspaces().insertInvitedMember(member, message(member), quota(member),
                audit(ws.id(), ws.caller(), "member.invited"));
        return member;
    }

    /** An INVITED member invited at {@code at}, its email counted against these limits (a workspace without subscription). */
    public Member invite(Ws ws, String email, InvitationLimits limits, Instant at) {
        Member member = Member.invited(ws.id(), Ids.newId("m", at.toEpochMilli()), new EmailAddress(email),
                "Placeholder", Access.MEMBER, ws.caller().userId(), at, at.plus(Duration.ofDays(7)));
        stores.workspaces().insertInvitedMember(member, message(member),
                limits.quota(member.email(), ws.id(), false, at), audit(ws.id(), ws.caller(), "member.invited"));
        return member;
    }

    /** Limits no arrangement reaches: the tests of the limits set their own. */
    public static final InvitationLimits ROOMY = new InvitationLimits(1_000, 10_000, 10_000);

    /** The counters an arranged invitation of this member counts against ({@link #ROOMY} limits). */
    public static InvitationQuota quota(Member member) {
        return ROOMY.quota(member.email(), member.workspaceId(), false, member.invitedAt());
    }

    public static OutboxMessage message(Member member) {
        return new OutboxMessage(member.workspaceId(), member.memberId(), member.invitation().sequence(), member.email(),
                member.name(), "Workspace", "Admin", member.invitation().expiresAt(), member.invitedAt());
    }

    /** Binds a link's token to the member's invitation, as the mailer does; answers the member as stored. */
    public Member issueToken(Member invited, String token) {
        stores.outbox().issueToken(invited, message(invited), Secrets.sha256Hex(token));
        return stores.workspaces().findMember(invited.workspaceId(), invited.memberId()).orElseThrow();
    }

    /** An ACTIVE member: invited, link issued, accepted by the account of that email. */
    public Member activeMember(Ws ws, String email) {
        Member invited = invite(ws, email);
        String token = Secrets.newInvitationToken();
        Member withToken = issueToken(invited, token);
        Caller who = caller(email);
        Member accepted = withToken.accepted(who.userId(), who.username(), now);
        var authToken = stores.workspaces().authTokens(who.userId());
        stores.workspaces().accept(withToken, accepted, Secrets.sha256Hex(token), profile(who), authToken.orElse(null),
                authToken.isPresent() ? null : PersonalToken.issue(who.userId(), sealer, now), 0,
                audit(ws.id(), who, "invitation.accepted"));
        return stores.workspaces().findMember(ws.id(), accepted.memberId()).orElseThrow();
    }

    /** An ACTIVE member made ADMIN by a person (an appointed admin); answers the member as stored. */
    public Member activeAdmin(Ws ws, String email) {
        Member member = activeMember(ws, email);
        stores.workspaces().changeAccess(member, member.withAccess(Access.ADMIN), 1,
                audit(ws.id(), ws.caller(), "member.access-changed"));
        return stores.workspaces().findMember(ws.id(), member.memberId()).orElseThrow();
    }

    /** The workspace's SCIM token, created (or replacing the current one) by this admin; answers it as stored. */
    public ScimToken scimToken(Ws ws, Caller creator) {
        String plaintext = ScimToken.generate();
        ScimToken token = ScimToken.created(ws.id(), Secrets.sha256Hex(plaintext), "scim-…" + plaintext.substring(
                plaintext.length() - 4), now, creator);
        stores.scim().saveToken(stores.scim().token(ws.id()).orElse(null), token,
                audit(ws.id(), creator, "scim-token.created"));
        return stores.scim().token(ws.id()).orElseThrow();
    }

    /** Billing's report of one active subscription with these seats; answers the pool as stored. */
    public LicensePool seats(String workspaceId, long seats) {
        LicensePool read = stores.licenses().pool(workspaceId);
        Subscription s = new Subscription("sub_" + workspaceId, "Team", seats, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), Subscription.Status.ACTIVE, read.version() + 1);
        stores.licenses().saveSubscriptions(read, Map.of(s.subscriptionId(), s), seats,
                new AuditEntry(workspaceId, now, "billing", "billing", "subscription.purchased", s.subscriptionId(), Map.of()));
        return stores.licenses().pool(workspaceId);
    }

    /** A legacy key of the workspace, not stored yet: import it with {@link #importKey}. */
    public LegacyKey key(String workspaceId, String plaintext, String assignee, Instant importedAt) {
        return new LegacyKey(workspaceId, Ids.newId("lk", importedAt.toEpochMilli()), Secrets.sha256Hex(plaintext),
                LegacyKey.mask(plaintext), assignee, importedAt, 0);
    }

    /** Imports an unassigned key (takes a seat) on the pool as it is now. */
    public LegacyKey importKey(String workspaceId, String plaintext, Instant importedAt) {
        LegacyKey key = key(workspaceId, plaintext, null, importedAt);
        stores.licenses().apply(new SeatChange(workspaceId, List.of(), List.of(new SeatChange.KeyChange(null, key)),
                List.of()), stores.licenses().pool(workspaceId));
        return key;
    }

    /** A license for the member, on the pool as it is now; answers the member as stored. */
    public Member license(Member member) {
        Member after = member.withHoldings(new Holdings(true, member.holdings().legacyKeyId()));
        stores.licenses().apply(new SeatChange(member.workspaceId(), List.of(new SeatChange.MemberChange(member, after)),
                List.of(), List.of()), stores.licenses().pool(member.workspaceId()));
        return stores.workspaces().findMember(member.workspaceId(), member.memberId()).orElseThrow();
    }

    /** A license for the member given at {@code at} (audited then), on the pool as it is now; the member as stored. */
    public Member license(Member member, Instant at) {
        Member after = member.withHoldings(new Holdings(true, member.holdings().legacyKeyId()));
        stores.licenses().apply(new SeatChange(member.workspaceId(), List.of(new SeatChange.MemberChange(member, after)),
                List.of(), List.of(new AuditEntry(member.workspaceId(), at, "test", "admin@example.com",
                "license.assigned", member.memberId(), Map.of()))), stores.licenses().pool(member.workspaceId()));
        return stores.workspaces().findMember(member.workspaceId(), member.memberId()).orElseThrow();
    }

    public static UserProfile profile(Caller caller) {
        return new UserProfile(caller.userId(), caller.email(), caller.username());
    }

    public AuditEntry audit(String workspaceId, Caller caller, String action) {
        return new AuditEntry(workspaceId, now, caller.userId(), caller.email().value(), action, "t", Map.of());
    }

    /**
     * The workspace verified this email domain now (its TXT record was seen): people an identity provider
     * provisions with an email of it join at their first sign-in.
     */
    public dev.wsl.core.domain.EmailDomain verifiedDomain(String workspaceId, String name) {
        dev.wsl.core.domain.EmailDomain added = dev.wsl.core.domain.EmailDomain.added(workspaceId, name,
                "admin@example.com", now);
        stores.domains().add(added, dev.wsl.core.domain.EmailDomain.MAX_PER_WORKSPACE,
                new AuditEntry(workspaceId, now, "test", "admin@example.com", "domain.added", name, java.util.Map.of()));
        dev.wsl.core.domain.EmailDomain verified = added.checked(dev.wsl.core.domain.EmailDomain.CheckResult.FOUND, now);
        stores.domains().saveCheck(added, verified, null);
        return verified;
    }
}
