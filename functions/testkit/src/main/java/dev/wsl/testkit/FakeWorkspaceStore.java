package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.store.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@link WorkspaceStore} over {@link FakeStores}; the conditions of {@code DynamoWorkspaceStore}, in its order. */
final class FakeWorkspaceStore implements WorkspaceStore {
    /** As the outbox item's first due time: the stream delivers at once, the sweep only after this. */
    static final Duration STREAM_GRACE = Duration.ofMinutes(2);

    private final FakeStores data;

    FakeWorkspaceStore(FakeStores data) {
        this.data = data;
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
        synchronized (data) {
            return Optional.ofNullable(data.workspaces.get(workspaceId));
        }
    }

    @Override
    public Optional<Grant> findGrant(String workspaceId, String userId) {
        synchronized (data) {
            return Optional.ofNullable(data.grants.get(key(workspaceId, userId)));
        }
    }

    @Override
    public Optional<Member> findMember(String workspaceId, String memberId) {
        synchronized (data) {
            return Optional.ofNullable(membersOf(workspaceId).get(memberId));
        }
    }

    @Override
    public Optional<String> findMemberIdByEmail(String workspaceId, String email) {
        synchronized (data) {
            return Optional.ofNullable(data.emailLocks.get(key(workspaceId, email)));
        }
    }

    @Override
    public Optional<InvitationRef> findInvitation(String tokenHash) {
        synchronized (data) {
            return Optional.ofNullable(data.invitationTokens.get(tokenHash));
        }
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
    public void createWorkspace(Workspace workspace, Member creator, UserProfile profile, TokenHashes authToken,
                                PersonalToken newToken, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data);
            String ws = workspace.workspaceId();
            profileWithToken(tx, profile, newToken, authToken, ws);
            if (newToken != null) {
                tx.check(() -> !data.credentials.containsKey(newToken.hash()), FakeWorkspaceStore::idCollision)
                        .write(() -> {
                            data.credentials.put(newToken.hash(), new FakeStores.Credential(false,
                                    profile.userId(), new TreeMap<>(), null, null));
                            data.credentialChoice.put(newToken.hash(), ws);
                        });
            } else if (authToken != null) {
                preferIfUnset(tx, authToken, profile.userId(), ws);
            }
            tx.check(() -> !data.workspaces.containsKey(workspace.workspaceId()), FakeWorkspaceStore::idCollision)
                    .check(() -> !membersOf(workspace.workspaceId()).containsKey(creator.memberId()),
                            FakeWorkspaceStore::idCollision)
                    .check(() -> !data.emailLocks.containsKey(emailLock(creator)), FakeWorkspaceStore::idCollision)
                    .check(() -> !data.grants.containsKey(key(creator.workspaceId(), creator.userId())),
                            FakeWorkspaceStore::idCollision)
                    .write(() -> {
                        data.workspaces.put(workspace.workspaceId(), workspace);
                        putMember(creator);
                        data.emailLocks.put(emailLock(creator), creator.memberId());
                        putGrant(creator);
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void insertInvitedMember(Member member, OutboxMessage message, InvitationQuota quota, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> data.workspaces.containsKey(member.workspaceId()),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> !data.emailLocks.containsKey(emailLock(member)), () -> new AlreadyExists(
                            "member-exists", "This email was invited to the workspace meanwhile."))
                    .check(() -> !membersOf(member.workspaceId()).containsKey(member.memberId()),
                            FakeWorkspaceStore::idCollision)
                    .check(() -> !data.outbox.containsKey(message.id()), FakeWorkspaceStore::idCollision)
                    .write(() -> {
                        data.emailLocks.put(emailLock(member), member.memberId());
                        putMember(member);
                        data.outbox.put(message.id(), new FakeStores.OutboxEntry(message,
                                message.createdAt().plus(STREAM_GRACE)));
                        appendAudit(audit);
                    });
            countInvitation(tx, quota);
            tx.commit();
        }
    }

    /** The invitation's two counters, each only while below its limit, after the member's conditions (as DynamoDB). */
    private void countInvitation(FakeTx tx, InvitationQuota quota) {
        String to = "to\n" + quota.recipient().value() + "\n" + quota.day();
        String from = "ws\n" + quota.workspaceId() + "\n" + quota.day();
        tx.check(() -> data.invitationCounters.getOrDefault(to, 0) < quota.recipientLimit(), quota::recipientLimitReached)
                .check(() -> data.invitationCounters.getOrDefault(from, 0) < quota.workspaceLimit(),
                        quota::workspaceLimitReached)
                .write(() -> {
                    data.invitationCounters.merge(to, 1, Integer::sum);
                    data.invitationCounters.merge(from, 1, Integer::sum);
                });
    }

    @Override
    public void reinvite(Member before, Member after, OutboxMessage message, InvitationQuota quota, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data);
            checkVersion(tx, before);
            tx.check(() -> !data.outbox.containsKey(message.id()), FakeWorkspaceStore::changedMeanwhile)
                    .write(() -> {
                        putMember(after);
                        data.outbox.put(message.id(), new FakeStores.OutboxEntry(message,
                                message.createdAt().plus(STREAM_GRACE)));
                        appendAudit(audit);
                    });
            deleteOldToken(tx, before);
            countInvitation(tx, quota);
            tx.commit();
        }
    }

    @Override
    public void changeAccess(Member before, Member after, int adminDelta, AuditEntry audit, IdpAdminLoss idp) {
        synchronized (data) {
            FakeTx tx = memberChange(before, after, audit);
            if (after.status() == MemberStatus.ACTIVE) {
                tx.check(() -> data.grants.containsKey(key(after.workspaceId(), after.userId())),
                        FakeWorkspaceStore::changedMeanwhile).write(() -> putGrant(after));
            }
            adjustAdmins(tx, after.workspaceId(), adminDelta);
            creatorAuthority(tx, before, after, audit, idp);
            tx.commit();
        }
    }

    @Override
    public void remove(Member before, Member after, int adminDelta, AuditEntry audit, SeatChange freed,
                       LicensePool poolRead, IdpAdminLoss idp) {
        synchronized (data) {
            FakeTx tx = memberChange(before, after, audit);
            if (before.status() == MemberStatus.ACTIVE) {
                tx.write(() -> data.grants.remove(key(before.workspaceId(), before.userId())));
            }
            deleteOldToken(tx, before);
            identityLocks(tx, before, after);
            adjustAdmins(tx, after.workspaceId(), adminDelta);
            creatorAuthority(tx, before, after, audit, idp);
            if (freed != null) {
                FakeLicenseStore.contribute(data, tx, freed, poolRead, false);
            }
            tx.commit();
        }
    }

    /**
     * As {@code ScimItems.creatorAuthority} and {@code ScimItems.idpAdminLoss}: the SCIM token read now stops
     * with its creator's ADMIN, or is checked at commit to be no working token of theirs; the window item and
     * the witness as the IdP's conditions say.
     */
    private void creatorAuthority(FakeTx tx, Member before, Member after, AuditEntry audit, IdpAdminLoss idp) {
        String ws = before.workspaceId();
        if (ScimToken.authorityEndedBy(before, after).isPresent()) {
            ScimToken read = data.scimTokens.get(ws);
            Optional<ScimToken> stopped = read == null ? Optional.empty() : read.stoppedBy(before, after, audit);
            if (stopped.isPresent()) {
                ScimToken t = stopped.get();
                tx.check(() -> {
                    ScimToken now = data.scimTokens.get(ws);
                    return now != null && now.hash().equals(t.hash()) && now.works();
                }, FakeScimStore::tokenChanged).write(() -> {
                    data.scimTokens.put(ws, t);
                    data.scimLookups.remove(t.hash());
                    appendAudit(t.stopAudit());
                });
            } else {
                tx.check(() -> {
                    ScimToken now = data.scimTokens.get(ws);
                    return now == null || !now.createdBy().equals(before.userId()) || !now.works();
                }, FakeScimStore::tokenChanged);
            }
        }
        if (idp != null) {
            tx.check(() -> java.util.Objects.equals(data.idpAdminLosses.get(ws), idp.previous()),
                    () -> new ChangedMeanwhile("The identity provider took ADMIN from another admin meanwhile; retry."))
                    .write(() -> data.idpAdminLosses.put(ws, idp.at()));
            if (idp.witnessMemberId() != null) {
                tx.check(() -> {
                    Member witness = membersOf(ws).get(idp.witnessMemberId());
                    return witness != null && witness.isAppointedAdmin();
                }, () -> new ChangedMeanwhile("The workspace's admins changed meanwhile; retry."));
            }
        }
    }

    @Override
    public Optional<java.time.Instant> lastIdpAdminLoss(String workspaceId) {
        synchronized (data) {
            return Optional.ofNullable(data.idpAdminLosses.get(workspaceId));
        }
    }

    @Override
    public void accept(Member before, Member after, String tokenHash, UserProfile profile, TokenHashes authToken,
                       PersonalToken newToken, int adminDelta, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> {
                        Member stored = membersOf(before.workspaceId()).get(before.memberId());
                        return stored != null && stored.version() == before.version()
                                && stored.status() == MemberStatus.INVITED && stored.invitation() != null
                                && tokenHash.equals(stored.invitation().tokenHash());
                    }, FakeWorkspaceStore::changedMeanwhile)
                    .check(() -> data.invitationTokens.containsKey(tokenHash), () -> new Conflict("invitation-used",
                            "This invitation link has already been used or replaced."))
                    .check(() -> {
                        Grant g = data.grants.get(key(after.workspaceId(), after.userId()));
                        return g == null || g.memberId().equals(after.memberId());
                    }, () -> new AlreadyExists("already-member", "Your account is already a member of this workspace."))
                    .write(() -> {
                        putMember(after);
                        data.invitationTokens.remove(tokenHash);
                        putGrant(after);
                        appendAudit(audit);
                    });
            activation(tx, after, profile, authToken, newToken, adminDelta, true);
            tx.commit();
        }
    }

    private void activation(FakeTx tx, Member after, UserProfile profile, TokenHashes authToken, PersonalToken newToken,
                            int adminDelta, boolean selfJoined) {
        String prefer = selfJoined ? after.workspaceId() : null;
        if (profile != null) {
            profileWithToken(tx, profile, newToken, authToken, prefer);
        }
        if (newToken != null) {
            TreeMap<String, String> licensedIn = new TreeMap<>();
            if (after.activatesLicense()) {
                licensedIn.put(after.workspaceId(), after.memberId());
            }
            tx.check(() -> !data.credentials.containsKey(newToken.hash()), FakeWorkspaceStore::idCollision)
                    .write(() -> {
                        data.credentials.put(newToken.hash(),
                                new FakeStores.Credential(false, after.userId(), licensedIn, null, null));
                        if (prefer != null) {
                            data.credentialChoice.put(newToken.hash(), prefer);
                        }
                    });
        } else if (after.activatesLicense() && authToken != null) {
            FakeLicenseStore.link(data, tx, authToken, after.userId(), after.workspaceId(), after.memberId());
            if (selfJoined) {
                tx.write(() -> {
                    data.credentialChoice.putIfAbsent(authToken.current(), after.workspaceId());
                    if (authToken.previous() != null) {
                        data.credentialChoice.putIfAbsent(authToken.previous(), after.workspaceId());
                    }
                });
            }
        } else if (selfJoined && authToken != null) {
            preferIfUnset(tx, authToken, after.userId(), after.workspaceId());
        }
        adjustAdmins(tx, after.workspaceId(), adminDelta);
    }

    /** As {@code TokenIndex.preferIfUnset}: conditioned on the tokens still being what the record said. */
    private void preferIfUnset(FakeTx tx, TokenHashes tokens, String userId, String workspaceId) {
        FakeLicenseStore.eachToken(data, tx, tokens, userId, hash -> data.credentialChoice.putIfAbsent(hash, workspaceId));
    }

    // ------------------------------------------------------------------ SCIM provisioning

    @Override
    public Optional<String> findMemberIdByUserName(String workspaceId, String userNameKey) {
        synchronized (data) {
            return Optional.ofNullable(data.userNameLocks.get(key(workspaceId, userNameKey)));
        }
    }

    @Override
    public Optional<String> findMemberIdByExternalId(String workspaceId, String externalId) {
        synchronized (data) {
            return Optional.ofNullable(data.externalIdLocks.get(key(workspaceId, externalId)));
        }
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
    public void provision(Member member, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> data.workspaces.containsKey(member.workspaceId()),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> !data.emailLocks.containsKey(emailLock(member)), FakeWorkspaceStore::emailTaken)
                    .check(() -> !membersOf(member.workspaceId()).containsKey(member.memberId()),
                            FakeWorkspaceStore::idCollision)
                    .write(() -> {
                        data.emailLocks.put(emailLock(member), member.memberId());
                        putMember(member);
                        appendAudit(audit);
                    });
            identityLocks(tx, null, member);
            tx.commit();
        }
    }

    @Override
    public void reprovision(Member before, Member after, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = memberChange(before, after, audit);
            if (!before.email().equals(after.email())) {
                tx.check(() -> before.memberId().equals(data.emailLocks.get(emailLock(before))),
                                FakeWorkspaceStore::changedMeanwhile)
                        .check(() -> !data.emailLocks.containsKey(emailLock(after)), FakeWorkspaceStore::emailTaken)
                        .write(() -> {
                            data.emailLocks.remove(emailLock(before));
                            data.emailLocks.put(emailLock(after), after.memberId());
                        });
            }
            identityLocks(tx, before, after);
            tx.commit();
        }
    }

    @Override
    public void activate(Member before, Member after, UserProfile profile, TokenHashes authToken,
                         PersonalToken newToken, int adminDelta, AuditEntry audit) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> {
                        Member stored = membersOf(before.workspaceId()).get(before.memberId());
                        return stored != null && stored.version() == before.version()
                                && stored.status() == before.status();
                    }, FakeWorkspaceStore::changedMeanwhile)
                    .check(() -> {
                        Grant g = data.grants.get(key(after.workspaceId(), after.userId()));
                        return g == null || g.memberId().equals(after.memberId());
                    }, () -> new AlreadyExists("already-member", "The account is already a member of this workspace."))
                    .write(() -> {
                        putMember(after);
                        putGrant(after);
                        appendAudit(audit);
                    });
            deleteOldToken(tx, before);
            identityLocks(tx, before, after);
            activation(tx, after, profile, authToken, newToken, adminDelta, false);
            tx.commit();
        }
    }

    // ------------------------------------------------------------------ consent and verified domains (issue 17, part B)

    @Override
    public Optional<dev.wsl.core.domain.EmailDomain> findDomain(String workspaceId, String domainName) {
        synchronized (data) {
            return Optional.ofNullable(data.domains.get(FakeDomainStore.position(workspaceId, domainName)));
        }
    }

    @Override
    public void join(Member before, Member after, UserProfile profile, TokenHashes authToken, PersonalToken newToken,
                     int adminDelta, AuditEntry audit, SeatChange freed, LicensePool poolRead) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> {
                        Member stored = membersOf(before.workspaceId()).get(before.memberId());
                        return stored != null && stored.version() == before.version()
                                && stored.status() == MemberStatus.INVITED
                                && (stored.invitation() == null || stored.invitation().tokenHash() == null);
                    }, FakeWorkspaceStore::changedMeanwhile)
                    .check(() -> {
                        Grant g = data.grants.get(key(after.workspaceId(), after.userId()));
                        return g == null || g.memberId().equals(after.memberId());
                    }, () -> new AlreadyExists("already-member", "Your account is already a member of this workspace."))
                    .write(() -> {
                        putMember(after);
                        putGrant(after);
                        appendAudit(audit);
                    });
            activation(tx, after, profile, authToken, newToken, adminDelta, true);
            if (freed != null) {
                FakeLicenseStore.contribute(data, tx, freed, poolRead, false);
            }
            tx.commit();
        }
    }

    /** As {@code DynamoWorkspaceStore.identityLocks}: the userName and externalId locks follow the change. */
    private void identityLocks(FakeTx tx, Member before, Member after) {
        Provisioning was = before == null ? null : before.provisioning();
        Provisioning is = after.provisioning();
        lock(tx, data.userNameLocks, after, was == null ? null : was.userNameKey(), is == null ? null : is.userNameKey(),
                () -> new AlreadyExists("user-name-exists", "Another member of the workspace has this userName."));
        lock(tx, data.externalIdLocks, after, was == null ? null : was.externalId(), is == null ? null : is.externalId(),
                () -> new AlreadyExists("external-id-exists", "Another member of the workspace has this externalId."));
    }

    private void lock(FakeTx tx, java.util.Map<String, String> locks, Member m, String old, String now,
                      java.util.function.Supplier<AlreadyExists> taken) {
        if (java.util.Objects.equals(old, now)) {
            return;
        }
        if (old != null) {
            tx.check(() -> m.memberId().equals(locks.get(key(m.workspaceId(), old))), FakeWorkspaceStore::changedMeanwhile)
                    .write(() -> locks.remove(key(m.workspaceId(), old)));
        }
        if (now != null) {
            tx.check(() -> !locks.containsKey(key(m.workspaceId(), now)), taken)
                    .write(() -> locks.put(key(m.workspaceId(), now), m.memberId()));
        }
    }

    private static AlreadyExists emailTaken() {
        return new AlreadyExists("member-exists", "Another member of the workspace has this email.");
    }

    // ------------------------------------------------------------------ SCIM listings

    /** The set in the table's order: each of its key ranges in turn, by the SCIM index's sort key. */
    private List<String> setKeys(String workspaceId, MemberSet set) {
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

    private static String memberIdOf(String indexSk) {
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
        synchronized (data) {
            return membersOf(workspaceId).values().stream().filter(m -> Keys.scimIndexSk(m) != null).count();
        }
    }

    // ------------------------------------------------------------------ shared with the other fakes

    TreeMap<String, Member> membersOf(String workspaceId) {
        return data.members.computeIfAbsent(workspaceId, ws -> new TreeMap<>());
    }

    private void putMember(Member m) {
        membersOf(m.workspaceId()).put(m.memberId(), m);
    }

    private void putGrant(Member m) {
        data.grants.put(key(m.workspaceId(), m.userId()), new Grant(m.workspaceId(), m.userId(), m.memberId(), m.access()));
    }

    private void appendAudit(AuditEntry e) {
        data.audit.computeIfAbsent(e.workspaceId(), ws -> new ArrayList<>()).add(e);
    }

    /** A transaction that writes the member (if its version is still the one read) and the audit entry. */
    private FakeTx memberChange(Member before, Member after, AuditEntry audit) {
        FakeTx tx = new FakeTx(data);
        checkVersion(tx, before);
        return tx.write(() -> {
            putMember(after);
            appendAudit(audit);
        });
    }

    private void checkVersion(FakeTx tx, Member before) {
        tx.check(() -> {
            Member stored = membersOf(before.workspaceId()).get(before.memberId());
            return stored != null && stored.version() == before.version();
        }, FakeWorkspaceStore::changedMeanwhile);
    }

    private void deleteOldToken(FakeTx tx, Member before) {
        if (before.invitation() != null && before.invitation().tokenHash() != null) {
            tx.write(() -> data.invitationTokens.remove(before.invitation().tokenHash()));
        }
    }

    private void adjustAdmins(FakeTx tx, String workspaceId, int delta) {
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
    private void profileWithToken(FakeTx tx, UserProfile profile, PersonalToken newToken, TokenHashes current,
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

    private static String emailLock(Member m) {
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

    private static ChangedMeanwhile idCollision() {
        return new ChangedMeanwhile("A concurrent request created the same item; retry.");
    }
}
