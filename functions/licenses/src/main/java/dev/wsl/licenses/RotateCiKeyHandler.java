package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.api.RotationRequest;

/**
 * {@code POST /workspaces/{workspaceId}/ci-keys/{keyId}/rotate} ({@code ci-keys:manage}): a new secret for the key,
 * shown once in this answer; the old one stops at once, or with {@code {"overlapHours": n}} keeps activating for
 * {@code n} hours (at most a week), so that pipelines move over without a gap.
 */
public final class RotateCiKeyHandler extends HttpApiHandler {
    private final CiKeyService keys;

    public RotateCiKeyHandler() {
        this(LicenseServices.ciKeys());
    }

    RotateCiKeyHandler(CiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var rotated = keys.rotate(request.caller(), request.path("workspaceId"), request.path("keyId"),
                RotationRequest.overlap(request));
        return ApiResponse.created(LicenseViews.createdCiKey(rotated.credential(), rotated.plaintext()));
    }
}
