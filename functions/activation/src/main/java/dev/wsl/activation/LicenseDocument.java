package dev.wsl.activation;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The license document (format 1) that LocalStack caches, and its signature: HMAC-SHA256
 * keyed with the presented credential over id, products sorted by (name, version),
 * format, issue and expiry dates, type, status and reactivate-after, concatenated. Dates
 * are whole seconds in UTC written as Python's {@code isoformat(timespec="seconds")} writes
 * them ({@code 2026-11-27T18:00:00+00:00}), because the client re-serialises them that way
 * before it checks the signature.
 */
public record LicenseDocument(String id, String licenseType, Instant issueDate, Instant expiryDate,
                              List<Product> products, String licenseStatus, Instant lastActivated,
                              Instant reactivateAfter) {

    public static final String FORMAT = "1";
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** A product the license covers; version {@code *} means any. */
    public record Product(String name, String version) {}

    public LicenseDocument {
        Objects.requireNonNull(id);
        issueDate = issueDate.truncatedTo(ChronoUnit.SECONDS);
        expiryDate = expiryDate.truncatedTo(ChronoUnit.SECONDS);
        lastActivated = lastActivated == null ? null : lastActivated.truncatedTo(ChronoUnit.SECONDS);
        reactivateAfter = reactivateAfter.truncatedTo(ChronoUnit.SECONDS);
        products = List.copyOf(products);
    }

    public static String isoSeconds(Instant instant) {
        return ISO_SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Hex HMAC-SHA256 of the signed fields, keyed with the credential the instance presented. */
    public String signature(String credential) {
        StringBuilder message = new StringBuilder(256).append(id);
        products.stream()
                .sorted(Comparator.comparing(Product::name).thenComparing(Product::version))
                .forEach(p -> message.append(p.name()).append(p.version()));
        message.append(FORMAT)
                .append(isoSeconds(issueDate)).append(isoSeconds(expiryDate))
                .append(licenseType).append(licenseStatus)
                .append(isoSeconds(reactivateAfter));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(credential.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
