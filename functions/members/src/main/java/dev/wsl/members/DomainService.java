package dev.wsl.members;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.TxtLookup;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.DomainStore;
import dev.wsl.core.port.TxtResolver;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workspace's email domains (PRODUCT.md section 11): its admins add a domain, publish the TXT record the
 * service shows, and ask for a check ("Verify"); the daily {@link DomainCheckJob} checks every domain again.
 * Admins only (no advanced permission covers it: a verified domain lets the workspace take people in without
 * asking them). Every change is audited. Thread-safe.
 */
public final class DomainService {
    private final Authorization authorization;
    private final DomainStore domains;
    private final TxtResolver dns;
    private final Clock clock;
    private final RetryPolicy retry;

    public DomainService(WorkspaceStore workspaces, DomainStore domains, TxtResolver dns, Clock clock, RetryPolicy retry) {
        this.authorization = new Authorization(Objects.requireNonNull(workspaces));
        this.domains = Objects.requireNonNull(domains);
        this.dns = Objects.requireNonNull(dns);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** A domain with what its latest check saw, and the instant its status is told at. */
    public record Checked(EmailDomain domain, Instant at, String detail) {}

    public List<EmailDomain> list(Caller caller, String workspaceId) {
        requireAdmin(caller, workspaceId);
        return retry.run(() -> domains.list(workspaceId));
    }

    /**
     * Adds a domain, not verified yet, with a fresh random value to publish.
     *
     * @throws dev.wsl.core.failure.InvalidInput {@code invalid-domain}
     * @throws dev.wsl.core.failure.AlreadyExists {@code domain-exists}
     * @throws dev.wsl.core.failure.Conflict {@code domain-limit}
     */
    public EmailDomain add(Caller caller, String workspaceId, String rawName) {
        requireAdmin(caller, workspaceId);
        String name = EmailDomain.parseName(rawName);
        Instant now = clock.instant();
        EmailDomain domain = EmailDomain.added(workspaceId, name, caller.email().value(), now);
        retry.run(() -> {
            domains.add(domain, EmailDomain.MAX_PER_WORKSPACE, Actor.of(caller).audit(workspaceId, now,
                    "domain.added", name, Map.of("recordName", domain.recordName())));
            return null;
        });
        return domain;
    }

    /** Looks the record up now and records what was seen (verified, wrong value, missing, lapsed), audited. */
    public Checked verify(Caller caller, String workspaceId, String rawName) {
        requireAdmin(caller, workspaceId);
        String name = nameInPath(rawName);
        return retry.run(() -> {
            EmailDomain before = domains.find(workspaceId, name).orElseThrow(DomainService::domainNotFound);
            TxtLookup lookup = dns.txt(before.recordName());
            Instant now = clock.instant();
            EmailDomain after = before.checked(before.judge(lookup), now);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("result", after.lastResult().name());
            details.put("status", after.status(now).name());
            domains.saveCheck(before, after, Actor.of(caller).audit(workspaceId, now, "domain.checked", name, details));
            return new Checked(after, now, describe(after, now));
        });
    }

    public void remove(Caller caller, String workspaceId, String rawName) {
        requireAdmin(caller, workspaceId);
        String name = nameInPath(rawName);
        retry.run(() -> {
            EmailDomain before = domains.find(workspaceId, name).orElseThrow(DomainService::domainNotFound);
            domains.remove(before, Actor.of(caller).audit(workspaceId, clock.instant(), "domain.removed", name,
                    Map.of("status", before.status(clock.instant()).name())));
            return null;
        });
    }

    /** What a person reads about a domain's latest check. */
    static String describe(EmailDomain d, Instant now) {
        if (d.lastResult() == null) {
            return "Not checked yet: publish the TXT record, then verify.";
        }
        String where = "the TXT record at " + d.recordName();
        String status = switch (d.lastResult()) {
            case FOUND -> "Verified: " + where + " holds the workspace's value.";
            case MISSING -> "No TXT record at " + d.recordName() + ".";
            case WRONG_VALUE -> "TXT records at " + d.recordName() + " were found, but none is " + d.recordValue() + ".";
            case LOOKUP_FAILED -> "DNS did not answer for " + d.recordName() + "; try again later.";
        };
        if (d.lastResult() != EmailDomain.CheckResult.FOUND && d.verified(now)) {
            status += " The domain stays verified until " + d.lapsesAt() + " unless the record is seen again.";
        } else if (d.lastResult() != EmailDomain.CheckResult.FOUND && d.status(now) == EmailDomain.Status.LAPSED) {
            status += " The domain is no longer verified: publish the record again, then verify.";
        }
        return status;
    }

    private Grant requireAdmin(Caller caller, String workspaceId) {
        Grant grant = authorization.member(caller, workspaceId);
        if (!grant.access().isAdmin()) {
            throw new Forbidden("missing-permission", "This needs the ADMIN role: a verified domain lets the"
                    + " workspace take in people of that domain without asking them.");
        }
        return grant;
    }

    /** A name in a path: compared as stored (lower case); one that is no domain name cannot be one of the workspace's. */
    private static String nameInPath(String raw) {
        try {
            return EmailDomain.parseName(raw);
        } catch (dev.wsl.core.failure.InvalidInput e) {
            throw domainNotFound();
        }
    }

    private static NotFound domainNotFound() {
        return new NotFound("domain-not-found", "The workspace has no such domain.");
    }
}
