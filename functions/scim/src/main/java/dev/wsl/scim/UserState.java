package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.domain.DisplayName;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.members.ProvisionedMembers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A SCIM User's attributes as this service keeps them, read from a request (POST, PUT), from a member,
 * and changed by PATCH operations; then turned into what {@link ProvisionedMembers} applies. Supported:
 * {@code userName}, {@code externalId}, {@code name.givenName}, {@code name.familyName}, {@code displayName},
 * {@code emails} and {@code active}; {@code id} and {@code meta} are read-only; every other attribute is
 * accepted and ignored (the Schemas endpoint says what is kept). Not thread-safe: one per request.
 */
final class UserState {
    record Email(String value, String type, boolean primary) {}

    String userName;
    String externalId;
    String givenName;
    String familyName;
    String displayName;
    List<Email> emails = new ArrayList<>();
    boolean active = true;

    /** The attributes of a POST or PUT body. @throws InvalidInput naming what is wrong */
    static UserState fromResource(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", "The body must be a SCIM User object.");
        }
        UserState u = new UserState();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getKey();
            if (path.equalsIgnoreCase("schemas") || path.equalsIgnoreCase("id") || path.equalsIgnoreCase("meta")) {
                continue; // id and meta are the server's; a PUT may echo them back
            }
            u.set(path, e.getValue());
        }
        if (u.userName == null) {
            throw new InvalidInput("invalid-value", "userName is required.");
        }
        return u;
    }

    /**
     * What SCIM shows of a member: for one an identity provider created or adopted, what it set (a
     * {@code displayName} or {@code name} it never sent, or removed, is absent); for one invited by hand,
     * their email as userName and their name as displayName.
     */
    static UserState of(Member m) {
        UserState u = new UserState();
        Provisioning p = m.provisioning();
        u.userName = p == null ? m.email().value() : p.userName();
        u.externalId = p == null ? null : p.externalId();
        u.givenName = p == null ? null : p.givenName();
        u.familyName = p == null ? null : p.familyName();
        u.displayName = p == null ? m.name() : p.displayName();
        u.emails = new ArrayList<>(List.of(new Email(m.email().value(), p == null ? "work" : p.emailType(),
                p == null || p.emailPrimary() == null || p.emailPrimary())));
        u.active = m.status() != MemberStatus.REMOVED;
        return u;
    }

    /** The same attributes, active (a user put back into the Members group). */
    UserState activated() {
        active = true;
        return this;
    }

    /** Applies PATCH operations in order (RFC 7644 section 3.5.2; unknown attributes are ignored). */
    void apply(ScimPatch patch) {
        for (ScimPatch.Operation op : patch.operations()) {
            for (Map.Entry<String, JsonNode> target : ScimPatch.targets(op)) {
                if (op.op() == ScimPatch.Op.REMOVE) {
                    remove(target.getKey());
                } else {
                    set(target.getKey(), target.getValue());
                }
            }
        }
    }

    /** Sets one attribute by its path (any case, with or without the User schema's URN). */
    void set(String rawPath, JsonNode value) {
        String path = path(rawPath);
        switch (path) {
            case "username" -> userName = checked(ScimJson.text(value, "userName"), "userName", Provisioning.MAX_USER_NAME);
            case "externalid" -> externalId = blankToNull(checked(ScimJson.text(value, "externalId"), "externalId",
                    Provisioning.MAX_EXTERNAL_ID));
            case "displayname" -> displayName = blankToNull(ScimJson.text(value, "displayName"));
            case "active" -> active = ScimJson.bool(value, "active");
            case "name" -> {
                if (value.isNull()) {
                    givenName = null;
                    familyName = null;
                } else if (!value.isObject()) {
                    throw new InvalidInput("invalid-value", "'name' must be an object.");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        set("name." + e.getKey(), e.getValue());
                    }
                }
            }
            case "name.givenname" -> givenName = blankToNull(ScimJson.text(value, "name.givenName"));
            case "name.familyname" -> familyName = blankToNull(ScimJson.text(value, "name.familyName"));
            case "name.formatted" -> Provisioning.name("'name.formatted'", ScimJson.text(value, "name.formatted")); // checked, not kept
            case "emails" -> emails = emails(value);
            case "id" -> throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "'id' is assigned by the service and cannot be changed.");
            default -> {
                if (path.startsWith("emails[")) {
                    setEmailByFilter(path, value);
                }
                // Any other attribute (title, phoneNumbers, addresses, the enterprise extension …) is not kept.
            }
        }
    }

    void remove(String rawPath) {
        String path = path(rawPath);
        switch (path) {
            case "username" -> throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "userName is required and cannot be removed.");
            case "id" -> throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "'id' is assigned by the service and cannot be removed.");
            case "externalid" -> externalId = null;
            case "displayname" -> displayName = null;
            case "name" -> {
                givenName = null;
                familyName = null;
            }
            case "name.givenname" -> givenName = null;
            case "name.familyname" -> familyName = null;
            case "emails" -> throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "emails is required: the membership binds to an "
                    + "email; replace it instead of removing it.");
            case "active" -> throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "active is required and cannot be removed; set it to false.");
            default -> {
                if (path.startsWith("emails[")) {
                    String type = emailFilterType(path);
                    emails.removeIf(e -> type.equalsIgnoreCase(e.type()));
                }
            }
        }
    }

    /** What the member service applies: the email the membership binds to and the name to show. */
    ProvisionedMembers.Provisioned provisioned() {
        Email chosen = chosenEmail();
        EmailAddress email = email(chosen);
        // Every text the IdP sent is held to the one rule (BoundedText) here, where SCIM builds the member.
        Provisioning idp = Provisioning.parse(userName, externalId, givenName, familyName, displayName,
                chosen == null ? null : chosen.type(), chosen == null ? null : chosen.primary());
        String name = firstName(idp.displayName(), joined(idp.givenName(), idp.familyName()), idp.userName(),
                email.value().substring(0, email.value().indexOf('@')));
        return new ProvisionedMembers.Provisioned(idp, name, email, active);
    }

    EmailAddress email() {
        return email(chosenEmail());
    }

    /**
     * The email the membership binds to: the one typed {@code work}, else the one marked primary, else the
     * only one (RFC 7643 leaves the type to the client: Okta marks its email primary, Entra ID types it work,
     * others send home or other). Several, none of them work or primary, is refused: which one is the
     * person's cannot be guessed. None: null, and the userName stands in when it is an email.
     *
     * @throws InvalidInput {@code invalid-value} naming what to send
     */
    Email chosenEmail() {
        if (emails.isEmpty()) {
            return null;
        }
        List<Email> work = emails.stream().filter(e -> "work".equalsIgnoreCase(e.type())).toList();
        if (work.size() == 1) {
            return work.getFirst();
        }
        List<Email> primary = (work.isEmpty() ? emails : work).stream().filter(Email::primary).toList();
        if (primary.size() == 1) {
            return primary.getFirst();
        }
        if (emails.size() == 1) {
            return emails.getFirst();
        }
        throw new InvalidInput("invalid-value", "The user has " + emails.size() + " emails"
                + (work.size() > 1 ? ", " + work.size() + " of them of type work," : "")
                + " and none tells which one the membership binds to: mark one \"primary\": true, or send one "
                + "email of type \"work\".");
    }

    /** The chosen email's address; without one, the userName when it is an email (Okta sends the email as userName). */
    private EmailAddress email(Email chosen) {
        String candidate = chosen != null ? chosen.value() : userName;
        try {
            return EmailAddress.parse(candidate);
        } catch (InvalidInput notAnEmail) {
            throw new InvalidInput("invalid-value", chosen != null
                    ? "The user's email '" + shorten(candidate) + "' is not a valid address."
                    : "The user needs an email: send emails (e.g. one of type work, or one marked primary), "
                    + "or an email as userName.");
        }
    }

    private static List<Email> emails(JsonNode value) {
        if (value.isNull()) {
            return new ArrayList<>();
        }
        if (!value.isArray()) {
            throw new InvalidInput("invalid-value", "'emails' must be an array.");
        }
        if (value.size() > 20) {
            throw new InvalidInput("invalid-value", "At most 20 emails.");
        }
        List<Email> out = new ArrayList<>();
        for (JsonNode e : value) {
            if (!e.isObject()) {
                throw new InvalidInput("invalid-value", "Each email must be an object with a value.");
            }
            String v = ScimJson.text(ScimJson.get(e, "value"), "emails.value");
            if (v == null) {
                throw new InvalidInput("invalid-value", "Each email needs a value.");
            }
            JsonNode primary = ScimJson.get(e, "primary");
            out.add(new Email(v, ScimJson.text(ScimJson.get(e, "type"), "emails.type"),
                    primary != null && !primary.isNull() && ScimJson.bool(primary, "emails.primary")));
        }
        return out;
    }

    /** Entra ID's {@code emails[type eq "work"].value}: sets the value of the email of that type. */
    private void setEmailByFilter(String path, JsonNode value) {
        String type = emailFilterType(path);
        if (!path.endsWith("].value")) {
            return; // emails[type eq "work"].primary and the like change nothing that is kept
        }
        String v = ScimJson.text(value, "emails.value");
        // The email of that type keeps its primary mark; a new one is primary when it is the only one.
        boolean primary = emails.stream().filter(e -> type.equalsIgnoreCase(e.type())).anyMatch(Email::primary);
        emails.removeIf(e -> type.equalsIgnoreCase(e.type()));
        if (v != null && !v.isBlank()) {
            emails.addFirst(new Email(v, type, primary || emails.isEmpty()));
        }
    }

    private static final java.util.regex.Pattern EMAIL_FILTER =
            java.util.regex.Pattern.compile("^emails\\[\\s*type\\s+eq\\s+\"([^\"]*)\"\\s*\\](\\.[a-z]+)?$");

    /** The type in {@code emails[type eq "work"]…}. @throws InvalidInput for any other value filter */
    private static String emailFilterType(String path) {
        java.util.regex.Matcher m = EMAIL_FILTER.matcher(path);
        if (!m.matches()) {
            throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "Unsupported path '" + shorten(path)
                    + "'; emails are addressed as emails[type eq \"work\"].value.");
        }
        return m.group(1);
    }

    private static final java.util.regex.Pattern RAW_EMAIL_FILTER = java.util.regex.Pattern.compile(
            "(?i)^emails\\[\\s*type\\s+eq\\s+\"([^\"]*)\"\\s*\\](?:\\.([a-z]+))?$");

    /**
     * Lower-case, without the User schema's URN; a value filter is written one way
     * ({@code emails[type eq "work"].value}, the type as sent).
     */
    private static String path(String raw) {
        String p = raw.strip();
        String urn = ScimSchemas.USER + ":";
        if (p.regionMatches(true, 0, urn, 0, urn.length())) {
            p = p.substring(urn.length());
        }
        if (p.indexOf('[') >= 0) {
            java.util.regex.Matcher m = RAW_EMAIL_FILTER.matcher(p);
            if (!m.matches()) {
                throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "Unsupported path '" + shorten(p)
                        + "'; emails are addressed as emails[type eq \"work\"].value.");
            }
            return "emails[type eq \"" + m.group(1) + "\"]" + (m.group(2) == null ? "" : "." + m.group(2).toLowerCase(Locale.ROOT));
        }
        if (p.contains(":")) {
            return p.toLowerCase(Locale.ROOT); // another schema's attribute (an extension): not kept
        }
        try {
            return ScimFilter.canonical(p);
        } catch (InvalidInput notAPath) {
            throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "'" + shorten(p) + "' is not an attribute path.");
        }
    }

    private static String checked(String value, String attribute, int max) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("invalid-value", "'" + attribute + "' must be at most " + max
                    + " characters without control characters.");
        }
        if (attribute.equals("userName") && v.isEmpty()) {
            throw new InvalidInput("invalid-value", "userName must not be empty.");
        }
        return v;
    }

    private static String firstName(String... candidates) {
        for (String c : candidates) {
            if (c != null && DisplayName.isValid(c.strip())) {
                return c.strip();
            }
        }
        return "Provisioned user";
    }

    private static String joined(String given, String family) {
        String joined = ((given == null ? "" : given) + " " + (family == null ? "" : family)).strip();
        return joined.isEmpty() ? null : joined;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** The SCIM representation of a member. */
    static ObjectNode resource(Member m, String baseUrl) {
        UserState u = of(m);
        ObjectNode r = ScimJson.object();
        r.putArray("schemas").add(ScimSchemas.USER);
        r.put("id", m.memberId());
        if (u.externalId != null) {
            r.put("externalId", u.externalId);
        }
        r.put("userName", u.userName);
        String formatted = joined(u.givenName, u.familyName);
        if (formatted != null || !m.provisioned()) {
            ObjectNode name = r.putObject("name");
            if (u.givenName != null) {
                name.put("givenName", u.givenName);
            }
            if (u.familyName != null) {
                name.put("familyName", u.familyName);
            }
            if (!m.provisioned()) {
                name.put("formatted", m.name()); // a member invited by hand: the name they were invited or signed in with
            }
        }
        if (u.displayName != null) {
            r.put("displayName", u.displayName);
        }
        ObjectNode email = r.putArray("emails").addObject().put("value", m.email().value());
        if (u.emails.getFirst().type() != null) {
            email.put("type", u.emails.getFirst().type());
        }
        email.put("primary", u.emails.getFirst().primary());
        r.put("active", u.active);
        ObjectNode meta = r.putObject("meta");
        meta.put("resourceType", "User");
        if (m.invitedAt() != null) {
            meta.put("created", m.invitedAt().toString());
        }
        var last = java.util.stream.Stream.of(m.invitedAt(), m.acceptedAt(), m.removedAt())
                .filter(java.util.Objects::nonNull).max(java.util.Comparator.naturalOrder());
        last.ifPresent(t -> meta.put("lastModified", t.toString()));
        meta.put("location", baseUrl + "/Users/" + m.memberId());
        return r;
    }

    static String normalisedType(String type) {
        return type == null ? null : type.toLowerCase(Locale.ROOT);
    }
}
