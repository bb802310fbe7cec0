package dev.wsl.scim;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.api.FailureRenderer;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.json.JsonNodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SCIM's renderer: every refusal as a SCIM error (RFC 7644 section 3.12: {@code schemas}, {@code status} as a string,
 * {@code scimType} where the RFC defines one, {@code detail}), in {@code application/scim+json}. The status follows
 * from the failure's type and the {@code scimType} from the type or from {@link InvalidInput#kind()}, never from a
 * slug. Two answers differ from problem+json on purpose: {@link Gone} is {@code 404} (an identity provider treats
 * a resource that ended as one that is not there, and RFC 7644 names no 410), and {@link AlreadyExists} is
 * {@code 409 uniqueness}. A 401 carries {@code WWW-Authenticate}, a 503 {@code Retry-After} (identity providers
 * retry those).
 */
final class ScimErrors implements FailureRenderer {
    static final ScimErrors RENDERER = new ScimErrors();
    static final String SCIM_JSON = "application/scim+json";

    private ScimErrors() {}

    @Override
    public APIGatewayV2HTTPResponse failure(Failure f, String requestId) {
        return switch (f) {
            case InvalidInput e -> error(400, scimType(e), e.detail());
            case Unauthenticated e -> error(401, null, e.detail());
            case Forbidden e -> error(403, null, e.detail());
            case NotFound e -> error(404, null, e.detail());
            case AlreadyExists e -> error(409, "uniqueness", e.detail());
            case Conflict e -> error(409, null, e.detail());
            // The table could not take the request just now (not a conflict with the resource): retry later.
            case Busy e -> error(503, null, e.detail());
            case Gone e -> error(404, null, e.detail());
            case TooManyRequests e -> error(429, null, e.detail()); // no SCIM use case sends invitations
        };
    }

    @Override
    public APIGatewayV2HTTPResponse unavailable(String requestId) {
        // Throttled, failing or too slow through the SDK's attempts: the identity provider retries a 503 later.
        return error(503, null, "A service this request needs did not answer in time; retry in a few seconds.");
    }

    @Override
    public APIGatewayV2HTTPResponse internal(String requestId) {
        return error(500, null, "The request could not be completed; quote request id " + requestId + ".");
    }

    /** RFC 7644's {@code scimType} of a refused input: its declared kind. */
    static String scimType(InvalidInput e) {
        return switch (e.kind()) {
            case VALUE -> "invalidValue";
            case SYNTAX -> "invalidSyntax";
            case FILTER -> "invalidFilter";
            case PATH -> "invalidPath";
            case NO_TARGET -> "noTarget";
            case MUTABILITY -> "mutability";
            case TOO_MANY -> "tooMany";
        };
    }

    static APIGatewayV2HTTPResponse error(int status, String scimType, String detail) {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("content-type", SCIM_JSON, "cache-control", "no-store"));
        if (status == 401) {
            headers.put("www-authenticate", "Bearer realm=\"scim\"");
        }
        if (status == 503) {
            headers.put("retry-after", "2");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(JsonNodes.write(ScimJson.error(status, scimType, detail))).build();
    }
}
