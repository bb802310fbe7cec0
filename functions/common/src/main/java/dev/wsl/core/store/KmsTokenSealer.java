package dev.wsl.core.store;

import dev.wsl.core.Env;
import dev.wsl.core.domain.TokenSealer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Seals auth tokens with KMS. The encryption context names the purpose and the user, so a sealed
 * token only opens for the record it was written to, and every decryption is attributable in
 * CloudTrail. The key is {@code AUTH_TOKEN_KEY_ID} (the template's {@code AuthTokenKey}). Thread-safe.
 */
public final class KmsTokenSealer implements TokenSealer {
    private final Supplier<KmsClient> kms;
    private final Supplier<String> keyId;

    private KmsTokenSealer(Supplier<KmsClient> kms, Supplier<String> keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    public KmsTokenSealer(KmsClient kms, String keyId) {
        this(() -> kms, () -> keyId);
        Objects.requireNonNull(kms);
        Objects.requireNonNull(keyId);
    }

    /**
     * Region, credentials and endpoint as for DynamoDB (attempts and timeouts {@link AwsClients}' for KMS), the key
     * from AUTH_TOKEN_KEY_ID. The client is
     * built on first use: most invocations of the functions that hold a sealer never need it.
     */
    public static KmsTokenSealer fromEnvironment() {
        return new KmsTokenSealer(memoize(() -> KmsClient.builder().httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(AwsClients.configuration(AwsClients.Service.KMS)).build()),
                memoize(() -> Env.required("AUTH_TOKEN_KEY_ID")));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    @Override
    public String seal(String userId, String token) {
        byte[] sealed = kms.get().encrypt(r -> r.keyId(keyId.get()).encryptionContext(context(userId))
                .plaintext(SdkBytes.fromString(token, StandardCharsets.UTF_8))).ciphertextBlob().asByteArray();
        return Base64.getEncoder().encodeToString(sealed);
    }

    @Override
    public String open(String userId, String sealed) {
        return kms.get().decrypt(r -> r.keyId(keyId.get()).encryptionContext(context(userId))
                .ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(sealed))))
                .plaintext().asString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> context(String userId) {
        return Map.of("purpose", "auth-token", "userId", userId);
    }
}
