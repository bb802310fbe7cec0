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
    /** The most a name part ({@code name.givenName}, {@code name.familyName}, {@code displayName}) may hold. */
    public static final int MAX_NAME = DisplayName.MAX_LENGTH;
    /** An email's {@code type} ("work", "home", "other" or the client's own word). */
    public static final int MAX_EMAIL_TYPE = 64;

    public Provisioning {
        Objects.requireNonNull(userName);
    }

    /** Without the displayName and the email's type the identity provider sent (it sent none). */
    public Provisioning(String userName, String externalId, String givenName, String familyName) {
        this(userName, externalId, givenName, familyName, null, null, null);
    }

    /**
     * What an identity provider sent, held to {@link BoundedText}'s rule: {@code userName} required, the
     * others absent when null or blank; each bounded and free of control and formatting characters.
     * (The constructor does not check: members stored before this rule must still be read.)
     *
     * @throws dev.wsl.core.failure.InvalidInput {@code invalid-value} naming the attribute
     */
    public static Provisioning parse(String userName, String externalId, String givenName, String familyName,
                                     String displayName, String emailType, Boolean emailPrimary) {
        return new Provisioning(BoundedText.required("'userName'", userName, MAX_USER_NAME, INVALID),
                BoundedText.optional("'externalId'", externalId, MAX_EXTERNAL_ID, INVALID),
                name("'name.givenName'", givenName), name("'name.familyName'", familyName),
                name("'displayName'", displayName),
                BoundedText.optional("'emails.type'", emailType, MAX_EMAIL_TYPE, INVALID), emailPrimary);
    }

    /** {@link #parse} without a displayName or an email's type (the identity provider sent none). */
    public static Provisioning parse(String userName, String externalId, String givenName, String familyName) {
        return parse(userName, externalId, givenName, familyName, null, null, null);
    }

    /** A name part an identity provider sent ({@code name.*}, {@code displayName}): null when absent or blank. */
    public static String name(String attribute, String raw) {
        return BoundedText.optional(attribute, raw, MAX_NAME, INVALID);
    }

    /** SCIM's {@code invalidValue}. */
    private static final String INVALID = "invalid-value";

    /** The form uniqueness and lookups use: RFC 7643 makes {@code userName} case-insensitive. */
    public String userNameKey() {
        return userNameKey(userName);
    }

    public static String userNameKey(String userName) {
        return userName.toLowerCase(Locale.ROOT);
    }
}
