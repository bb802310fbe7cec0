package dev.wsl.core.store;

import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items an auth token's activation reads ({@link ActivationStore}: the token's lookup item, then the license
 * pool and the member), built by the same mappers and {@link Keys} as the writers use, so that reads answered from
 * memory (SnapStart priming, the benchmarks) have exactly the stored shape and follow it when it changes.
 */
public final class ActivationItems {
    private ActivationItems() {}

    /**
     * The lookup item of the auth token hashed to {@code tokenHash}, licensed in the given workspaces (workspace id → member id), its last use
     * recorded in {@code lastUseHour} (the current hour takes the steady-state path that writes no usage).
     */
    public static Map<String, AttributeValue> authToken(String userId, String tokenHash, Instant issuedAt,
                                                        Map<String, String> licensedIn, String lastUseHour) {
        Map<String, AttributeValue> item = TokenIndex.item(userId, tokenHash, issuedAt, licensedIn, null);
        item.put(TokenIndex.LAST_USE_HOUR, Attrs.s(lastUseHour));
        return item;
    }

    public static Map<String, AttributeValue> pool(LicensePool pool) {
        return LicenseItems.pool(pool);
    }

    public static Map<String, AttributeValue> member(Member member) {
        return MemberItems.member(member);
    }
}
