package dev.wsl.core.api;

/**
 * A successful answer: a status and a body that is serialised as JSON (or nothing for 204), or a {@link Text}
 * body sent as it is (a CSV export).
 */
public record ApiResponse(int status, Object body) {
    /** A body in another format than JSON: its content type, its text, and headers of its own (a {@code Link}). */
    public record Text(String contentType, String text, java.util.Map<String, String> headers) {
        public Text {
            java.util.Objects.requireNonNull(contentType);
            java.util.Objects.requireNonNull(text);
            headers = java.util.Map.copyOf(headers);
        }
    }

    public static ApiResponse text(Text body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body);
    }

    public static ApiResponse accepted(Object body) {
        return new ApiResponse(202, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }
}
