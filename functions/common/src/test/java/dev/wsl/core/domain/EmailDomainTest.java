package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.EmailDomain.CheckResult;
import dev.wsl.core.domain.EmailDomain.Status;
import dev.wsl.core.failure.InvalidInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of a verified domain: its name, its record, and verification, grace and lapse over time. */
class EmailDomainTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    @Test
    void parseName_shouldAcceptDomainNames_andRefuseEverythingElse() {
        assertThat(EmailDomain.parseName(" Example.COM. ")).isEqualTo("example.com");
        assertThat(EmailDomain.parseName("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(EmailDomain.parseName("a-b.c0.example.org")).isEqualTo("a-b.c0.example.org");
        for (String bad : List.of("", "  ", "com", "example", "-a.com", "a-.com", "a..com", ".a.com", "a.123",
                "exa mple.com", "bücher.example", "exam\u212Aple.com", "a_b.com", "x".repeat(64) + ".com",
                ("a".repeat(60) + ".").repeat(5) + "com", "user@example.com")) {
            assertThatThrownBy(() -> EmailDomain.parseName(bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-domain"));
        }
    }

    @Test
    void aNewDomain_shouldShowARandomRecord_andBePending() {
        EmailDomain a = EmailDomain.added("ws_1", "example.com", "admin@example.com", T0);
        EmailDomain b = EmailDomain.added("ws_2", "example.com", "admin@example.com", T0);
        assertThat(a.recordName()).isEqualTo("_wsl-verification.example.com");
        assertThat(a.recordValue()).startsWith("wsl-verify=").hasSize("wsl-verify=".length() + 27);
        assertThat(a.recordValue()).as("each workspace proves with its own value").isNotEqualTo(b.recordValue());
        assertThat(a.status(T0)).isEqualTo(Status.PENDING);
        assertThat(a.verified(T0)).isFalse();
    }

    @Test
    void judge_shouldTellFound_wrongValue_missing_andNoAnswer() {
        EmailDomain d = EmailDomain.added("ws_1", "example.com", null, T0);
        assertThat(d.judge(TxtLookup.found(List.of("v=spf1 -all", " " + d.recordValue() + " ")))).isEqualTo(CheckResult.FOUND);
        assertThat(d.judge(TxtLookup.found(List.of("wsl-verify=someone-else")))).isEqualTo(CheckResult.WRONG_VALUE);
        assertThat(d.judge(TxtLookup.none())).isEqualTo(CheckResult.MISSING);
        assertThat(d.judge(TxtLookup.failed("timeout"))).isEqualTo(CheckResult.LOOKUP_FAILED);
    }

    @Test
    void aWrongValue_orNoRecord_shouldNeverVerify() {
        EmailDomain d = EmailDomain.added("ws_1", "example.com", null, T0);
        assertThat(d.checked(CheckResult.WRONG_VALUE, T0).status(T0)).isEqualTo(Status.PENDING);
        assertThat(d.checked(CheckResult.MISSING, T0).checked(CheckResult.LOOKUP_FAILED, T0).verified(T0)).isFalse();
    }

    @Test
    void aRecordGone_shouldKeepTheDomainVerifiedForSevenDays_thenLapse() {
        EmailDomain verified = EmailDomain.added("ws_1", "example.com", null, T0).checked(CheckResult.FOUND, T0);
        assertThat(verified.status(T0)).isEqualTo(Status.VERIFIED);
        assertThat(verified.verifiedAt()).isEqualTo(T0);

        Instant gone = T0.plus(Duration.ofDays(1));
        EmailDomain missing = verified.checked(CheckResult.MISSING, gone);
        assertThat(missing.missingSince()).isEqualTo(gone);
        assertThat(missing.lapsesAt()).isEqualTo(gone.plus(Duration.ofDays(7)));
        EmailDomain stillMissing = missing.checked(CheckResult.LOOKUP_FAILED, gone.plus(Duration.ofDays(6)));
        assertThat(stillMissing.missingSince()).as("from the first miss").isEqualTo(gone);
        assertThat(stillMissing.verified(gone.plus(Duration.ofDays(7)).minusSeconds(1))).isTrue();
        assertThat(stillMissing.verified(gone.plus(Duration.ofDays(7)))).as("lapsed even before a check records it")
                .isFalse();

        EmailDomain lapsed = stillMissing.checked(CheckResult.MISSING, gone.plus(Duration.ofDays(7)));
        assertThat(lapsed.status(gone.plus(Duration.ofDays(8)))).isEqualTo(Status.LAPSED);
        assertThat(lapsed.verifiedAt()).isNull();
        assertThat(lapsed.lapsedAt()).isEqualTo(gone.plus(Duration.ofDays(7)));

        Instant back = gone.plus(Duration.ofDays(9));
        EmailDomain again = lapsed.checked(CheckResult.FOUND, back);
        assertThat(again.verified(back)).isTrue();
        assertThat(again.verifiedAt()).as("a new verified period").isEqualTo(back);
        assertThat(again.missingSince()).isNull();
        assertThat(again.lapsedAt()).isNull();
        assertThat(again.version()).isEqualTo(verified.version() + 4);
    }

    @Test
    void aRecordSeenAgainWithinTheGrace_shouldKeepTheVerifiedPeriod() {
        EmailDomain verified = EmailDomain.added("ws_1", "example.com", null, T0).checked(CheckResult.FOUND, T0);
        EmailDomain back = verified.checked(CheckResult.MISSING, T0.plus(Duration.ofDays(1)))
                .checked(CheckResult.FOUND, T0.plus(Duration.ofDays(3)));
        assertThat(back.verifiedAt()).isEqualTo(T0);
        assertThat(back.missingSince()).isNull();
        assertThat(back.verified(T0.plus(Duration.ofDays(30)))).isTrue();
    }

    @Test
    void theDomainOfAnEmail_isItsHostPart() {
        assertThat(EmailDomain.of(new EmailAddress("a.b@mail.example.com"))).isEqualTo("mail.example.com");
    }
}
