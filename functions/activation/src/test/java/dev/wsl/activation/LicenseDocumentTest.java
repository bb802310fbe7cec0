package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Test vectors computed with the real LocalStack client's signer (docs/localstack-licensing-client.md). */
class LicenseDocumentTest {
    private static final LicenseDocument VECTOR = new LicenseDocument(
            "license_00000000-0000-4000-8000-000000000001", "Pro",
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
            List.of(new LicenseDocument.Product("localstack-pro", "*"), new LicenseDocument.Product("alpha", "1")),
            "ACTIVE", null, Instant.parse("2026-01-02T00:00:00Z"));

    @Test
    void signature_shouldMatchTheClientsVector_forAnAuthToken() {
        assertThat(VECTOR.signature("ls-ABCDabcd-1234-5678-9012-345678901b59"))
                .isEqualTo("7fd01cc698cc605b4b7570eb4ac77adc6c6d399c67d166da11e74d5de8dcb95b");
    }

    @Test
    void signature_shouldMatchTheClientsVector_forALegacyKey() {
        assertThat(VECTOR.signature("MyLegacyKey42"))
                .isEqualTo("ba04c8e12807b5a4eceb56881ad87a6fb1270249f0eebac80d86a24ae2f3bc06");
    }

    @Test
    void dates_shouldBeWholeSecondsWithAnExplicitUtcOffset_asPythonWritesThem() {
        assertThat(LicenseDocument.isoSeconds(Instant.parse("2026-11-27T18:00:00.987Z")))
                .isEqualTo("2026-11-27T18:00:00+00:00");
        LicenseDocument withMillis = new LicenseDocument(VECTOR.id(), "Pro",
                Instant.parse("2026-01-01T00:00:00.999Z"), VECTOR.expiryDate(), VECTOR.products(), "ACTIVE", null,
                VECTOR.reactivateAfter());
        assertThat(withMillis.signature("MyLegacyKey42")).isEqualTo(VECTOR.signature("MyLegacyKey42"));
    }
}
