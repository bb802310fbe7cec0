package dev.wsl.members;

import static dev.wsl.members.MemberContext.profile;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Workspaces: creating one, a person's own workspaces, one workspace, and its audit trail. Thread-safe. */
public final class Workspaces {
    private final MemberContext c;
    private final TokenIssuer tokens;

    Workspaces(MemberContext context, TokenIssuer tokens) {
        this.tokens = tokens;
        this.c = context;
    }

    public record WorkspaceWithGrant(Workspace workspace, Grant grant) {}

    public WorkspaceWithGrant createWorkspace(Caller caller, String name) {
        Instant now = c.clock.instant();
        String workspaceId = Ids.newId("ws", now.toEpochMilli());
        Workspace workspace = new Workspace(workspaceId, name, now, caller.userId(), 1);
        Member creator = Member.creator(workspaceId, Ids.newId("m", now.toEpochMilli()), caller, now);
        return c.retry.run(() -> {
            // The user record is created with the user's first workspace or membership, and with it their token.
            Optional<TokenHashes> current = c.store.authTokens(caller.userId());
            PersonalToken newToken = tokens.unless(current, caller, now);
            c.store.createWorkspace(workspace, creator, profile(caller), current.orElse(null), newToken,
                    MemberContext.audit(caller, workspaceId, now, "workspace.created", workspaceId, Map.of("name", name)));
            return new WorkspaceWithGrant(workspace,
                    new Grant(workspaceId, caller.userId(), creator.memberId(), creator.access()));
        });
    }

    /** The caller's own workspaces with their access in each; needs no grant (it names no workspace). */
    public List<Membership> workspacesOf(Caller caller) {
        return c.retry.run(() -> c.store.workspacesOf(caller.userId()));
    }

    public WorkspaceWithGrant getWorkspace(Principal.Person person, String workspaceId) {
        Grant grant = MemberContext.grantIn(person, workspaceId);
        return c.retry.run(() -> new WorkspaceWithGrant(c.workspace(workspaceId), grant));
    }

    public Page<AuditEntry> audit(Principal.Person person, String workspaceId, int limit, String cursor) {
        Grant actor = MemberContext.grantIn(person, workspaceId);
        MemberRules.requirePermission(actor, Permission.AUDIT_READ);
        return c.retry.run(() -> {
            Page<AuditEntry> page = c.store.listAudit(workspaceId, limit, cursor);
            // Legacy keys' masks only for those who manage legacy keys (PRODUCT.md section 11, "Masks reveal little").
            return new Page<>(page.items().stream().map(e -> e.shownTo(actor.access())).toList(), page.nextCursor());
        });
    }
}
