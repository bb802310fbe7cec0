package dev.wsl.core.domain;

import java.util.Locale;
import java.util.Objects;

/**
 * How an identity provider knows a member (SCIM, RFC 7643): its {@code userName} (unique per workspace,
 * compared without case), its own {@code externalId} (unique per workspace, compared exactly), and the
 * name parts, the {@code displayName} and the type and primary mark of the email it sent (null: none sent; SCIM answers with
 * what the identity provider set, so a removed attribute stays removed). Present on members created or
 * adopted over SCIM; a member keeps it while deactivated ({@code active: false}) and loses it when the IdP
 * deletes the user.
 */
public record Provisioning(String userName, String externalId, String givenName, String familyName,
                           String displayName, String emailType, Boolean emailPrimary) {
    public static final int MAX_USER_NAME = 256;
    public static final int MAX_EXTERNAL_ID = 256;

    public Provisioning {
        Objects.requireNonNull(userName);
    }

    /** Without the displayName and the email's type the identity provider sent (it sent none). */
    public Provisioning(String userName, String externalId, String givenName, String familyName) {
        this(userName, externalId, givenName, familyName, null, null, null);
    }

    /** The form uniqueness and lookups use: RFC 7643 makes {@code userName} case-insensitive. */
    public String userNameKey() {
        return userNameKey(userName);
    }

    public static String userNameKey(String userName) {
        return userName.toLowerCase(Locale.ROOT);
    }
}
