package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a SCIM request asks of a fixed group, read from its body: a replacement (PUT) or the operations of a
 * PATCH as Okta and Entra ID send them, per member id in or out. Groups are fixed: their name cannot change.
 */
final class GroupRequests {
    private GroupRequests() {}

    /** What a request asks of a group, per member id: in (true) or out (false); and whether it replaces the list. */
    static final class Wanted {
        final Map<String, Boolean> members = new LinkedHashMap<>();
        boolean wholeGroup;
        String request;
    }

    /** The members of a PUT body (displayName must stay). */
    static Wanted fromReplacement(ScimGroups.Group g, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", "The body must be a SCIM Group object.");
        }
        checkName(g, ScimJson.get(body, "displayName"));
        Wanted w = new Wanted();
        w.wholeGroup = true;
        ids(ScimJson.get(body, "members")).forEach(id -> w.members.put(id, true));
        w.request = "PUT /Groups/" + g.id() + " with " + w.members.size() + " members";
        return w;
    }

    /** The operations of a PATCH body, in order, as Okta and Entra ID send them. */
    static Wanted fromPatch(ScimGroups.Group g, ScimPatch patch, Set<String> current) {
        Wanted w = new Wanted();
        for (ScimPatch.Operation op : patch.operations()) {
            for (Map.Entry<String, JsonNode> target : ScimPatch.targets(op)) {
                String path = withoutUrn(target.getKey());
                String lower = path.toLowerCase(Locale.ROOT);
                JsonNode value = target.getValue();
                if (lower.equals("displayname")) {
                    if (op.op() == ScimPatch.Op.REMOVE) {
                        throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "A group's displayName cannot be removed.");
                    }
                    checkName(g, value);
                } else if (membersOperation(w, op.op(), path, value, current)) {
                    continue;
                } else if (!lower.equals("id") && !lower.equals("externalid") && !lower.equals("meta")) {
                    throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "A group's members and displayName are its only attributes; '"
                            + (path.length() > 60 ? path.substring(0, 60) + "…" : path) + "' is not one.");
                }
            }
        }
        w.request = "PATCH /Groups/" + g.id() + " with " + patch.operations().size() + " operation"
                + (patch.operations().size() == 1 ? "" : "s");
        return w;
    }

    /**
     * A PATCH operation on a group's members, as Okta and Entra ID send them ({@code members} with add,
     * remove (all, or some) or replace; {@code members[value eq "id"]} with remove), into {@code w}.
     *
     * @param current the group's members, for a replacement or a removal of all (else unused)
     * @return false when the path is not about members
     */
    static boolean membersOperation(Wanted w, ScimPatch.Op op, String path, JsonNode value, Set<String> current) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.equals("members")) {
            switch (op) {
                case ADD -> ids(value).forEach(id -> w.members.put(id, true));
                case REMOVE -> {
                    if (value == null || value.isNull()) {
                        w.wholeGroup = true;
                        current.forEach(id -> w.members.put(id, false));
                        w.members.replaceAll((id, in) -> false);
                    } else {
                        ids(value).forEach(id -> w.members.put(id, false));
                    }
                }
                case REPLACE -> {
                    w.wholeGroup = true;
                    Set<String> next = new LinkedHashSet<>(ids(value));
                    current.forEach(id -> w.members.put(id, next.contains(id)));
                    w.members.replaceAll((id, in) -> next.contains(id));
                    next.forEach(id -> w.members.put(id, true));
                }
            }
            return true;
        }
        if (lower.startsWith("members[")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?i)^members\\[\\s*value\\s+eq\\s+\"([^\"]+)\"\\s*\\]$").matcher(path);
            if (!m.matches() || op != ScimPatch.Op.REMOVE) {
                throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "Only remove with members[value eq \"<id>\"] is supported.");
            }
            w.members.put(m.group(1), false);
            return true;
        }
        return false;
    }

    /** A PATCH path without the Group schema's URN, stripped. */
    static String withoutUrn(String rawPath) {
        String path = rawPath.strip();
        return path.toLowerCase(Locale.ROOT).startsWith(ScimSchemas.GROUP.toLowerCase(Locale.ROOT) + ":")
                ? path.substring(ScimSchemas.GROUP.length() + 1) : path;
    }

    /** Whether answering the request needs the group's current members (a replacement or a removal of all). */
    static boolean needsCurrent(ScimPatch patch) {
        for (ScimPatch.Operation op : patch.operations()) {
            for (Map.Entry<String, JsonNode> t : ScimPatch.targets(op)) {
                if (withoutUrn(t.getKey()).equalsIgnoreCase("members")
                        && (op.op() == ScimPatch.Op.REPLACE || (op.op() == ScimPatch.Op.REMOVE && op.value() == null))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkName(ScimGroups.Group g, JsonNode name) {
        if (name == null || name.isNull()) {
            return;
        }
        if (!name.isTextual() || !name.textValue().strip().equals(g.displayName())) {
            throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "Groups are fixed: " + g.displayName()
                    + " cannot be renamed (it is a role or a subscription of the workspace).");
        }
    }

    /** The ids of a members value: an array of {@code {"value": id}} (or one such object). */
    static List<String> ids(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Iterable<JsonNode> items = value.isArray() ? value : List.of(value);
        for (JsonNode item : items) {
            JsonNode v = ScimJson.get(item, "value");
            if (v == null || !v.isTextual() || v.textValue().isBlank()) {
                throw new InvalidInput("invalid-value", "Each member must be an object with the user's id as 'value'.");
            }
            out.add(v.textValue().strip());
        }
        return out;
    }
}
