package dev.wsl.core.access;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.WorkspaceStore;
import java.util.Objects;

/**
 * Authorizes a caller against the workspace named in the request path: one strongly
 * consistent read of their grant, which exists only while their membership is ACTIVE. A
 * caller who is not an active member learns only that the workspace was not found.
 * Thread-safe.
 */
public final class Authorization {
    private final WorkspaceStore store;

    public Authorization(WorkspaceStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** @throws NotFound unless the caller is an ACTIVE member of the workspace */
    public Grant member(Caller caller, String workspaceId) {
        if (!Ids.isWellFormed("ws", workspaceId)) {
            throw workspaceNotFound();
        }
        return store.findGrant(workspaceId, caller.userId()).orElseThrow(Authorization::workspaceNotFound);
    }

    /**
     * @throws NotFound for non-members
     * @throws Forbidden for members without the permission
     */
    public Grant withPermission(Caller caller, String workspaceId, Permission permission) {
        Grant grant = member(caller, workspaceId);
        requirePermission(grant, permission);
        return grant;
    }

    /**
     * Resolves a signed-in person at the edge: their grant in the workspace of the request's path.
     *
     * @throws NotFound unless the caller is an ACTIVE member of the workspace
     */
    public Principal.Person person(Caller caller, String workspaceId) {
        return new Principal.Person(caller, member(caller, workspaceId));
    }

    /**
     * The one authorization rule of the service layer, for a principal the edge resolved: a person needs
     * their grant to be in this workspace and to allow the permission; the identity provider may act only in
     * the workspace its token belongs to (which use cases it may call at all is the use case's to say); a job
     * acts on its own authority. Reads nothing.
     *
     * @throws NotFound  when the principal does not belong to the workspace
     * @throws Forbidden when a person's grant does not allow the permission
     */
    public static void require(Principal principal, String workspaceId, Permission permission) {
        switch (principal) {
            case Principal.Person person -> {
                if (!person.grant().workspaceId().equals(workspaceId)) {
                    throw workspaceNotFound();
                }
                requirePermission(person.grant(), permission);
            }
            case Principal.IdentityProvider idp -> {
                if (!idp.workspaceId().equals(workspaceId)) {
                    throw workspaceNotFound();
                }
            }
            case Principal.Job job -> {
                // a job is never built from a request
            }
        }
    }

    /** @throws Forbidden unless the grant allows the permission */
    public static void requirePermission(Grant grant, Permission permission) {
        if (!grant.access().allows(permission)) {
            throw new Forbidden("missing-permission",
                    "This needs the ADMIN role or the '" + permission.wireName() + "' permission.");
        }
    }

    public static NotFound workspaceNotFound() {
        return new NotFound("workspace-not-found",
                "No workspace with this id exists that you are an active member of.");
    }
}
