package dev.wsl.core.api;

import java.util.Map;
import java.util.Objects;

/**
 * A refusal that carries its HTTP status and its RFC 9457 problem fields.
 * Everything a caller may read is given here explicitly; the message of an
 * unexpected exception never reaches a response. Mapped to a response in
 * exactly one place, {@link HttpApiHandler}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final Map<String, Object> extensions;

    public ApiException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(type + ": " + detail, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.type = Objects.requireNonNull(type);
        this.title = Objects.requireNonNull(title);
        this.detail = Objects.requireNonNull(detail);
        this.extensions = Map.copyOf(extensions);
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(400, type, "Bad request", detail, Map.of());
    }

    public static ApiException unauthorized(String type, String detail) {
        return new ApiException(401, type, "Unauthorized", detail, Map.of());
    }

    public static ApiException forbidden(String type, String detail) {
        return new ApiException(403, type, "Forbidden", detail, Map.of());
    }

    public static ApiException notFound(String type, String detail) {
        return new ApiException(404, type, "Not found", detail, Map.of());
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(409, type, "Conflict", detail, Map.of());
    }

    public static ApiException conflict(String type, String detail, Map<String, Object> extensions) {
        return new ApiException(409, type, "Conflict", detail, extensions);
    }

    public static ApiException gone(String type, String detail) {
        return new ApiException(410, type, "Gone", detail, Map.of());
    }

    public int status() {
        return status;
    }

    /** Short slug; the problem "type" member becomes {@code urn:problem:wsl:<slug>}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
