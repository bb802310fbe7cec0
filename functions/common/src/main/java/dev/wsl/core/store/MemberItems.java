package dev.wsl.core.store;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping between domain records and items. The only place that knows attribute names of these items. */
final class MemberItems {
    private MemberItems() {}

    static Map<String, AttributeValue> workspace(Workspace ws) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.workspace(ws.workspaceId()).toMap());
        item.put("type", Attrs.s("workspace"));
        item.put("workspaceId", Attrs.s(ws.workspaceId()));
        item.put("name", Attrs.s(ws.name()));
        item.put("createdAt", Attrs.time(ws.createdAt()));
        item.put("createdBy", Attrs.s(ws.createdBy()));
        item.put("activeAdmins", Attrs.n(ws.activeAdmins()));
        return item;
    }

    static Workspace workspace(Map<String, AttributeValue> item) {
        return new Workspace(Attrs.str(item, "workspaceId"), Attrs.str(item, "name"),
                Attrs.instant(item, "createdAt"), Attrs.str(item, "createdBy"),
                Attrs.num(item, "activeAdmins", 0));
    }

    static Map<String, AttributeValue> member(Member m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.member(m.workspaceId(), m.memberId()).toMap());
        item.put("type", Attrs.s("member"));
        item.put("workspaceId", Attrs.s(m.workspaceId()));
        item.put("memberId", Attrs.s(m.memberId()));
        item.put("email", Attrs.s(m.email().value()));
        item.put("name", Attrs.s(m.name()));
        item.put("status", Attrs.s(m.status().name()));
        item.put("role", Attrs.s(m.access().role().name()));
        item.put("permissions", Attrs.list(m.access().permissionNames()));
        item.put("version", Attrs.n(m.version()));
        if (m.userId() != null) {
            item.put("userId", Attrs.s(m.userId()));
        }
        if (m.status() == MemberStatus.ACTIVE) {
            item.put(Keys.GSI1PK, Attrs.s(Keys.userWorkspacesPk(m.userId())));
            item.put(Keys.GSI1SK, Attrs.s(Keys.workspacePk(m.workspaceId())));
        } else if (m.awaitsFirstSignIn()) {
            // Found by the email's first sign-in (POST /me/provisioned/claim), without a scan.
            item.put(Keys.GSI1PK, Attrs.s(Keys.provisionedPk(m.email().value())));
            item.put(Keys.GSI1SK, Attrs.s(Keys.workspacePk(m.workspaceId())));
        }
        String scimSk = Keys.scimIndexSk(m);
        if (scimSk != null) {
            // The SCIM index (sparse): listings of SCIM users and of the fixed groups' members page by keys.
            item.put(Keys.SCIM_INDEX_PK, Attrs.s(Keys.scimIndexPk(m.workspaceId())));
            item.put(Keys.SCIM_INDEX_SK, Attrs.s(scimSk));
        }
        putTime(item, "invitedAt", m.invitedAt());
        if (m.invitedBy() != null) {
            item.put("invitedBy", Attrs.s(m.invitedBy()));
        }
        putTime(item, "acceptedAt", m.acceptedAt());
        putTime(item, "removedAt", m.removedAt());
        if (m.holdings().licensed()) {
            item.put("licensed", AttributeValue.fromBool(true));
        }
        if (m.holdings().holdsKey()) {
            item.put("legacyKeyId", Attrs.s(m.holdings().legacyKeyId()));
        }
        if (m.holdings().subscriptionId() != null) {
            item.put("licenseSubscription", Attrs.s(m.holdings().subscriptionId()));
        }
        Provisioning p = m.provisioning();
        if (p != null) {
            item.put("scimUserName", Attrs.s(p.userName()));
            putIfSet(item, "scimExternalId", p.externalId());
            putIfSet(item, "givenName", p.givenName());
            putIfSet(item, "familyName", p.familyName());
            putIfSet(item, "scimDisplayName", p.displayName());
            putIfSet(item, "scimEmailType", p.emailType());
            if (p.emailPrimary() != null) {
                item.put("scimEmailPrimary", AttributeValue.fromBool(p.emailPrimary()));
            }
        }
        if (m.removedBy() != null) {
            item.put("removedById", Attrs.s(m.removedBy().id()));
            item.put("removedByEmail", Attrs.s(m.removedBy().email()));
        }
        if (m.scimMayRestore()) {
            item.put("scimMayRestore", AttributeValue.fromBool(true));
        }
        if (m.roleFromScim()) {
            item.put(ROLE_FROM_SCIM, AttributeValue.fromBool(true));
        }
        Invitation inv = m.invitation();
        if (inv != null) {
            item.put("inviteSeq", Attrs.n(inv.sequence()));
            item.put("inviteExpiresAt", Attrs.time(inv.expiresAt()));
            item.put("inviteDelivery", Attrs.s(inv.delivery().name()));
            item.put("inviteAttempts", Attrs.n(inv.attempts()));
            if (inv.tokenHash() != null) {
                item.put("inviteTokenHash", Attrs.s(inv.tokenHash()));
            }
        }
        return item;
    }

    static Member member(Map<String, AttributeValue> item) {
        Role role = Role.valueOf(Attrs.str(item, "role"));
        Access access = new Access(role, Permission.parseAll(Attrs.strList(item, "permissions")));
        Invitation invitation = null;
        if (item.containsKey("inviteSeq")) {
            invitation = new Invitation(Attrs.num(item, "inviteSeq", 0), Attrs.instant(item, "inviteExpiresAt"),
                    Invitation.Delivery.valueOf(Attrs.str(item, "inviteDelivery")),
                    (int) Attrs.num(item, "inviteAttempts", 0), Attrs.str(item, "inviteTokenHash"));
        }
        return Member.builder()
                .workspaceId(Attrs.str(item, "workspaceId"))
                .memberId(Attrs.str(item, "memberId"))
                .email(new EmailAddress(Attrs.str(item, "email")))
                .name(Attrs.str(item, "name"))
                .status(MemberStatus.valueOf(Attrs.str(item, "status")))
                .access(access)
                .userId(Attrs.str(item, "userId"))
                .invitedAt(Attrs.instant(item, "invitedAt"))
                .invitedBy(Attrs.str(item, "invitedBy"))
                .acceptedAt(Attrs.instant(item, "acceptedAt"))
                .removedAt(Attrs.instant(item, "removedAt"))
                .invitation(invitation)
                .holdings(new Holdings(item.containsKey("licensed") && item.get("licensed").bool(),
                        Attrs.str(item, "legacyKeyId"), Attrs.str(item, "licenseSubscription")))
                .version(Attrs.num(item, "version", 0))
                .provisioning(item.containsKey("scimUserName") ? new Provisioning(Attrs.str(item, "scimUserName"),
                        Attrs.str(item, "scimExternalId"), Attrs.str(item, "givenName"), Attrs.str(item, "familyName"),
                        Attrs.str(item, "scimDisplayName"), Attrs.str(item, "scimEmailType"),
                        item.containsKey("scimEmailPrimary") ? item.get("scimEmailPrimary").bool() : null)
                        : null)
                .removedBy(item.containsKey("removedById")
                        ? new Actor(Attrs.str(item, "removedById"), Attrs.str(item, "removedByEmail")) : null)
                .scimMayRestore(flag(item, "scimMayRestore"))
                .roleFromScim(flag(item, ROLE_FROM_SCIM))
                .build();
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) && Boolean.TRUE.equals(item.get(name).bool());
    }

    /**
     * Set (true) only while the identity provider gave the member's role; an appointed admin's item has none, which
     * is what the witness condition of {@link #stillAppointedAdmin} tests.
     */
    private static final String ROLE_FROM_SCIM = "roleFromScim";

    /** The condition that a member is still an appointed admin: ACTIVE, ADMIN, the role not the IdP's. */
    static Condition stillAppointedAdmin() {
        return new Condition("#status = :active AND #role = :admin AND attribute_not_exists(" + ROLE_FROM_SCIM + ")",
                Map.of("#status", "status", "#role", "role"),
                Map.of(":active", Attrs.s(MemberStatus.ACTIVE.name()), ":admin", Attrs.s(Role.ADMIN.name())));
    }

    static Map<String, AttributeValue> grant(Member m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.grant(m.workspaceId(), m.userId()).toMap());
        item.put("type", Attrs.s("grant"));
        item.put("memberId", Attrs.s(m.memberId()));
        item.put("role", Attrs.s(m.access().role().name()));
        item.put("permissions", Attrs.list(m.access().permissionNames()));
        return item;
    }

    static Grant grant(String workspaceId, String userId, Map<String, AttributeValue> item) {
        Access access = new Access(Role.valueOf(Attrs.str(item, "role")),
                Permission.parseAll(Attrs.strList(item, "permissions")));
        return new Grant(workspaceId, userId, Attrs.str(item, "memberId"), access);
    }

    static Map<String, AttributeValue> emailLock(Member m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.memberEmail(m.workspaceId(), m.email().value()).toMap());
        item.put("type", Attrs.s("member-email"));
        item.put("memberId", Attrs.s(m.memberId()));
        return item;
    }

    static Map<String, AttributeValue> audit(AuditEntry e) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(
                Keys.audit(e.workspaceId(), e.at().toString(), UUID.randomUUID().toString()).toMap());
        item.put("type", Attrs.s("audit"));
        item.put("at", Attrs.time(e.at()));
        item.put("actorId", Attrs.s(e.actorId()));
        item.put("actorEmail", Attrs.s(e.actorEmail()));
        item.put("action", Attrs.s(e.action()));
        item.put("target", Attrs.s(e.target()));
        item.put("details", Attrs.map(e.details()));
        return item;
    }

    static AuditEntry audit(String workspaceId, Map<String, AttributeValue> item) {
        return new AuditEntry(workspaceId, Attrs.instant(item, "at"), Attrs.str(item, "actorId"),
                Attrs.str(item, "actorEmail"), Attrs.str(item, "action"), Attrs.str(item, "target"),
                Attrs.strMap(item, "details"));
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attrs.s(value));
        }
    }

    /** The lock that makes a SCIM userName unique in its workspace (case-insensitive), naming its member. */
    static Map<String, AttributeValue> userNameLock(Member m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(
                Keys.scimUserName(m.workspaceId(), m.provisioning().userNameKey()).toMap());
        item.put("type", Attrs.s("scim-user-name"));
        item.put("memberId", Attrs.s(m.memberId()));
        return item;
    }

    /** The lock that makes a SCIM externalId unique in its workspace, naming its member. */
    static Map<String, AttributeValue> externalIdLock(Member m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(
                Keys.scimExternalId(m.workspaceId(), m.provisioning().externalId()).toMap());
        item.put("type", Attrs.s("scim-external-id"));
        item.put("memberId", Attrs.s(m.memberId()));
        return item;
    }

    private static void putTime(Map<String, AttributeValue> item, String name, java.time.Instant value) {
        if (value != null) {
            item.put(name, Attrs.time(value));
        }
    }
}
