package dev.wsl.core.api;

import dev.wsl.core.domain.Overlap;
import dev.wsl.core.json.JsonBody;
import java.time.Duration;
import java.util.Set;

/**
 * The body of a rotation ({@code POST /me/auth-token/rotate}, {@code POST …/ci-keys/{keyId}/rotate}): optional;
 * {@code {"overlapHours": n}} keeps the old credential valid for {@code n} hours (0 to {@value Overlap#MAX_HOURS});
 * without it, as before, the old one stops at once (what a leak needs).
 */
public final class RotationRequest {
    static final String OVERLAP_HOURS = "overlapHours";

    private RotationRequest() {}

    /**
     * @return the overlap asked for, {@link Duration#ZERO} for none
     * @throws dev.wsl.core.failure.InvalidInput for malformed JSON, an unknown field or hours out of range
     */
    public static Duration overlap(ApiRequest request) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            return Duration.ZERO;
        }
        return Duration.ofHours(JsonBody.parse(body, Set.of(OVERLAP_HOURS))
                .optionalInt(OVERLAP_HOURS, 0, Overlap.MAX_HOURS).orElse(0));
    }
}
