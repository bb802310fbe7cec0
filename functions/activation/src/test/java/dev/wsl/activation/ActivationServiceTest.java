package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions of activation, on a fake table: which license, which refusal, what is written. */
class ActivationServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
    private static final String USER = "user-1";

    private final Table table = new Table(NOW);
    private final FakeDynamo dynamo = table.dynamo;
    private final ActivationService service = new ActivationService(new ActivationStore(dynamo, "t"),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24), null);
    private final String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);

    @Test
    void severalLicenses_shouldPickTheChosenWorkspace_notTheLongestSubscription() {
        // Issue 17, attack 2: a stranger's later-ending subscription must not capture the token's activations.
        table.authToken(token, USER, Map.of("ws_a", "m_a", "ws_b", "m_b", "ws_c", "m_c"), null, "ws_c");
        table.member("ws_a", "m_a", USER, true, NOW.minus(Duration.ofDays(300)));
        table.member("ws_b", "m_b", USER, true, NOW.minus(Duration.ofDays(200)));
        table.member("ws_c", "m_c", USER, true, NOW.minus(Duration.ofDays(100)));
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
        pool("ws_b", "Enterprise", NOW.plus(Duration.ofDays(900)));
        pool("ws_c", "Pro", NOW.plus(Duration.ofDays(10)));

        LicenseDocument license = granted(request(false, null), false);

        assertThat(license.licenseType()).isEqualTo("Pro");
        assertThat(license.id()).isEqualTo(LicenseDecision.licenseId("member", "ws_c", "m_c"));
        // The choice beats a license the client cached elsewhere: the client is told to request anew.
        assertThat(refusal(request(false, LicenseDecision.licenseId("member", "ws_b", "m_b")), true))
                .isEqualTo(Refusal.LICENSE_NOT_FOUND);
    }

    @Test
    void withoutAChoiceThatLicenses_shouldPickTheWorkspaceJoinedFirst_whateverTheSubscriptions() {
        table.authToken(token, USER, Map.of("ws_a", "m_a", "ws_b", "m_b", "ws_c", "m_c"), null, "ws_gone");
        table.member("ws_a", "m_a", USER, true, NOW.minus(Duration.ofDays(100)));
        table.member("ws_b", "m_b", USER, true, NOW.minus(Duration.ofDays(300)));
        table.member("ws_c", "m_c", USER, true, NOW.minus(Duration.ofDays(200)));
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(900)));
        pool("ws_b", "Enterprise", NOW.plus(Duration.ofDays(10)));
        pool("ws_c", "Pro", NOW.plus(Duration.ofDays(500)));

        assertThat(granted(request(false, null), false).id()).isEqualTo(LicenseDecision.licenseId("member", "ws_b", "m_b"));
    }

    @Test
    void aChosenWorkspaceWhoseSubscriptionEnded_shouldGiveWayToTheNextJoined() {
        table.authToken(token, USER, Map.of("ws_a", "m_a", "ws_b", "m_b"), null, "ws_a");
        table.member("ws_a", "m_a", USER, true, NOW.minus(Duration.ofDays(300)));
        table.member("ws_b", "m_b", USER, true, NOW.minus(Duration.ofDays(200)));
        pool("ws_a", "Team", NOW.minusSeconds(1));
        pool("ws_b", "Enterprise", NOW.plus(Duration.ofDays(10)));

        assertThat(granted(request(false, null), false).licenseType()).isEqualTo("Enterprise");
    }

    @Test
    void reactivation_shouldKeepTheCachedLicense_whileItIsValid() {
        tokenItem(Map.of("ws_a", "m_a", "ws_b", "m_b"), null);
        member("ws_a", "m_a", true);
        member("ws_b", "m_b", true);
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
        pool("ws_b", "Enterprise", NOW.plus(Duration.ofDays(90)));
        String cached = LicenseDecision.licenseId("member", "ws_a", "m_a");

        assertThat(granted(request(false, cached), true).id()).isEqualTo(cached);
    }

    @Test
    void reactivateAfter_shouldNotOutliveTheSubscription() {
        tokenItem(Map.of("ws_a", "m_a"), null);
        member("ws_a", "m_a", true);
        pool("ws_a", "Team", NOW.plus(Duration.ofHours(3)));

        LicenseDocument license = granted(request(false, null), false);

        assertThat(license.reactivateAfter()).isEqualTo(NOW.plus(Duration.ofHours(3)));
        assertThat(license.expiryDate()).isEqualTo(NOW.plus(Duration.ofHours(3)));
    }

    @Test
    void anIndexEntryTheMemberNoLongerBacks_shouldNotActivate() {
        tokenItem(Map.of("ws_a", "m_a"), null);
        member("ws_a", "m_a", false);
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));

        assertThat(refusal(request(false, null), false)).isEqualTo(Refusal.NO_LICENSE);
    }

    @Test
    void aDeveloperCredentialInCi_shouldBeRefusedWithoutAnyRead() {
        tokenItem(Map.of("ws_a", "m_a"), null);

        assertThat(refusal(request(true, null), false)).isEqualTo(Refusal.DEVELOPER_CREDENTIAL_IN_CI);
        assertThat(dynamo.calls).isEmpty();
    }

    @Test
    void noSubscription_andAnEndedOne_shouldGiveTheirOwnRefusals() {
        tokenItem(Map.of("ws_a", "m_a"), null);
        member("ws_a", "m_a", true);
        assertThat(refusal(request(false, null), false)).isEqualTo(Refusal.NO_LICENSE);

        pool("ws_a", "Team", NOW.minusSeconds(1));
        assertThat(refusal(request(false, null), false)).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void usage_shouldBeWrittenOncePerHour() {
        tokenItem(Map.of("ws_a", "m_a"), "2026-11-27T10");
        member("ws_a", "m_a", true);
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));

        granted(request(false, null), false);
        assertThat(dynamo.calls).containsExactly("GetItem", "BatchGetItem");

        dynamo.calls.clear();
        tokenItem(Map.of("ws_a", "m_a"), "2026-11-27T09");
        granted(request(false, null), false);
        assertThat(dynamo.calls).containsExactlyInAnyOrder("GetItem", "BatchGetItem", "UpdateItem", "UpdateItem");
        assertThat(dynamo.updates).anyMatch(u -> u.expressionAttributeValues().containsKey(":hour")
                && u.expressionAttributeValues().get(":hour").s().equals("2026-11-27T10"));
    }

    @Test
    void aTokenKeptByARotationsOverlap_shouldActivateUntilItEnds_thenBeRefusedLikeAnUnknownOne() {
        tokenItem(Map.of("ws_a", "m_a"), null);
        member("ws_a", "m_a", true);
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
        table.expiresAt(token, NOW.plusSeconds(1));
        assertThat(granted(request(false, null), false).id()).isEqualTo(LicenseDecision.licenseId("member", "ws_a", "m_a"));

        table.expiresAt(token, NOW);
        dynamo.calls.clear();
        Outcome atTheEnd = service.activate(request(false, null), false);
        Outcome unknown = service.activate(new ActivationRequest(ActivationRequest.AUTH_TOKEN,
                AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX), "localstack-pro", "2026.8.2", "m", "Linux", false, null),
                false);

        assertThat(atTheEnd).isEqualTo(unknown).isEqualTo(new Outcome.Refused(Refusal.CREDENTIALS_INVALID));
        assertThat(dynamo.calls).as("decided by the lookup item, like an unknown one").containsExactly("GetItem", "GetItem");
    }

    @Test
    void aCiKeyKeptByARotationsOverlap_shouldActivateUntilItEnds() {
        String ci = AuthTokens.generate(AuthTokens.CI_PREFIX);
        table.ciKey(ci, "ws_a", "ci_1");
        pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
        table.expiresAt(ci, NOW.plus(Duration.ofHours(24)));
        ActivationRequest inCi = new ActivationRequest(ActivationRequest.AUTH_TOKEN, ci, "localstack-pro", "2026.8.2",
                "m", "Linux", true, null);
        assertThat(service.activate(inCi, false)).isInstanceOf(Outcome.Granted.class);

        table.expiresAt(ci, NOW.minusSeconds(1));
        assertThat(service.activate(inCi, false)).isEqualTo(new Outcome.Refused(Refusal.CREDENTIALS_INVALID));
    }

    private ActivationRequest request(boolean ci, String licenseId) {
        return new ActivationRequest(ActivationRequest.AUTH_TOKEN, token, "localstack-pro", "2026.8.2", "m", "Linux",
                ci, licenseId);
    }

    private LicenseDocument granted(ActivationRequest request, boolean reactivation) {
        Outcome outcome = service.activate(request, reactivation);
        assertThat(outcome).isInstanceOf(Outcome.Granted.class);
        return ((Outcome.Granted) outcome).license();
    }

    private Refusal refusal(ActivationRequest request, boolean reactivation) {
        Outcome outcome = service.activate(request, reactivation);
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        return ((Outcome.Refused) outcome).refusal();
    }

    private void tokenItem(Map<String, String> licensedIn, String lastUseHour) {
        table.authToken(token, USER, licensedIn, lastUseHour);
    }

    private void member(String ws, String memberId, boolean licensed) {
        table.member(ws, memberId, USER, licensed);
    }

    private void pool(String ws, String plan, Instant periodEnd) {
        table.pool(ws, plan, periodEnd);
    }
}
