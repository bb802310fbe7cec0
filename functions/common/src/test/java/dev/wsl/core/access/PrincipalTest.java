package dev.wsl.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.NotFound;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    @Test
    void eachPrincipal_isNamedInTheAuditTrailByWhoItIs() {
        Caller ana = new Caller("sub-ana", EmailAddress.parse("ana@example.com"), "ana");
        Grant grant = new Grant("ws_1", "sub-ana", "m_1", Access.MEMBER);
        assertEquals(new Actor("sub-ana", "ana@example.com"), new Principal.Person(ana, grant).actor());
        assertEquals(Actor.SCIM, new Principal.IdentityProvider("ws_1").actor());
        Actor billing = new Actor("billing", "billing");
        assertEquals(billing, new Principal.Job(billing).actor());
    }

    @Test
    void require_holdsEachPrincipalToItsWorkspace_andAPersonToTheirPermissions() {
        Caller ana = new Caller("sub-ana", EmailAddress.parse("ana@example.com"), "ana");
        Principal member = new Principal.Person(ana, new Grant("ws_1", "sub-ana", "m_1", Access.MEMBER));
        Principal admin = new Principal.Person(ana, new Grant("ws_1", "sub-ana", "m_1", Access.ADMIN));
        Authorization.require(admin, "ws_1", Permission.MEMBERS_REMOVE);
        assertThrows(Forbidden.class, () -> Authorization.require(member, "ws_1", Permission.MEMBERS_REMOVE));
        assertThrows(NotFound.class, () -> Authorization.require(admin, "ws_2", Permission.MEMBERS_REMOVE));
        Authorization.require(new Principal.IdentityProvider("ws_1"), "ws_1", Permission.MEMBERS_REMOVE);
        assertThrows(NotFound.class,
                () -> Authorization.require(new Principal.IdentityProvider("ws_1"), "ws_2", Permission.MEMBERS_REMOVE));
        Authorization.require(new Principal.Job(new Actor("billing", "billing")), "ws_9", Permission.LICENSES_ASSIGN);
    }

    @Test
    void aPerson_alwaysComesWithTheirGrant() {
        Caller ana = new Caller("sub-ana", EmailAddress.parse("ana@example.com"), "ana");
        assertThrows(NullPointerException.class, () -> new Principal.Person(ana, null));
        assertThrows(NullPointerException.class, () -> new Principal.IdentityProvider(null));
    }
}
