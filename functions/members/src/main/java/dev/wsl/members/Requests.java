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

    /** A CSV export's page size: 1 to {@code max}, the whole {@code max} by default. */
    static int csvLimit(ApiRequest request, int max) {
        return request.query("limit").map(raw -> {
            try {
                int limit = Integer.parseInt(raw);
                if (limit >= 1 && limit <= max) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new InvalidInput("invalid-limit", "limit must be an integer from 1 to " + max + " for CSV.");
        }).orElse(max);
    }

    /**
     * A CSV page's answer: the text, and RFC 8288's {@code Link} to the next page (the same query with the next
     * cursor) when there is one; the file's name for a client that saves one page as it is.
     */
    static dev.wsl.core.api.ApiResponse csv(ApiRequest request, String path, String fileName, MemberReports.CsvPage page) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("content-disposition", "attachment; filename=\"" + fileName + "\"");
        if (page.nextCursor() != null) {
            java.util.Map<String, String> query = new java.util.TreeMap<>(request.queryParameters());
            query.put("cursor", page.nextCursor());
            StringBuilder next = new StringBuilder(path).append('?');
            query.forEach((k, v) -> next.append(next.charAt(next.length() - 1) == '?' ? "" : "&")
                    .append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
            headers.put("link", "<" + next + ">; rel=\"next\"");
        }
        return dev.wsl.core.api.ApiResponse.text(new dev.wsl.core.api.ApiResponse.Text(dev.wsl.core.api.Csv.CONTENT_TYPE,
                page.text(), headers));
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
