package dev.wsl.core.access;

import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import java.util.Objects;

/**
 * Who asks for a use case, resolved once at the edge: every operation of the service layer takes one of
 * these instead of offering a door per kind of caller. The audit trail names each by its {@link #actor()}.
 *
 * <ul>
 *   <li>{@link Person}: a signed-in person with their grant in the workspace of the request's path, which the
 *       edge read through {@link Authorization#member} (so a person without an ACTIVE membership never gets
 *       this far);</li>
 *   <li>{@link IdentityProvider}: the workspace's identity provider, authenticated by its SCIM token, which
 *       belongs to exactly that workspace;</li>
 *   <li>{@link Job}: a system acting on its own authority (billing, the sunset job, the reclaim policy, the
 *       domain check), never from a request.</li>
 * </ul>
 */
public sealed interface Principal permits Principal.Person, Principal.IdentityProvider, Principal.Job {

    /** How the audit trail names this principal. */
    Actor actor();

    /** @param grant the person's grant in the workspace of the request (ACTIVE membership) */
    record Person(Caller caller, Grant grant) implements Principal {
        public Person {
            Objects.requireNonNull(caller);
            Objects.requireNonNull(grant);
        }

        @Override
        public Actor actor() {
            return Actor.of(caller);
        }
    }

    /** @param workspaceId the workspace whose SCIM token authenticated the request */
    record IdentityProvider(String workspaceId) implements Principal {
        public IdentityProvider {
            Objects.requireNonNull(workspaceId);
        }

        @Override
        public Actor actor() {
            return Actor.SCIM;
        }
    }

    /** @param actor the job's name as the audit trail shows it */
    record Job(Actor actor) implements Principal {
        public Job {
            Objects.requireNonNull(actor);
        }
    }
}
