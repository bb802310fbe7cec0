package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A PATCH request body (RFC 7644 section 3.5.2) read into operations, accepting the shapes Okta and
 * Microsoft Entra ID send: {@code op} in any case ({@code "Add"}, {@code "replace"}), with or without
 * {@code path}, a path-less {@code value} object whose keys are attribute paths (also dotted ones such as
 * {@code "name.givenName"}), and values as JSON or as Entra's strings ({@code "False"}). Immutable.
 */
public record ScimPatch(List<Operation> operations) {
    static final int MAX_OPERATIONS = 1000;

    public enum Op { ADD, REMOVE, REPLACE }

    /**
     * One operation. {@code path} is as sent (null when absent); {@code value} the raw JSON (null for
     * remove without a value).
     */
    public record Operation(Op op, String path, JsonNode value) {}

    /** @throws InvalidInput {@code invalid-syntax} when the body is no PatchOp, {@code no-target} for a path-less remove */
    public static ScimPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw syntax("The body must be a JSON object with schemas and Operations.");
        }
        JsonNode schemas = ScimJson.get(body, "schemas");
        boolean patchOp = false;
        if (schemas != null && schemas.isArray()) {
            for (JsonNode s : schemas) {
                patchOp |= s.isTextual() && s.textValue().equals(ScimSchemas.PATCH_OP);
            }
        }
        if (!patchOp) {
            throw syntax("schemas must contain " + ScimSchemas.PATCH_OP + ".");
        }
        JsonNode ops = ScimJson.get(body, "Operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw syntax("Operations must be a non-empty array.");
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw new InvalidInput(InvalidInput.Kind.TOO_MANY, "too-many", "At most " + MAX_OPERATIONS + " operations per request.");
        }
        List<Operation> out = new ArrayList<>();
        for (JsonNode o : ops) {
            if (!o.isObject()) {
                throw syntax("Each operation must be an object.");
            }
            JsonNode opNode = ScimJson.get(o, "op");
            if (opNode == null || !opNode.isTextual()) {
                throw syntax("Each operation needs an 'op' of add, remove or replace.");
            }
            Op op;
            try {
                op = Op.valueOf(opNode.textValue().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw syntax("Unknown op '" + opNode.textValue() + "': use add, remove or replace.");
            }
            JsonNode pathNode = ScimJson.get(o, "path");
            if (pathNode != null && !pathNode.isNull() && !pathNode.isTextual()) {
                throw syntax("'path' must be a string.");
            }
            String path = pathNode == null || pathNode.isNull() || pathNode.textValue().isBlank() ? null
                    : pathNode.textValue().strip();
            JsonNode value = ScimJson.get(o, "value");
            if (value != null && value.isNull()) {
                value = null;
            }
            if (op == Op.REMOVE && path == null) {
                throw new InvalidInput(InvalidInput.Kind.NO_TARGET, "no-target", "A remove operation needs a path.");
            }
            if (op != Op.REMOVE && value == null) {
                throw new InvalidInput("invalid-value", "An " + op.name().toLowerCase(Locale.ROOT)
                        + " operation needs a value.");
            }
            if (op != Op.REMOVE && path == null && !value.isObject()) {
                throw new InvalidInput("invalid-value", "Without a path, the value must be an object of attributes.");
            }
            out.add(new Operation(op, path, value));
        }
        return new ScimPatch(List.copyOf(out));
    }

    /**
     * The operation's attributes as (path, value) pairs: itself when it has a path, else each key of its
     * value object (the keys of a path-less value are paths too).
     */
    static List<Map.Entry<String, JsonNode>> targets(Operation op) {
        if (op.path() != null) {
            return List.of(Map.entry(op.path(), op.value() == null ? ScimJson.NULL : op.value()));
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = op.value().properties().iterator(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    static InvalidInput syntax(String detail) {
        return new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", detail);
    }
}
