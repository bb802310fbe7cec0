package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.json.JsonBody;
import dev.wsl.core.json.JsonValue;
import java.util.Set;

/**
 * The seat policy, admins only (one function for its two routes, issue 21):
 * {@code PUT /workspaces/{workspaceId}/seat-policy} sets idle days and the reclaim policy
 * ({@code {"idleDays": 30|60|90, "reclaim": true|false, "reclaimDays": 30|60|90}}, each optional: what is left out
 * stays as it is), and {@code GET …/seat-policy/reclaim-preview} lists what the next scheduled run would do with the
 * idle seats (paged: {@code limit}, {@code cursor}).
 */
public final class SeatPolicyHandler extends HttpApiHandler {
    private final SeatService seats;

    public SeatPolicyHandler() {
        this(LicenseServices.seats());
    }

    SeatPolicyHandler(SeatService seats) {
        this.seats = seats;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        return switch (request.routeKey() == null ? "" : request.routeKey()) {
            case "PUT /workspaces/{workspaceId}/seat-policy" -> {
                JsonBody body = JsonBody.parse(request.body(), Set.of("idleDays", "reclaim", "reclaimDays"));
                Integer idleDays = body.optionalInt("idleDays", 1, 365).orElse(null);
                Integer reclaimDays = body.optionalInt("reclaimDays", 1, 365).orElse(null);
                Boolean reclaim = null;
                if (body.has("reclaim")) {
                    if (!(body.node("reclaim") instanceof JsonValue.Bool given)) {
                        throw new InvalidInput("invalid-field", "Field 'reclaim' must be true or false.");
                    }
                    reclaim = given.value();
                }
                yield ApiResponse.ok(LicenseViews.policy(seats.setPolicy(request.caller(), ws, idleDays, reclaim,
                        reclaimDays), seats.rules().noticeDays()));
            }
            case "GET /workspaces/{workspaceId}/seat-policy/reclaim-preview" -> ApiResponse.ok(LicenseViews.preview(
                    seats.preview(request.caller(), ws, PreviewRequests.limit(request),
                            request.query("cursor").orElse(null)), seats.rules().noticeDays()));
            default -> throw new NotFound("not-found", "No such route.");
        };
    }

    /** The preview's page size: 1 to 100, 25 by default (as every list). */
    static final class PreviewRequests {
        private PreviewRequests() {}

        static int limit(ApiRequest request) {
            return request.query("limit").map(raw -> {
                try {
                    int limit = Integer.parseInt(raw);
                    if (limit >= 1 && limit <= 100) {
                        return limit;
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw new InvalidInput("invalid-limit", "limit must be an integer from 1 to 100.");
            }).orElse(25);
        }
    }
}
