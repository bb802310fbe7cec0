package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActivationRequestTest {
    private static final String CLIENT_BODY = "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"ls-x\"},"
            + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"2026.8.2\"},"
            + "\"machine\":{\"id\":\"abc\",\"cli\":true,\"ci\":true,\"system\":\"Linux,6.1,x86_64\"},"
            + "\"license_id\":\"license_1\"}";

    @Test
    void parse_shouldReadWhatTheClientSends() throws Exception {
        ActivationRequest r = ActivationRequest.parse(CLIENT_BODY);

        assertThat(r.credentialType()).isEqualTo(ActivationRequest.AUTH_TOKEN);
        assertThat(r.credential()).isEqualTo("ls-x");
        assertThat(r.productVersion()).isEqualTo("2026.8.2");
        assertThat(r.machineId()).isEqualTo("abc");
        assertThat(r.system()).isEqualTo("Linux,6.1,x86_64");
        assertThat(r.ci()).isTrue();
        assertThat(r.licenseId()).isEqualTo("license_1");
    }

    @Test
    void parse_shouldIgnoreFieldsANewerClientMightAdd() throws Exception {
        ActivationRequest r = ActivationRequest.parse("{\"credentials\":{\"type\":\"licensing-api-key\",\"token\":\"k\","
                + "\"scope\":[1,{\"a\":2}]},\"future\":{\"x\":[true]},\"machine\":{\"gpu\":null}}");

        assertThat(r.credentialType()).isEqualTo(ActivationRequest.API_KEY);
        assertThat(r.ci()).isFalse();
        assertThat(r.licenseId()).isNull();
    }

    @Test
    void parse_shouldRefuseWhatIsNotTheProtocol() {
        for (String body : new String[] {null, "", "[]", "nope", "{\"credentials\":{}}",
                "{\"credentials\":{\"type\":\"password\",\"token\":\"x\"}}",
                "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":7}}",
                "{\"credentials\":\"ls-x\"}",
                "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"x\"},\"machine\":{\"ci\":\"yes\"}}",
                "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"x\"}} {}",
                "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"" + "x".repeat(600) + "\"}}",
                "{\"pad\":\"" + "x".repeat(17_000) + "\"}"}) {
            assertThatThrownBy(() -> ActivationRequest.parse(body)).as(String.valueOf(body))
                    .isInstanceOf(ActivationRequest.Malformed.class);
        }
    }

    @Test
    void parse_shouldCountBytes_andSayTooLarge() {
        assertThatThrownBy(() -> ActivationRequest.parse("{\"pad\":\"" + "€".repeat(6_000) + "\"}"))
                .as("6,000 three-byte characters").isInstanceOf(ActivationRequest.TooLarge.class);
        assertThatThrownBy(() -> ActivationRequest.parse("{\"pad\":\"" + "x".repeat(17_000) + "\"}"))
                .isInstanceOf(ActivationRequest.TooLarge.class);
    }

    @Test
    void toString_shouldNotShowTheCredential() throws Exception {
        assertThat(ActivationRequest.parse(CLIENT_BODY).toString()).doesNotContain("ls-x");
    }
}
