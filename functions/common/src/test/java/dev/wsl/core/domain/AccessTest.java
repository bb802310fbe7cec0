package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {
    private final Access inviter = new Access(Role.MEMBER, Set.of(Permission.MEMBERS_INVITE, Permission.AUDIT_READ));

    @Test
    void admin_shouldAllowEveryPermission() {
        for (Permission p : Permission.values()) {
            assertThat(Access.ADMIN.allows(p)).isTrue();
        }
    }

    @Test
    void member_shouldAllowOnlyItsPermissions() {
        assertThat(inviter.allows(Permission.MEMBERS_INVITE)).isTrue();
        assertThat(inviter.allows(Permission.MEMBERS_REMOVE)).isFalse();
        assertThat(Access.MEMBER.allows(Permission.AUDIT_READ)).isFalse();
    }

    @Test
    void mayGrant_shouldNeverLetANonAdminEscalate() {
        assertThat(inviter.mayGrant(Access.ADMIN)).isFalse();
        assertThat(inviter.mayGrant(new Access(Role.MEMBER, Set.of(Permission.MEMBERS_REMOVE)))).isFalse();
        assertThat(inviter.mayGrant(new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ)))).isTrue();
        assertThat(inviter.mayGrant(Access.MEMBER)).isTrue();
        assertThat(Access.ADMIN.mayGrant(Access.ADMIN)).isTrue();
    }

    @Test
    void admin_withPermissions_shouldBeRefused() {
        assertThatThrownBy(() -> new Access(Role.ADMIN, Set.of(Permission.AUDIT_READ)))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e).isInstanceOf(InvalidInput.class));
    }

    @Test
    void parseAll_shouldRefuseNamesOutsideTheCatalogue() {
        assertThat(Permission.parseAll(List.of("members:invite", "audit:read")))
                .containsExactlyInAnyOrder(Permission.MEMBERS_INVITE, Permission.AUDIT_READ);
        assertThatThrownBy(() -> Permission.parseAll(List.of("members:*")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("unknown-permission"));
    }

    @Test
    void permissionNames_shouldBeSortedWireNames() {
        assertThat(inviter.permissionNames()).containsExactly("audit:read", "members:invite");
    }
}
