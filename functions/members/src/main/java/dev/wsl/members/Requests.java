package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Role;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.JsonBody;
import java.util.List;

/** Parsing of query parameters and body fields shared by several handlers. */
final class Requests {
    static final int DEFAULT_PAGE_SIZE = 25;
    static final int MAX_PAGE_SIZE = 100;

    private Requests() {}

    static int limit(ApiRequest request) {
        return request.query("limit").map(raw -> {
            try {
                int limit = Integer.parseInt(raw);
                if (limit >= 1 && limit <= MAX_PAGE_SIZE) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new InvalidInput("invalid-limit", "limit must be an integer from 1 to " + MAX_PAGE_SIZE + ".");
        }).orElse(DEFAULT_PAGE_SIZE);
    }

    static boolean flag(ApiRequest request, String name) {
        return request.query(name).map(raw -> switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInput("invalid-query", name + " must be true or false.");
        }).orElse(false);
    }

    /** Role (default MEMBER) and, for MEMBER, advanced permissions. */
    static Access access(JsonBody body, boolean roleRequired) {
        Role role = roleRequired ? Role.parse(body.requiredString("role"))
                : body.optionalString("role").map(Role::parse).orElse(Role.MEMBER);
        List<String> names = body.optionalStringList("permissions", Permission.values().length).orElse(List.of());
        return new Access(role, Permission.parseAll(names));
    }
}
