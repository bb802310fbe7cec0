package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;

/** {@link WorkspaceStore} over {@link FakeStores}; the conditions of {@code DynamoWorkspaceStore}, in its order. */
final class FakeWorkspaceStore extends FakeWorkspaceReads {
    /** As the outbox item's first due time: the stream delivers at once, the sweep only after this. */
    static final Duration STREAM_GRACE = Duration.ofMinutes(2);

    FakeWorkspaceStore(FakeStores data) {
        super(data);
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
            FakeTx tx = becomeActive(before, after, stored -> stored.status() == before.status(),
                    "The account is already a member of this workspace.", audit);
            deleteOldToken(tx, before);
            identityLocks(tx, before, after);
            activation(tx, after, profile, authToken, newToken, adminDelta, false);
            tx.commit();
        }
    }

    // ------------------------------------------------------------------ consent and verified domains (issue 17, part B)

    @Override
    public void join(Member before, Member after, UserProfile profile, TokenHashes authToken, PersonalToken newToken,
                     int adminDelta, AuditEntry audit, SeatChange freed, LicensePool poolRead) {
        synchronized (data) {
            FakeTx tx = becomeActive(before, after, stored -> stored.status() == MemberStatus.INVITED
                            && (stored.invitation() == null || stored.invitation().tokenHash() == null),
                    "Your account is already a member of this workspace.", audit);
            activation(tx, after, profile, authToken, newToken, adminDelta, true);
            if (freed != null) {
                FakeLicenseStore.contribute(data, tx, freed, poolRead, false);
            }
            tx.commit();
        }
    }

    /**
     * A member becoming ACTIVE: still at the version read and as {@code asRead} says, the account's grant free or
     * theirs (else {@code already-member} with this message); writes the member, the grant and the audit entry.
     */
    private FakeTx becomeActive(Member before, Member after, java.util.function.Predicate<Member> asRead,
                                String alreadyMember, AuditEntry audit) {
        return new FakeTx(data)
                .check(() -> {
                    Member stored = membersOf(before.workspaceId()).get(before.memberId());
                    return stored != null && stored.version() == before.version() && asRead.test(stored);
                }, FakeWorkspaceStore::changedMeanwhile)
                .check(() -> {
                    Grant g = data.grants.get(key(after.workspaceId(), after.userId()));
                    return g == null || g.memberId().equals(after.memberId());
                }, () -> new AlreadyExists("already-member", alreadyMember))
                .write(() -> {
                    putMember(after);
                    putGrant(after);
                    appendAudit(audit);
                });
    }
}
