package dev.wsl.activation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The body LocalStack's licensing client posts to {@code /license/request} and
 * {@code /license/activate} (LOCALSTACK-LICENSING.md). Parsed with Jackson's streaming parser
 * only: no data binding on the hot path. Unknown fields are ignored rather than refused, unlike
 * on the management API: the client is released on its own schedule, and a field a newer client
 * adds must not stop every LocalStack from starting.
 *
 * @param licenseId only on {@code /license/activate}: the id of the cached license
 */
public record ActivationRequest(String credentialType, String credential, String productName, String productVersion,
                                String machineId, String system, boolean ci, String licenseId) {

    public static final String AUTH_TOKEN = "licensing-auth-token";
    public static final String API_KEY = "licensing-api-key";
    static final int MAX_BODY = 16 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Thrown for a body that is not the protocol's JSON; the message says what is wrong. */
    public static sealed class Malformed extends Exception permits TooLarge {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The body is larger than {@link #MAX_BODY} bytes (UTF-8), whatever it holds: refused before parsing. */
    public static final class TooLarge extends Malformed {
        TooLarge() {
            super("The request body is larger than " + MAX_BODY + " bytes.");
        }
    }

    public static ActivationRequest parse(String body) throws Malformed {
        if (body == null || body.isBlank()) {
            throw new Malformed("The request body must be the licensing client's JSON object.");
        }
        // Bytes, not characters: 10,000 two-byte characters are 20,000 bytes.
        if (body.length() > MAX_BODY || body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY) {
            throw new TooLarge();
        }
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "The request body must be a JSON object.");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "credentials" -> object(p, value, "credentials", (field, token) -> {
                        if (field.equals("type")) {
                            f.type = text(p, token, "credentials.type");
                        } else if (field.equals("token")) {
                            f.token = text(p, token, "credentials.token");
                        } else {
                            p.skipChildren();
                        }
                    });
                    case "product" -> object(p, value, "product", (field, token) -> {
                        if (field.equals("name")) {
                            f.productName = text(p, token, "product.name");
                        } else if (field.equals("version")) {
                            f.productVersion = text(p, token, "product.version");
                        } else {
                            p.skipChildren();
                        }
                    });
                    case "machine" -> object(p, value, "machine", (field, token) -> {
                        switch (field) {
                            case "id" -> f.machineId = text(p, token, "machine.id");
                            case "system" -> f.system = text(p, token, "machine.system");
                            case "ci" -> {
                                expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE,
                                        "machine.ci must be a boolean.");
                                f.ci = token == JsonToken.VALUE_TRUE;
                            }
                            default -> p.skipChildren();
                        }
                    });
                    case "license_id" -> f.licenseId = value == JsonToken.VALUE_NULL ? null : text(p, value, "license_id");
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null,
                    "The request body must be exactly one JSON object.");
        } catch (IOException e) {
            throw new Malformed("The request body is not valid JSON.");
        }
        String type = f.type;
        if (type == null || f.token == null) {
            throw new Malformed("credentials.type and credentials.token are required.");
        }
        expect(type.equals(AUTH_TOKEN) || type.equals(API_KEY),
                "credentials.type must be " + AUTH_TOKEN + " or " + API_KEY + ".");
        return new ActivationRequest(f.type, f.token, f.productName, f.productVersion, f.machineId, f.system, f.ci,
                f.licenseId);
    }

    /**
     * What the credential presents itself as, from its type and prefix alone ({@code auth-token},
     * {@code ci-key}, {@code legacy-key}): a label for logs and metrics, not a check of the credential.
     */
    public String claimedKind() {
        if (credentialType.equals(API_KEY)) {
            return "legacy-key";
        }
        return credential.startsWith(dev.wsl.core.domain.AuthTokens.CI_PREFIX) ? "ci-key" : "auth-token";
    }

    @Override
    public String toString() {
        return "ActivationRequest[type=" + credentialType + ", product=" + productName + " " + productVersion
                + ", machine=" + machineId + ", ci=" + ci + "]";
    }

    private static final class Fields {
        String type;
        String token;
        String productName;
        String productVersion;
        String machineId;
        String system;
        boolean ci;
        String licenseId;
    }

    private interface FieldReader {
        void read(String field, JsonToken value) throws IOException, Malformed;
    }

    private static void object(JsonParser p, JsonToken start, String name, FieldReader reader)
            throws IOException, Malformed {
        expect(start == JsonToken.START_OBJECT, name + " must be an object.");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            reader.read(field, p.nextToken());
        }
    }

    private static String text(JsonParser p, JsonToken token, String name) throws IOException, Malformed {
        expect(token == JsonToken.VALUE_STRING, name + " must be a string.");
        String value = p.getText();
        expect(value.length() <= 512, name + " is too long.");
        return value;
    }

    private static void expect(boolean condition, String message) throws Malformed {
        if (!condition) {
            throw new Malformed(message);
        }
    }
}
