package dev.wsl.core.store;

import dev.wsl.core.domain.OutboxMessage;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every key name and key prefix of the single table. Call sites never build key
 * strings by hand.
 *
 * <pre>
 * PK                     SK                         item
 * WS#{ws}                WORKSPACE                  workspace (name, activeAdmins)
 * WS#{ws}                MEMBER#{memberId}          member (status, access, invitation)
 * WS#{ws}                EMAIL#{email}              uniqueness of an email within a workspace
 * WS#{ws}                GRANT#{userId}             access of an ACTIVE member, read on every request
 * WS#{ws}                AUDIT#{iso time}#{random}  audit entry
 * WS#{ws}                OUTBOX#{memberId}#{seq}    email to send (transactional outbox)
 * WS#{ws}                LICENSES                   license pool: subscriptions, seats, seat counters
 * WS#{ws}                LEGACYKEY#{keyId}          imported legacy API key (hash, masked form, assignee)
 * WS#{ws}                CIKEY#{keyId}              CI key (hash, hint, name, revoked)
 * WS#{ws}                USE#{subjectId}            last activation of a member's license, a CI key or a legacy key;
 *                                                   CI keys' activations per month
 * LEGACYKEY#{sha256}     LEGACYKEY                  lookup of a legacy key by its hash (unique across workspaces)
 * CRED#{sha256}          CRED                       lookup of a personal auth token (userId, the workspaces where it
 *                                                   activates a license: licensedIn ws → memberId) or a CI key
 * INVITATION#{sha256}    INVITATION                 lookup of an invitation link's token
 * USER#{userId}          PROFILE                    user record, with the hash, sealed copy and hint of the auth token
 * WS#{ws}                SCIMUSER#{userName}        SCIM userName of a member (lower-cased: unique per workspace)
 * WS#{ws}                SCIMEXT#{externalId}       SCIM externalId of a member (unique per workspace)
 * WS#{ws}                SCIMTOKEN                  the workspace's SCIM bearer token: hash, hint, created
 * SCIMTOKEN#{sha256}     SCIMTOKEN                  lookup of a SCIM token by its hash (workspace, hour of last use)
 * WS#{ws}                SCIMCHANGE#{changeId}      a SCIM change held by the mass-revocation guard
 * WS#{ws}                SCIMADMINLOSS              when the identity provider last took ADMIN from an admin
 *                                                   (at most one an hour; the window of IdpAdminLoss)
 * WS#{ws}                SUNSETKEY#{keyId}          the sunset job's state of a legacy key (notices sent, disabled)
 * WS#{ws}                SUNSETDIGEST#{notice}      a sunset notice digest sent to the workspace's admins
 * SUNSET                 CURRENT | RUN#{startedAt}  the sunset job's running checkpoint | run records
 * WS#{ws}                DOMAIN#{domain}            an email domain the workspace verifies with a DNS TXT record
 * DOMAINCHECK            CURRENT                    the daily domain check's running checkpoint
 * INVITESTO#{email}      DAY#{yyyy-MM-dd}           invitation emails to one address that UTC day (all workspaces; TTL)
 * WS#{ws}                INVITESDAY#{yyyy-MM-dd}    invitation emails of a workspace that UTC day (TTL)
 * WS#{ws}                SCIMCOUNT                  counters of SCIM listings: users (SCIM-visible members), groups (IdP groups)
 * WS#{ws}                SCIMGROUP#{groupId}        a group an identity provider created (name, externalId, mapping, size)
 * WS#{ws}                SCIMGNAME#{lower name}     uniqueness and lookup of an IdP group's displayName
 * WS#{ws}                SCIMGEXT#{externalId}      uniqueness and lookup of an IdP group's externalId
 * WS#{ws}                SCIMGM#{groupId}#{member}  a member of an IdP group (a group's member page is a Query of this prefix)
 * WS#{ws}                SCIMMG#{member}#{groupId}  the same membership, from the member's side (their IdP groups)
 * WS#{ws}                SCIMMAPPED                 the IdP groups an admin mapped, with their targets (one small item)
 * WS#{ws}                SCIMPAGE#{list}#{index}    where a SCIM list's page at that startIndex begins (expires after an hour)
 * WS#{ws}                SEATPOLICY                 idle days, the reclaim policy, the job's idle counts (issue 21)
 * RECLAIM                CURRENT | RUN#{startedAt}  the reclaim job's running checkpoint | run records
 * BACKFILL               CURRENT                    the upgrade backfill's running checkpoint (gone once it completes)
 * WS#{ws}                USAGEDAY#{yyyy-MM-dd}      usage that UTC day: seats that activated by credential kind,
 *                                                   distinct members, the pool's seats at the day's start and end (TTL)
 * WS#{ws}                USAGEMARK#{day}#{what}#{id} a seat ({@code seat}) or member ({@code member}) counted that
 *                                                   day already (TTL): what keeps a count to once
 * GSI1: USER#{userId} / WS#{ws} on ACTIVE members (a user's workspaces);
 *       LEGACYKEYS / {ws}#{keyId} on legacy keys (the sunset job pages through every key of every workspace);
 *       OUTBOX#DUE / {due time}#{ws}#{memberId}#{seq} on outbox messages not yet sent (the sweep's work list);
 *       PROVISIONED#{email} / WS#{ws} on members an identity provider created that wait for that email's sign-in;
 *       DOMAINS / {ws}#{domain} on email domains (the daily check pages through every domain of every workspace);
 *       SEATS#{ws} / {last activity} on the USE# item of each member holding a license (the seat index: idle
 *       seats, longest idle first; the activation's own usage write moves it);
 *       SEATPOLICIES / {on|off}#{ws} on seat policies (the reclaim job pages through those with reclaim on, then
 *       the others for their idle counts)
 * SCIM index: SCIMUSERS#{ws} / M#{role}#{subscription or -}#{memberId} on members that are not REMOVED,
 *       R#{memberId} on REMOVED ones an identity provider still knows: the workspace's SCIM users in one
 *       partition, whose prefixes are the fixed groups' members (M#: Members, M#ADMIN#: Admins,
 *       M#{role}#{subscription}#: a license group), so every listing page is one keyed Query
 * </pre>
 */
public final class Keys {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    public static final String TTL = "ttl";

    static final String WORKSPACE_PREFIX = "WS#";
    static final String MEMBER_PREFIX = "MEMBER#";
    static final String AUDIT_PREFIX = "AUDIT#";
    static final String OUTBOX_PREFIX = "OUTBOX#";
    static final String OUTBOX_DUE = "OUTBOX#DUE";
    static final String LEGACY_KEY_PREFIX = "LEGACYKEY#";
    static final String CI_KEY_PREFIX = "CIKEY#";
    static final String USAGE_PREFIX = "USE#";
    static final String ALL_LEGACY_KEYS = "LEGACYKEYS";
    static final String SUNSET_PK = "SUNSET";
    static final String SCIM_CHANGE_PREFIX = "SCIMCHANGE#";
    static final String DOMAIN_PREFIX = "DOMAIN#";
    static final String ALL_DOMAINS = "DOMAINS";
    public static final String SCIM_INDEX = "ScimIndex";
    public static final String SCIM_INDEX_PK = "ScimPK";
    public static final String SCIM_INDEX_SK = "ScimSK";
    static final String SCIM_GROUP_PREFIX = "SCIMGROUP#";
    static final String SCIM_GROUP_MEMBER_PREFIX = "SCIMGM#";
    static final String SCIM_MEMBER_GROUP_PREFIX = "SCIMMG#";
    static final String SCIM_PAGE_PREFIX = "SCIMPAGE#";
    static final String SEATS_PREFIX = "SEATS#";
    static final String ALL_SEAT_POLICIES = "SEATPOLICIES";
    static final String RECLAIM_PK = "RECLAIM";
    static final String USAGE_DAY_PREFIX = "USAGEDAY#";

    private Keys() {}

    /** A primary key of the table. */
    public record Key(String pk, String sk) {
        public Map<String, AttributeValue> toMap() {
            return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
        }

        public static Key of(Map<String, AttributeValue> item) {
            return new Key(item.get(PK).s(), item.get(SK).s());
        }
    }

    public static String workspacePk(String workspaceId) {
        return WORKSPACE_PREFIX + workspaceId;
    }

    public static Key workspace(String workspaceId) {
        return new Key(workspacePk(workspaceId), "WORKSPACE");
    }

    public static Key member(String workspaceId, String memberId) {
        return new Key(workspacePk(workspaceId), MEMBER_PREFIX + memberId);
    }

    public static Key memberEmail(String workspaceId, String email) {
        return new Key(workspacePk(workspaceId), "EMAIL#" + email);
    }

    public static Key grant(String workspaceId, String userId) {
        return new Key(workspacePk(workspaceId), "GRANT#" + userId);
    }

    public static Key audit(String workspaceId, String isoTime, String unique) {
        return new Key(workspacePk(workspaceId), AUDIT_PREFIX + isoTime + "#" + unique);
    }

    public static Key outbox(String workspaceId, String memberId, long sequence) {
        return new Key(workspacePk(workspaceId), OUTBOX_PREFIX + memberId + "#" + sequence);
    }

    /**
     * Any outbox message's key: an invitation's as {@link #outbox(String, String, long)}, a notice's with its kind
     * before the member ({@code OUTBOX#RECLAIM_NOTICE#{memberId}#{seq}}; member ids never hold {@code #}).
     */
    public static Key outbox(OutboxMessage.Id id) {
        return id.kind() == OutboxMessage.Kind.INVITATION ? outbox(id.workspaceId(), id.memberId(), id.sequence())
                : new Key(workspacePk(id.workspaceId()), OUTBOX_PREFIX + id.kind().name() + "#" + id.memberId() + "#"
                + id.sequence());
    }

    public static Key licensePool(String workspaceId) {
        return new Key(workspacePk(workspaceId), "LICENSES");
    }

    public static Key legacyKey(String workspaceId, String keyId) {
        return new Key(workspacePk(workspaceId), LEGACY_KEY_PREFIX + keyId);
    }

    public static Key legacyKeyHash(String keyHash) {
        return new Key(LEGACY_KEY_PREFIX + keyHash, "LEGACYKEY");
    }

    public static Key ciKey(String workspaceId, String keyId) {
        return new Key(workspacePk(workspaceId), CI_KEY_PREFIX + keyId);
    }

    /** Usage of a member's license ({@code m_…}), a CI key ({@code ci_…}) or a legacy key ({@code lk_…}). */
    public static Key usage(String workspaceId, String subjectId) {
        return new Key(workspacePk(workspaceId), USAGE_PREFIX + subjectId);
    }

    public static Key scimUserName(String workspaceId, String userNameKey) {
        return new Key(workspacePk(workspaceId), "SCIMUSER#" + userNameKey);
    }

    public static Key scimExternalId(String workspaceId, String externalId) {
        return new Key(workspacePk(workspaceId), "SCIMEXT#" + externalId);
    }

    public static Key scimToken(String workspaceId) {
        return new Key(workspacePk(workspaceId), "SCIMTOKEN");
    }

    public static Key scimTokenHash(String tokenHash) {
        return new Key("SCIMTOKEN#" + tokenHash, "SCIMTOKEN");
    }

    /** The window item of the identity provider's admin losses (one per workspace, no scan). */
    public static Key scimAdminLoss(String workspaceId) {
        return new Key(workspacePk(workspaceId), "SCIMADMINLOSS");
    }

    public static Key scimChange(String workspaceId, String changeId) {
        return new Key(workspacePk(workspaceId), SCIM_CHANGE_PREFIX + changeId);
    }

    // ------------------------------------------------------------------ SCIM listings and IdP groups (issue 18)

    public static Key scimCount(String workspaceId) {
        return new Key(workspacePk(workspaceId), "SCIMCOUNT");
    }

    /** The SCIM index's partition of a workspace. */
    public static String scimIndexPk(String workspaceId) {
        return "SCIMUSERS#" + workspaceId;
    }

    /**
     * The SCIM index's sort key of a member, or null when the member is no SCIM user (REMOVED, and not known
     * to an identity provider): {@code M#{role}#{subscription or -}#{memberId}}, or {@code R#{memberId}}.
     */
    public static String scimIndexSk(dev.wsl.core.domain.Member m) {
        if (m.status() == dev.wsl.core.domain.MemberStatus.REMOVED) {
            return m.provisioned() ? "R#" + m.memberId() : null;
        }
        String sub = m.holdings().licensed() && m.holdings().subscriptionId() != null ? m.holdings().subscriptionId() : "-";
        return scimMembersPrefix(m.access().role().name(), sub) + m.memberId();
    }

    /** Prefixes of the SCIM index: every member not REMOVED ({@code M#}), by role, by role and license. */
    public static String scimMembersPrefix(String role, String subscriptionId) {
        return "M#" + (role == null ? "" : role + "#" + (subscriptionId == null ? "" : subscriptionId + "#"));
    }

    public static Key scimGroup(String workspaceId, String groupId) {
        return new Key(workspacePk(workspaceId), SCIM_GROUP_PREFIX + groupId);
    }

    public static Key scimGroupName(String workspaceId, String lowerCasedName) {
        return new Key(workspacePk(workspaceId), "SCIMGNAME#" + lowerCasedName);
    }

    public static Key scimGroupExternalId(String workspaceId, String externalId) {
        return new Key(workspacePk(workspaceId), "SCIMGEXT#" + externalId);
    }

    public static Key scimGroupMember(String workspaceId, String groupId, String memberId) {
        return new Key(workspacePk(workspaceId), scimGroupMembersPrefix(groupId) + memberId);
    }

    static String scimGroupMembersPrefix(String groupId) {
        return SCIM_GROUP_MEMBER_PREFIX + groupId + "#";
    }

    public static Key scimMemberGroup(String workspaceId, String memberId, String groupId) {
        return new Key(workspacePk(workspaceId), scimMemberGroupsPrefix(memberId) + groupId);
    }

    static String scimMemberGroupsPrefix(String memberId) {
        return SCIM_MEMBER_GROUP_PREFIX + memberId + "#";
    }

    public static Key scimMappedGroups(String workspaceId) {
        return new Key(workspacePk(workspaceId), "SCIMMAPPED");
    }

    /**
     * A page bookmark; the index is zero-padded to 12 digits so that bookmarks of one list sort by it (padded by hand:
     * {@code String.format} would load the locale data on SCIM's first request).
     */
    public static Key scimPage(String workspaceId, String list, long startIndex) {
        if (startIndex < 0) {
            throw new IllegalArgumentException("a start index is at least 0: " + startIndex);
        }
        String digits = Long.toString(startIndex);
        return new Key(workspacePk(workspaceId), scimPagePrefix(list) + "0".repeat(Math.max(0, 12 - digits.length()))
                + digits);
    }

    static String scimPagePrefix(String list) {
        return SCIM_PAGE_PREFIX + list + "#";
    }

    /** GSI1 partition of the members an identity provider created for this email, until its first sign-in. */
    public static String provisionedPk(String email) {
        return "PROVISIONED#" + email;
    }

    public static Key sunsetKeyState(String workspaceId, String keyId) {
        return new Key(workspacePk(workspaceId), "SUNSETKEY#" + keyId);
    }

    public static Key sunsetDigest(String workspaceId, String notice) {
        return new Key(workspacePk(workspaceId), "SUNSETDIGEST#" + notice);
    }

    public static Key sunsetCurrentRun() {
        return new Key(SUNSET_PK, "CURRENT");
    }

    public static Key sunsetRun(String runId) {
        return new Key(SUNSET_PK, "RUN#" + runId);
    }

    /** The per-recipient invitation limit's counter of one UTC day ({@code yyyy-MM-dd}), across workspaces. */
    public static Key invitationsTo(String email, String day) {
        return new Key("INVITESTO#" + email, "DAY#" + day);
    }

    /** The per-workspace invitation limit's counter of one UTC day ({@code yyyy-MM-dd}). */
    public static Key invitationsFrom(String workspaceId, String day) {
        return new Key(workspacePk(workspaceId), "INVITESDAY#" + day);
    }

    static String legacyKeyIndexSk(String workspaceId, String keyId) {
        return workspaceId + "#" + keyId;
    }

    /** Lookup of a personal auth token or a CI key by the SHA-256 of the credential. */
    public static Key credential(String credentialHash) {
        return new Key("CRED#" + credentialHash, "CRED");
    }

    public static Key invitationToken(String tokenHash) {
        return new Key("INVITATION#" + tokenHash, "INVITATION");
    }

    public static Key user(String userId) {
        return new Key("USER#" + userId, "PROFILE");
    }

    public static String userWorkspacesPk(String userId) {
        return "USER#" + userId;
    }

    public static String outboxDueSk(String isoDue, String workspaceId, String memberId, long sequence) {
        return isoDue + "#" + workspaceId + "#" + memberId + "#" + sequence;
    }

    // ------------------------------------------------------------------ verified domains (issue 17)

    public static Key domain(String workspaceId, String name) {
        return new Key(workspacePk(workspaceId), DOMAIN_PREFIX + name);
    }

    static String domainIndexSk(String workspaceId, String name) {
        return workspaceId + "#" + name;
    }

    public static Key domainCheckRun() {
        return new Key("DOMAINCHECK", "CURRENT");
    }

    // ------------------------------------------------------------------ idle seats and reclaim (issue 21)

    /** GSI1 partition of a workspace's seat index: its members holding a license, by last activity. */
    public static String seatsPk(String workspaceId) {
        return SEATS_PREFIX + workspaceId;
    }

    /**
     * The seat index's sort key: an instant to the second, always {@code yyyy-MM-ddTHH:mm:ssZ}, so that the
     * index orders seats by last activity and a range query finds those idle since before a moment.
     */
    public static String seatActivity(java.time.Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    public static Key seatPolicy(String workspaceId) {
        return new Key(workspacePk(workspaceId), "SEATPOLICY");
    }

    /** GSI1 sort key of a seat policy: the reclaim job's order (every {@code on#} first, then {@code off#}). */
    static String seatPolicyIndexSk(boolean reclaim, String workspaceId) {
        return (reclaim ? "on#" : "off#") + workspaceId;
    }

    public static Key reclaimCurrentRun() {
        return new Key(RECLAIM_PK, "CURRENT");
    }

    public static Key reclaimRun(String runId) {
        return new Key(RECLAIM_PK, "RUN#" + runId);
    }

    // ------------------------------------------------------------------ the upgrade backfill

    /** The backfill's running checkpoint (docs/deploying.md, "Upgrading an existing deployment"). */
    public static Key backfillCurrentRun() {
        return new Key("BACKFILL", "CURRENT");
    }

    /** Whether an item key names a workspace item (the backfill's Scan keeps only those). */
    static Optional<String> workspaceOf(Key key) {
        return key.pk().startsWith(WORKSPACE_PREFIX) && key.sk().equals("WORKSPACE")
                ? Optional.of(key.pk().substring(WORKSPACE_PREFIX.length())) : Optional.empty();
    }

    // ------------------------------------------------------------------ usage over time (issue 21)

    /** A workspace's usage of one UTC day ({@code yyyy-MM-dd}); the days of a window sort by date. */
    public static Key usageDay(String workspaceId, String day) {
        return new Key(workspacePk(workspaceId), USAGE_DAY_PREFIX + day);
    }

    /** That a seat ({@code what = "seat"}) or a member ({@code "member"}) was counted on the day's item already. */
    public static Key usageMark(String workspaceId, String day, String what, String id) {
        return new Key(workspacePk(workspaceId), "USAGEMARK#" + day + "#" + what + "#" + id);
    }
}
