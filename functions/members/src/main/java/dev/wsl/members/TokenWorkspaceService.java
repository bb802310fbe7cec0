package dev.wsl.members;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the caller's auth token activates (PRODUCT.md section 11: "the user decides where their auth token
 * activates"): the caller's workspaces, which of them license the token, and the one they chose (by default
 * the first they joined themselves). Only the caller changes it; the choice lives on the token's lookup item,
 * which activation reads anyway, and on the user record. Thread-safe.
 */
public final class TokenWorkspaceService {
    private final WorkspaceStore workspaces;
    private final CredentialStore credentials;
    private final Authorization authorization;
    private final RetryPolicy retry;

    public TokenWorkspaceService(WorkspaceStore workspaces, CredentialStore credentials, RetryPolicy retry) {
        this.workspaces = Objects.requireNonNull(workspaces);
        this.credentials = Objects.requireNonNull(credentials);
        this.authorization = new Authorization(workspaces);
        this.retry = Objects.requireNonNull(retry);
    }

    /** One of the caller's workspaces, and whether their token activates a license there. */
    public record Option(String workspaceId, String name, boolean licensed) {}

    /**
     * @param chosen      the caller's choice (or default), or null when there is none yet
     * @param activatesIn where an activation goes now while the subscriptions are active: the choice when it
     *                    licenses the token, else the licensed workspace the caller joined first; null when
     *                    none licenses it
     */
    public record Choice(String chosen, String activatesIn, List<Option> options) {}

    /** @throws NotFound {@code no-auth-token} when the caller has no token yet */
    public Choice view(Caller caller) {
        return retry.run(() -> {
            CredentialStore.TokenWorkspaces token = credentials.tokenWorkspaces(caller.userId())
                    .orElseThrow(TokenWorkspaceService::noToken);
            List<Option> options = new ArrayList<>();
            for (Membership m : workspaces.workspacesOf(caller.userId())) {
                options.add(new Option(m.workspaceId(), m.workspaceName(), token.licensedIn().containsKey(m.workspaceId())));
            }
            return new Choice(token.chosen(), activatesIn(token), options);
        });
    }

    /**
     * The caller's choice: a workspace they are an active member of (licensed there or not yet).
     *
     * @throws NotFound {@code workspace-not-found} for any other workspace, {@code no-auth-token} without a token
     */
    public Choice choose(Caller caller, String workspaceId) {
        authorization.member(caller, workspaceId);
        retry.run(() -> {
            CredentialStore.TokenWorkspaces token = credentials.tokenWorkspaces(caller.userId())
                    .orElseThrow(TokenWorkspaceService::noToken);
            credentials.chooseWorkspace(caller.userId(), token.hashes(), workspaceId);
            return null;
        });
        return view(caller);
    }

    /** As the activation decides (subscriptions aside): the choice if licensed, else the licensed workspace joined first. */
    private String activatesIn(CredentialStore.TokenWorkspaces token) {
        Map<String, String> licensed = token.licensedIn();
        if (licensed.isEmpty()) {
            return null;
        }
        if (token.chosen() != null && licensed.containsKey(token.chosen())) {
            return token.chosen();
        }
        List<Member> members = new ArrayList<>();
        licensed.forEach((ws, memberId) -> workspaces.findMember(ws, memberId).ifPresent(members::add));
        return members.stream().min(Comparator.comparing((Member m) -> m.acceptedAt() == null ? Instant.MAX
                : m.acceptedAt()).thenComparing(Member::workspaceId)).map(Member::workspaceId).orElse(null);
    }

    private static NotFound noToken() {
        return new NotFound("no-auth-token",
                "You have no auth token yet: it is issued when you create or join your first workspace.");
    }
}
