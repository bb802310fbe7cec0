package dev.wsl.members;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Provisioning;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of a workspace's members for a caller the edge already authorized (the identity provider through its
 * token): every member, members by id, and the lookups SCIM filters by. Thread-safe.
 */
public final class MemberDirectory {
    private final MemberContext c;

    MemberDirectory(MemberContext context) {
        this.c = context;
    }

    /** Every member of the workspace, REMOVED ones included, in id order (pages of 100). */
    public List<Member> allMembers(String workspaceId) {
        return c.retry.run(() -> {
            List<Member> out = new ArrayList<>();
            String cursor = null;
            do {
                Page<Member> page = c.store.listMembers(workspaceId, true, 100, cursor);
                out.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            return out;
        });
    }

    /** The members with these ids (unknown ids are missing). */
    public Map<String, Member> membersById(String workspaceId, Collection<String> memberIds) {
        List<String> wellFormed = memberIds.stream().filter(id -> Ids.isWellFormed("m", id)).toList();
        return wellFormed.isEmpty() ? Map.of() : c.retry.run(() -> c.store.findMembers(workspaceId, wellFormed));
    }

    /** The member behind a SCIM user id: every member but those removed by hand or deleted by the IdP. */
    public Member provisionedMember(String workspaceId, String memberId) {
        Member member = c.member(workspaceId, memberId);
        if (member.status() == MemberStatus.REMOVED && !member.provisioned()) {
            throw MemberContext.memberNotFound();
        }
        return member;
    }

    /** The member an identity provider knows by this userName, or by this email when it knows none by it. */
    public Optional<Member> findByUserName(String workspaceId, String userName) {
        return c.retry.run(() -> {
            Optional<String> id = c.store.findMemberIdByUserName(workspaceId, Provisioning.userNameKey(userName));
            if (id.isPresent()) {
                return c.store.findMember(workspaceId, id.get());
            }
            // A member invited by hand is a SCIM user whose userName is their email (IdPs match them that way).
            Optional<EmailAddress> email = EmailAddress.tryParse(userName); // ASCII before case folding, as every door
            if (email.isEmpty()) {
                return Optional.empty();
            }
            return c.store.findMemberIdByEmail(workspaceId, email.get().value())
                    .flatMap(m -> c.store.findMember(workspaceId, m))
                    .filter(m -> !m.provisioned() && m.status() != MemberStatus.REMOVED);
        });
    }

    public Optional<Member> findByExternalId(String workspaceId, String externalId) {
        return c.retry.run(() -> c.store.findMemberIdByExternalId(workspaceId, externalId)
                .flatMap(id -> c.store.findMember(workspaceId, id)));
    }

    public Optional<Member> findByEmail(String workspaceId, EmailAddress email) {
        return c.retry.run(() -> c.store.findMemberIdByEmail(workspaceId, email.value())
                .flatMap(id -> c.store.findMember(workspaceId, id))
                .filter(m -> m.status() != MemberStatus.REMOVED || m.provisioned()));
    }
}
