package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An email domain a workspace claims and proves with a DNS TXT record (PRODUCT.md section 11, "Consent,
 * and verified domains"): the service shows a random value; publishing {@link #recordValue()} as a TXT
 * record at {@link #recordName()} proves that whoever controls the domain's DNS vouches for the workspace.
 * People an identity provider provisions with an email of a verified domain join at their first sign-in;
 * anyone else is asked first.
 *
 * <p>Checked on request and daily. A domain whose record is not seen for {@link #GRACE} (7 days) from the
 * first check that missed it is no longer verified: {@link #verified(Instant)} says so from that instant
 * on, even before a check records the lapse, so a late daily run cannot stretch the grace. Several
 * workspaces may verify the same domain, each with its own value (docs/trust-and-consent.md, "Verified domains").
 * Immutable; each check produces a new value with {@code version + 1}.
 *
 * @param challenge   the random part of the record's value (not a secret: it is published in DNS)
 * @param addedBy     the email of the admin who added it
 * @param verifiedAt  when the record was first seen in the current verified period; null when not verified
 * @param missingSince the first check that did not see the record while verified; null while it is seen
 * @param lapsedAt    when the last verified period ended (the record gone for 7 days); null otherwise
 * @param checkedAt   the last check; null before any
 * @param lastResult  what the last check saw; null before any
 */
public record EmailDomain(String workspaceId, String name, String challenge, Instant addedAt, String addedBy,
                          Instant verifiedAt, Instant missingSince, Instant lapsedAt, Instant checkedAt,
                          CheckResult lastResult, long version) {
    /** How long a verified domain stays verified without its record. */
    public static final Duration GRACE = Duration.ofDays(7);
    /** Domains one workspace may hold (the list is one page, and the daily check's work stays bounded). */
    public static final int MAX_PER_WORKSPACE = 50;
    public static final String RECORD_PREFIX = "_wsl-verification.";
    public static final String VALUE_PREFIX = "wsl-verify=";
    public static final int MAX_NAME_LENGTH = 253;

    private static final Pattern LABEL = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a check saw at the record's name. */
    public enum CheckResult {
        /** A TXT record with the workspace's value. */
        FOUND,
        /** No TXT record at the name (the name does not exist, or holds none). */
        MISSING,
        /** TXT records at the name, none with the workspace's value. */
        WRONG_VALUE,
        /** DNS did not answer (timeout, server failure): the record could not be seen. */
        LOOKUP_FAILED
    }

    /** Where a domain stands now. */
    public enum Status { PENDING, VERIFIED, LAPSED }

    public EmailDomain {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(challenge);
        Objects.requireNonNull(addedAt);
    }

    /** A domain just added: not verified, with a fresh random value (160 bits, URL-safe). */
    public static EmailDomain added(String workspaceId, String name, String addedBy, Instant at) {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return new EmailDomain(workspaceId, name, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), at,
                addedBy, null, null, null, null, null, 0);
    }

    /**
     * A domain name as an admin types it: ASCII only (an internationalised domain in its {@code xn--} form),
     * checked before case folding; lower-cased, a trailing dot dropped; at least two labels of letters,
     * digits and inner hyphens, a top-level label that is not all digits.
     *
     * @throws InvalidInput {@code invalid-domain} naming the rule broken
     */
    public static String parseName(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalidName("domain is required.");
        }
        String text = raw.strip();
        if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw invalidName("domain must be ASCII without spaces; write an internationalised domain in its"
                    + " xn-- (punycode) form.");
        }
        String name = text.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalidName("domain must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        List<String> labels = List.of(name.split("\\.", -1));
        if (labels.size() < 2 || !labels.stream().allMatch(l -> LABEL.matcher(l).matches())
                || labels.getLast().chars().allMatch(Character::isDigit)) {
            throw invalidName("domain must be a domain name such as example.com: labels of letters, digits and"
                    + " hyphens separated by dots.");
        }
        return name;
    }

    /** The domain part of an email address. */
    public static String of(EmailAddress email) {
        return email.value().substring(email.value().lastIndexOf('@') + 1);
    }

    /** The DNS name the TXT record goes to. */
    public String recordName() {
        return RECORD_PREFIX + name;
    }

    /** The TXT record's value. */
    public String recordValue() {
        return VALUE_PREFIX + challenge;
    }

    /** Whether the domain is verified at {@code now}: seen, and not missing for the whole grace period since. */
    public boolean verified(Instant now) {
        return verifiedAt != null && !graceOver(now);
    }

    public Status status(Instant now) {
        if (verified(now)) {
            return Status.VERIFIED;
        }
        return lapsedAt != null || verifiedAt != null ? Status.LAPSED : Status.PENDING;
    }

    /** When a verified domain stops being verified unless its record is seen again; null while it is seen. */
    public Instant lapsesAt() {
        return verifiedAt == null || missingSince == null ? null : missingSince.plus(GRACE);
    }

    private boolean graceOver(Instant now) {
        return missingSince != null && !now.isBefore(missingSince.plus(GRACE));
    }

    /** What a lookup of {@link #recordName()} says of this domain's record. */
    public CheckResult judge(TxtLookup lookup) {
        if (lookup.failed()) {
            return CheckResult.LOOKUP_FAILED;
        }
        if (lookup.values().isEmpty()) {
            return CheckResult.MISSING;
        }
        return lookup.values().stream().anyMatch(v -> v.strip().equals(recordValue()))
                ? CheckResult.FOUND : CheckResult.WRONG_VALUE;
    }

    /**
     * The domain after a check at {@code now}: seen, it is verified (since the start of the current period, or
     * from now on); not seen while verified, the grace runs from the first miss, and once it is over the
     * domain lapses. A failed lookup counts as not seen: a domain whose DNS stays unreachable for 7 days lapses.
     */
    public EmailDomain checked(CheckResult result, Instant now) {
        Instant verified = verifiedAt;
        Instant missing = missingSince;
        Instant lapsed = lapsedAt;
        if (result == CheckResult.FOUND) {
            verified = verified(now) ? verifiedAt : now;
            missing = null;
            lapsed = null;
        } else if (verifiedAt != null) {
            missing = missing == null ? now : missing;
            if (!now.isBefore(missing.plus(GRACE))) {
                lapsed = missing.plus(GRACE);
                verified = null;
            }
        }
        return new EmailDomain(workspaceId, name, challenge, addedAt, addedBy, verified, missing, lapsed, now, result,
                version + 1);
    }

    private static InvalidInput invalidName(String detail) {
        return new InvalidInput("invalid-domain", detail);
    }
}
