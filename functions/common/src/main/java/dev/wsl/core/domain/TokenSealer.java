package dev.wsl.core.domain;

/**
 * Encrypts a personal auth token for storage beside its hash, so that its owner can view it
 * again (PRODUCT.md section 1); in AWS this is KMS with the user's id as encryption context, so a
 * sealed token copied onto another user's record cannot be opened. The hash, not the sealed copy,
 * is what activation looks credentials up by.
 */
public interface TokenSealer {
    String seal(String userId, String token);

    String open(String userId, String sealed);
}
