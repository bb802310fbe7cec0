package dev.wsl.members;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.EmailDomain.CheckResult;
import dev.wsl.core.domain.EmailDomain.Status;
import dev.wsl.core.domain.TxtLookup;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.TxtResolver;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link DomainService} and {@link DomainCheckJob} on the in-memory stores, with DNS played by a
 * map (the integration tests ask a real DNS server on loopback).
 */
class DomainServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Dns dns = new Dns();
    private final DomainService domains = new DomainService(stores.workspaces(), stores.domains(), dns, clock,
            RetryPolicy.withoutPauses(3));
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    /** DNS as a map of TXT records; a name listed in {@code failing} gets no answer. */
    static final class Dns implements TxtResolver {
        final Map<String, List<String>> records = new HashMap<>();
        final List<String> failing = new java.util.ArrayList<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public TxtLookup txt(String name) {
            lookups.incrementAndGet();
            if (failing.contains(name)) {
                return TxtLookup.failed("timeout");
            }
            List<String> values = records.get(name);
            return values == null ? TxtLookup.none() : TxtLookup.found(values);
        }
    }

    @Test
    void anAdmin_addsADomain_publishesItsRecord_andVerifies() {
        EmailDomain added = domains.add(admin, ws, "Example.COM");
        assertThat(added.name()).isEqualTo("example.com");
        assertThat(domains.list(admin, ws)).extracting(EmailDomain::name).containsExactly("example.com");

        assertThat(domains.verify(admin, ws, "example.com").domain().lastResult()).isEqualTo(CheckResult.MISSING);
        dns.records.put(added.recordName(), List.of("wsl-verify=not-ours"));
        DomainService.Checked wrong = domains.verify(admin, ws, "example.com");
        assertThat(wrong.domain().lastResult()).isEqualTo(CheckResult.WRONG_VALUE);
        assertThat(wrong.domain().status(NOW)).isEqualTo(Status.PENDING);
        assertThat(wrong.detail()).contains("none is " + added.recordValue());

        dns.records.put(added.recordName(), List.of("wsl-verify=not-ours", added.recordValue()));
        DomainService.Checked verified = domains.verify(admin, ws, "EXAMPLE.com.");
        assertThat(verified.domain().status(NOW)).isEqualTo(Status.VERIFIED);
        assertThat(stores.auditOf(ws)).extracting(e -> e.action() + " " + e.target() + " " + e.details().get("result"))
                .contains("domain.added example.com null", "domain.checked example.com WRONG_VALUE",
                        "domain.checked example.com FOUND");
    }

    @Test
    void onlyAdmins_manageDomains_andOthersLearnNothing() {
        Caller member = Arrange.caller("member@example.com");
        members.workspaces().createWorkspace(member, "Theirs");
        var invited = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("M", member.email(), Access.MEMBER,
                Optional.empty()));
        String token = dev.wsl.core.domain.Secrets.newInvitationToken();
        new Arrange(stores, NOW).issueToken(invited, token);
        members.invitations().accept(member, token);
        Caller stranger = Arrange.caller("stranger@example.com");
        domains.add(admin, ws, "example.com");

        assertThatThrownBy(() -> domains.add(member, ws, "other.example")).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> domains.list(member, ws)).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> domains.verify(member, ws, "example.com")).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> domains.remove(stranger, ws, "example.com")).isInstanceOf(NotFound.class);
        assertThat(domains.list(admin, ws)).hasSize(1);
    }

    @Test
    void badInput_andLimits_areRefused_andChangeNothing() {
        assertThatThrownBy(() -> domains.add(admin, ws, "not a domain")).isInstanceOf(InvalidInput.class);
        domains.add(admin, ws, "example.com");
        assertThatThrownBy(() -> domains.add(admin, ws, "EXAMPLE.com")).isInstanceOfSatisfying(AlreadyExists.class,
                e -> assertThat(e.slug()).isEqualTo("domain-exists"));
        for (int i = 1; i < EmailDomain.MAX_PER_WORKSPACE; i++) {
            domains.add(admin, ws, "d" + i + ".example");
        }
        assertThatThrownBy(() -> domains.add(admin, ws, "one-too-many.example")).isInstanceOfSatisfying(Conflict.class,
                e -> assertThat(e.slug()).isEqualTo("domain-limit"));
        domains.remove(admin, ws, "d1.example");
        domains.add(admin, ws, "one-too-many.example");
        assertThat(domains.list(admin, ws)).hasSize(EmailDomain.MAX_PER_WORKSPACE);
        assertThatThrownBy(() -> domains.verify(admin, ws, "unknown.example")).isInstanceOfSatisfying(NotFound.class,
                e -> assertThat(e.slug()).isEqualTo("domain-not-found"));
        assertThatThrownBy(() -> domains.remove(admin, ws, "../x")).isInstanceOf(NotFound.class);
    }

    @Test
    void theDailyCheck_verifies_keepsTheGrace_andLapsesAfterSevenDays() {
        EmailDomain d = domains.add(admin, ws, "example.com");
        DomainCheckJob job = new DomainCheckJob(stores.domains(), dns, clock, 10, RetryPolicy.withoutPauses(3));
        dns.records.put(d.recordName(), List.of(d.recordValue()));
        assertThat(job.run(unlimited())).containsEntry("complete", true).containsEntry("verified", 1L);
        assertThat(stored("example.com").status(clock.instant())).isEqualTo(Status.VERIFIED);

        dns.records.remove(d.recordName());
        // Day 1 is the first check that misses it; the grace runs 7 days from there: still verified on day 7.
        for (int day = 1; day <= 7; day++) {
            clock.advance(Duration.ofDays(1));
            job.run(unlimited());
            assertThat(stored("example.com").verified(clock.instant())).as("day %d without the record", day).isTrue();
        }
        dns.failing.add(d.recordName());
        clock.advance(Duration.ofDays(1));
        assertThat(job.run(unlimited())).containsEntry("lapsed", 1L).containsEntry("lookupFailed", 1L);
        assertThat(stored("example.com").status(clock.instant())).isEqualTo(Status.LAPSED);
        assertThat(stores.auditOf(ws)).extracting(e -> e.action() + " by " + e.actorId())
                .contains("domain.verified by domain-check", "domain.lapsed by domain-check");
    }

    @Test
    void theDailyCheck_stopsOnItsBudget_andTheNextInvocationContinues() {
        for (int i = 0; i < 7; i++) {
            EmailDomain d = domains.add(admin, ws, "d" + i + ".example");
            dns.records.put(d.recordName(), List.of(d.recordValue()));
        }
        DomainCheckJob job = new DomainCheckJob(stores.domains(), dns, clock, 3, RetryPolicy.withoutPauses(3));
        AtomicInteger pages = new AtomicInteger();
        JobBudget onePage = new JobBudget(() -> pages.getAndIncrement() == 0 ? 10_000 : 0, 1_000);

        Map<String, Object> first = job.run(onePage);
        assertThat(first).containsEntry("complete", false).containsEntry("checked", 3L);
        Map<String, Object> rest = job.run(unlimited());
        assertThat(rest).containsEntry("complete", true).containsEntry("checked", 4L).containsEntry("runId", first.get("runId"));
        assertThat(dns.lookups.get()).as("each domain once").isEqualTo(7);
        assertThat(domains.list(admin, ws)).allMatch(d -> d.verified(clock.instant()));
        assertThat(stores.domains().currentRun()).as("the run is over").isEmpty();
    }

    private EmailDomain stored(String name) {
        return stores.domains().find(ws, name).orElseThrow();
    }

    private static JobBudget unlimited() {
        return new JobBudget(() -> Long.MAX_VALUE, 0);
    }
}
