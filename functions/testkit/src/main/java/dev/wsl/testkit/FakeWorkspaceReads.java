package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.store.Keys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reads of {@link FakeWorkspaceStore} (finds, lists, SCIM sets, cursors) and the item steps its writes share:
 * the member, grant, audit, lock and profile items as {@code DynamoWorkspaceStore} conditions them.
 */
abstract class FakeWorkspaceReads extends FakeStore implements WorkspaceStore {
    FakeWorkspaceReads(FakeStores data) {
        super(data);
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
        return data.find(() -> data.workspaces.get(workspaceId));
    }

    @Override
    public Optional<Grant> findGrant(String workspaceId, String userId) {
        return data.find(() -> data.grants.get(key(workspaceId, userId)));
    }

    @Override
    public Optional<Member> findMember(String workspaceId, String memberId) {
        return data.find(() -> membersOf(workspaceId).get(memberId));
    }

    @Override
    public Optional<String> findMemberIdByEmail(String workspaceId, String email) {
        return data.find(() -> data.emailLocks.get(key(workspaceId, email)));
    }

    @Override
    public InvitationSubject invitationSubject(String workspaceId, String email) {
        return data.read(() -> new InvitationSubject(Optional.ofNullable(data.workspaces.get(workspaceId)),
                Optional.ofNullable(data.emailLocks.get(key(workspaceId, email))),
                data.pools.getOrDefault(workspaceId, LicensePool.empty(workspaceId))));
    }

    @Override
    public Optional<InvitationRef> findInvitation(String tokenHash) {
        return data.find(() -> data.invitationTokens.get(tokenHash));
    }

    @Override
    public Page<Member> listMembers(String workspaceId, boolean includeRemoved, int limit, String cursor) {
        synchronized (data) {
            String after = decode(cursor, workspaceId, "m");
            List<Member> page = new ArrayList<>();
            boolean more = false;
            for (Member m : (after == null ? membersOf(workspaceId) : membersOf(workspaceId).tailMap(after, false)).values()) {
                if (!includeRemoved && m.status() == MemberStatus.REMOVED) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(m);
            }
            return new Page<>(page, more ? encode(workspaceId, "m", page.getLast().memberId()) : null);
        }
    }

    @Override
    public Page<AuditEntry> listAudit(String workspaceId, int limit, String cursor) {
        synchronized (data) {
            List<AuditEntry> newestFirst = new ArrayList<>(data.audit.getOrDefault(workspaceId, List.of()));
            newestFirst.sort(Comparator.comparing(AuditEntry::at).reversed());
            int from = cursor == null ? 0 : Integer.parseInt(decode(cursor, workspaceId, "a"));
            List<AuditEntry> page = newestFirst.subList(Math.min(from, newestFirst.size()),
                    Math.min(from + limit, newestFirst.size()));
            boolean more = from + limit < newestFirst.size();
            return new Page<>(page, more ? encode(workspaceId, "a", Integer.toString(from + limit)) : null);
        }
    }

    @Override
    public List<Membership> workspacesOf(String userId) {
        synchronized (data) {
            List<Membership> out = new ArrayList<>();
            new java.util.TreeMap<>(data.members).forEach((ws, members) -> members.values().stream()
                    .filter(m -> m.status() == MemberStatus.ACTIVE && userId.equals(m.userId())
                            && data.workspaces.containsKey(ws))
                    .forEach(m -> out.add(new Membership(ws, data.workspaces.get(ws).name(), m.memberId(), m.access()))));
            return out;
        }
    }

    @Override
    public Optional<TokenHashes> authTokens(String userId) {
        synchronized (data) {
            FakeStores.Profile p = data.profiles.get(userId);
            return p == null || p.tokenHash() == null ? Optional.empty() : Optional.of(p.hashes());
        }
    }

    @Override
    public Optional<java.time.Instant> lastIdpAdminLoss(String workspaceId) {
        return data.find(() -> data.idpAdminLosses.get(workspaceId));
    }

    @Override
    public Optional<String> findMemberIdByUserName(String workspaceId, String userNameKey) {
        return data.find(() -> data.userNameLocks.get(key(workspaceId, userNameKey)));
    }

    @Override
    public Optional<String> findMemberIdByExternalId(String workspaceId, String externalId) {
        return data.find(() -> data.externalIdLocks.get(key(workspaceId, externalId)));
    }

    @Override
    public java.util.Map<String, Member> findMembers(String workspaceId, java.util.Collection<String> memberIds) {
        synchronized (data) {
            java.util.Map<String, Member> out = new java.util.LinkedHashMap<>();
            for (String id : memberIds) {
                Member m = membersOf(workspaceId).get(id);
                if (m != null) {
                    out.put(id, m);
                }
            }
            return out;
        }
    }

    @Override
    public List<Member> awaitingSignIn(EmailAddress email) {
        synchronized (data) {
            List<Member> out = new ArrayList<>();
            new TreeMap<>(data.members).forEach((ws, members) -> members.values().stream()
                    .filter(m -> m.awaitsFirstSignIn() && m.email().equals(email)).forEach(out::add));
            return out;
        }
    }

    @Override
    public Optional<dev.wsl.core.domain.EmailDomain> findDomain(String workspaceId, String domainName) {
        return data.find(() -> data.domains.get(FakeDomainStore.position(workspaceId, domainName)));
    }

    /** As {@code DynamoWorkspaceStore.identityLocks}: the userName and externalId locks follow the change. */
    void identityLocks(FakeTx tx, Member before, Member after) {
        Provisioning was = before == null ? null : before.provisioning();
        Provisioning is = after.provisioning();
        lock(tx, data.userNameLocks, after, was == null ? null : was.userNameKey(), is == null ? null : is.userNameKey(),
                () -> new AlreadyExists("user-name-exists", "Another member of the workspace has this userName."));
        lock(tx, data.externalIdLocks, after, was == null ? null : was.externalId(), is == null ? null : is.externalId(),
                () -> new AlreadyExists("external-id-exists", "Another member of the workspace has this externalId."));
    }

    void lock(FakeTx tx, java.util.Map<String, String> locks, Member m, String old, String now,
                      java.util.function.Supplier<AlreadyExists> taken) {
        if (java.util.Objects.equals(old, now)) {
            return;
        }
        if (old != null) {
            tx.check(() -> m.memberId().equals(locks.get(key(m.workspaceId(), old))), FakeWorkspaceReads::changedMeanwhile)
                    .write(() -> locks.remove(key(m.workspaceId(), old)));
        }
        if (now != null) {
            tx.check(() -> !locks.containsKey(key(m.workspaceId(), now)), taken)
                    .write(() -> locks.put(key(m.workspaceId(), now), m.memberId()));
        }
    }

    static AlreadyExists emailTaken() {
        return new AlreadyExists("member-exists", "Another member of the workspace has this email.");
    }

    /** The set in the table's order: each of its key ranges in turn, by the SCIM index's sort key. */
    List<String> setKeys(String workspaceId, MemberSet set) {
        List<String> prefixes = switch (set.kind()) {
            case SCIM_USERS -> List.of("");
            case MEMBERS -> List.of(Keys.scimMembersPrefix(null, null));
            case ADMINS -> List.of(Keys.scimMembersPrefix("ADMIN", null));
            case LICENSED_FROM -> List.of(Keys.scimMembersPrefix("ADMIN", set.subscriptionId()),
                    Keys.scimMembersPrefix("MEMBER", set.subscriptionId()));
        };
        List<String> out = new ArrayList<>();
        for (String prefix : prefixes) {
            membersOf(workspaceId).values().stream().map(Keys::scimIndexSk)
                    .filter(sk -> sk != null && sk.startsWith(prefix)).sorted().forEach(out::add);
        }
        return out;
    }

    static String memberIdOf(String indexSk) {
        return indexSk.substring(indexSk.lastIndexOf('#') + 1);
    }

    @Override
    public Page<Member> memberSet(String workspaceId, MemberSet set, int limit, String cursor) {
        synchronized (data) {
            List<String> keys = setKeys(workspaceId, set);
            int from = cursor == null ? 0 : Integer.parseInt(decode(cursor, workspaceId, "set:" + set));
            List<Member> page = keys.subList(Math.min(from, keys.size()), Math.min(from + limit, keys.size())).stream()
                    .map(sk -> membersOf(workspaceId).get(memberIdOf(sk))).toList();
            boolean more = from + limit < keys.size();
            return new Page<>(page, more ? encode(workspaceId, "set:" + set, Integer.toString(from + limit)) : null);
        }
    }

    @Override
    public String skipInSet(String workspaceId, MemberSet set, long count, String cursor) {
        synchronized (data) {
            int size = setKeys(workspaceId, set).size();
            long from = (cursor == null ? 0 : Integer.parseInt(decode(cursor, workspaceId, "set:" + set))) + count;
            return from < size ? encode(workspaceId, "set:" + set, Long.toString(from)) : null;
        }
    }

    @Override
    public long scimUserCount(String workspaceId) {
        return data.read(() -> membersOf(workspaceId).values().stream().filter(m -> Keys.scimIndexSk(m) != null).count());
    }

    // ------------------------------------------------------------------ items the writes share

    TreeMap<String, Member> membersOf(String workspaceId) {
        return data.members.computeIfAbsent(workspaceId, ws -> new TreeMap<>());
    }

    void putMember(Member m) {
        membersOf(m.workspaceId()).put(m.memberId(), m);
    }

    void putGrant(Member m) {
        data.grants.put(key(m.workspaceId(), m.userId()), new Grant(m.workspaceId(), m.userId(), m.memberId(), m.access()));
    }

    void appendAudit(AuditEntry e) {
        data.audit.computeIfAbsent(e.workspaceId(), ws -> new ArrayList<>()).add(e);
    }

    /** A transaction that writes the member (if its version is still the one read) and the audit entry. */
    FakeTx memberChange(Member before, Member after, AuditEntry audit) {
        FakeTx tx = new FakeTx(data);
        checkVersion(tx, before);
        return tx.write(() -> {
            putMember(after);
            appendAudit(audit);
        });
    }

    void checkVersion(FakeTx tx, Member before) {
        tx.check(() -> {
            Member stored = membersOf(before.workspaceId()).get(before.memberId());
            return stored != null && stored.version() == before.version();
        }, FakeWorkspaceReads::changedMeanwhile);
    }

    void deleteOldToken(FakeTx tx, Member before) {
        if (before.invitation() != null && before.invitation().tokenHash() != null) {
            tx.write(() -> data.invitationTokens.remove(before.invitation().tokenHash()));
        }
    }

    void adjustAdmins(FakeTx tx, String workspaceId, int delta) {
        if (delta == 0) {
            return;
        }
        tx.check(() -> {
            Workspace ws = data.workspaces.get(workspaceId);
            return ws != null && (delta > 0 || ws.activeAdmins() >= 1L - delta);
        }, LastAdmin::new).write(() -> {
            Workspace ws = data.workspaces.get(workspaceId);
            data.workspaces.put(workspaceId, new Workspace(ws.workspaceId(), ws.name(), ws.createdAt(), ws.createdBy(),
                    ws.activeAdmins() + delta));
        });
    }

    /**
     * As the DynamoDB store: a new token only onto a record without one; else only if the token read is current.
     * {@code preferIfUnset}: the workspace the token activates in, unless the record names one already.
     */
    void profileWithToken(FakeTx tx, UserProfile profile, PersonalToken newToken, TokenHashes current,
                                  String preferIfUnset) {
        String currentHash = current == null ? null : current.current();
        tx.check(() -> {
            FakeStores.Profile p = data.profiles.get(profile.userId());
            String stored = p == null ? null : p.tokenHash();
            if (newToken != null) {
                return stored == null;
            }
            return currentHash == null || currentHash.equals(stored);
        }, () -> new ChangedMeanwhile("The user's auth token was rotated meanwhile; retry the request."));
        tx.write(() -> {
            FakeStores.Profile p = data.profiles.get(profile.userId());
            data.profiles.put(profile.userId(), newToken != null
                    ? new FakeStores.Profile(profile.userId(), profile.email(), profile.username(), newToken.hash(),
                            newToken.sealed(), newToken.hint(), newToken.issuedAt())
                    : new FakeStores.Profile(profile.userId(), profile.email(), profile.username(),
                            p == null ? null : p.tokenHash(), p == null ? null : p.sealed(), p == null ? null : p.hint(),
                            p == null ? null : p.issuedAt(), p == null ? null : p.previous()));
            if (preferIfUnset != null && (newToken != null || currentHash != null)) {
                data.profileChoice.putIfAbsent(profile.userId(), preferIfUnset);
            }
        });
    }

    static String emailLock(Member m) {
        return key(m.workspaceId(), m.email().value());
    }

    static String encode(String workspaceId, String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (workspaceId + "\n" + kind + "\n" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor of this list holds; a cursor of another workspace or list is refused as the table's is. */
    static String decode(String cursor, String workspaceId, String kind) {
        if (cursor == null) {
            return null;
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 3);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 3 || !parts[0].equals(workspaceId) || !parts[1].equals(kind)) {
            throw new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
        }
        return parts[2];
    }

    static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The member was changed by another request meanwhile; reload and retry.");
    }

    static ChangedMeanwhile idCollision() {
        return new ChangedMeanwhile("A concurrent request created the same item; retry.");
    }
}
