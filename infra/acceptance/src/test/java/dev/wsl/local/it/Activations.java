package dev.wsl.local.it;

/** Activation requests as the LocalStack client sends them, through the local gateway. */
final class Activations {
    static final String VERSION = "2026.8.2";

    private Activations() {}

    /** The caller's personal auth token, as its owner views it. */
    static String authToken(Api api, Api.User user) {
        return api.call(user, "GET", "/me/auth-token", null).expect(200).text("token");
    }

    static Api.Response request(Api api, String token, boolean ci) {
        return api.call((String) null, "POST", "/v1/license/request", body("licensing-auth-token", token, ci, null));
    }

    static Api.Response requestWithApiKey(Api api, String key, boolean ci) {
        return api.call((String) null, "POST", "/v1/license/request", body("licensing-api-key", key, ci, null));
    }

    static Api.Response activate(Api api, String token, String licenseId) {
        return api.call((String) null, "POST", "/v1/license/activate", body("licensing-auth-token", token, false, licenseId));
    }

    static String body(String type, String credential, boolean ci, String licenseId) {
        return "{\"credentials\":{\"type\":\"" + type + "\",\"token\":\"" + credential + "\"},"
                + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"" + VERSION + "\"},"
                + "\"machine\":{\"id\":\"machine-1\",\"cli\":true,\"ci\":" + ci + ",\"system\":\"Linux,6.1,x86_64\"}"
                + (licenseId == null ? "" : ",\"license_id\":\"" + licenseId + "\"") + "}";
    }
}
