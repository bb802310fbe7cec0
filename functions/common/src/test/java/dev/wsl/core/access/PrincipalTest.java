package dev.wsl.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
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
    void aPerson_alwaysComesWithTheirGrant() {
        Caller ana = new Caller("sub-ana", EmailAddress.parse("ana@example.com"), "ana");
        assertThrows(NullPointerException.class, () -> new Principal.Person(ana, null));
        assertThrows(NullPointerException.class, () -> new Principal.IdentityProvider(null));
    }
}
