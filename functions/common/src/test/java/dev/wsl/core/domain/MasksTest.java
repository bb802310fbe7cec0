package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MasksTest {
    @Test
    void aMask_shouldShowAtMostFourCharacters_andNeverMoreThanAQuarter() {
        for (int length = 8; length <= 64; length++) {
            String key = "k".repeat(length - 4) + "WXYZ";
            String mask = LegacyKey.mask(key);
            int shown = mask.length() - 1;
            assertThat(shown).as("a key of %d characters", length).isLessThanOrEqualTo(4).isLessThanOrEqualTo(length / 4);
            assertThat(key).endsWith(mask.substring(1));
            assertThat(mask).startsWith("…");
        }
        assertThat(LegacyKey.mask("4e4ef4f3")).isEqualTo("…f3");
        assertThat(LegacyKey.mask("4e4ef4f3a2")).isEqualTo("…a2");
        assertThat(LegacyKey.mask("abcdefghijkl")).isEqualTo("…jkl");
        assertThat(LegacyKey.mask("abcdefghijklmnop")).isEqualTo("…mnop");
    }

    @Test
    void hints_shouldShowThePublicPrefixAndAtMostFourOfTheSecret() {
        String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        String ci = AuthTokens.generate(AuthTokens.CI_PREFIX);
        String scim = ScimToken.generate();

        assertThat(PersonalToken.hint(token)).isEqualTo("ls-…" + token.substring(token.length() - 4));
        assertThat(PersonalToken.hint(ci)).isEqualTo("lsci-…" + ci.substring(ci.length() - 4));
        assertThat(PersonalToken.hint(scim)).isEqualTo("scim-…" + scim.substring(scim.length() - 4));
        for (String credential : new String[] {token, ci, scim}) {
            String secret = credential.substring(credential.indexOf('-') + 1);
            assertThat(4).isLessThanOrEqualTo(secret.length() / 4);
        }
        assertThat(Masks.hint("x-abcdefgh")).as("a short secret after its prefix shows a quarter").isEqualTo("x-…gh");
    }

    @Test
    void masksStoredUnderTheEarlierRule_shouldBeShownInThePresentForm() {
        assertThat(Masks.legacyShown("4e4…a2")).isEqualTo("…a2");
        assertThat(Masks.legacyShown("4e4…a2 (lk_1)")).isEqualTo("…a2 (lk_1)");
        assertThat(Masks.legacyShown("…wxyz")).isEqualTo("…wxyz");
        LegacyKey old = new LegacyKey("ws_1", "lk_1", "hash", "4e4…a2", null, java.time.Instant.EPOCH, 0);
        assertThat(old.shown()).isEqualTo("…a2");
        assertThat(old.masked()).as("what the table holds is unchanged").isEqualTo("4e4…a2");
    }

    @Test
    void auditEntries_shouldShowKeyMasksOnlyToThoseWhoManageLegacyKeys() {
        AuditEntry entry = new AuditEntry("ws_1", java.time.Instant.EPOCH, "u1", "a@example.com", "legacy-key.imported",
                "lk_1", java.util.Map.of("masked", "4e4…a2", "assignee", ""));

        assertThat(entry.shownTo(Access.ADMIN).details()).containsEntry("masked", "…a2");
        assertThat(entry.shownTo(new Access(Role.MEMBER, java.util.Set.of(Permission.AUDIT_READ))).details())
                .doesNotContainKey("masked").containsEntry("assignee", "");
        assertThat(entry.shownTo(new Access(Role.MEMBER, java.util.Set.of(Permission.AUDIT_READ,
                Permission.LEGACY_KEYS_MANAGE))).details()).containsEntry("masked", "…a2");
    }
}
