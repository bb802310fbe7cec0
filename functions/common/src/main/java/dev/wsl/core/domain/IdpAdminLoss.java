package dev.wsl.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a change by the identity provider that takes ADMIN from an ACTIVE admin (its Admins group, a
 * deactivation, a delete, its Members group) must still hold when it is written, in the same transaction
 * (PRODUCT.md section 11, "No lock-out through SCIM"):
 * <ul>
 *   <li>no other such change within {@link #WINDOW}: the workspace's one window item still names
 *       {@code previous} (the last such change as read, or none), and is set to {@code at};</li>
 *   <li>when the member losing ADMIN is an {@link Member#isAppointedAdmin() appointed} admin, another appointed
 *       admin ({@code witnessMemberId}) is still one, so that the identity provider never leaves the workspace
 *       without an admin a person appointed.</li>
 * </ul>
 * A change that fails either is decided again on fresh reads (held for an admin, or refused).
 *
 * @param previous        the last change of this kind as read, or null when none was ever recorded
 * @param witnessMemberId an appointed admin other than the member, or null when the member was not appointed
 */
public record IdpAdminLoss(Instant previous, Instant at, String witnessMemberId) {
    /** At most one admin loses ADMIN by the identity provider alone within this time; more waits for an admin. */
    public static final Duration WINDOW = Duration.ofHours(1);

    public IdpAdminLoss {
        Objects.requireNonNull(at);
    }

    /** Whether a change at {@code now} would be the second within the window after {@code previous}. */
    public static boolean withinWindow(Instant previous, Instant now) {
        return previous != null && previous.plus(WINDOW).isAfter(now);
    }
}
