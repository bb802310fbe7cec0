package dev.wsl.testkit;

import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.DomainStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.SunsetStore;
import dev.wsl.core.port.WorkspaceStore;
import java.util.Optional;

/**
 * The six stores over one shared state (one table), and what the contract tests read back that no
 * service needs: a recount of seats and a key's claim. {@link FakeStores} in memory; the DynamoDB
 * stores against the emulator in {@code infra/acceptance}.
 */
public interface StoreSet {
    WorkspaceStore workspaces();

    LicenseStore licenses();

    CredentialStore credentials();

    OutboxStore outbox();

    SunsetStore sunset();

    /** The workspace's SCIM token and held changes (the token stops in the workspace store's transactions). */
    ScimStore scim();

    DomainStore domains();

    /** Seats, seat policies and the reclaim job's runs (issue 21). */
    dev.wsl.core.port.SeatStore seats();

    /** Records an activation of the member's license with their auth token at {@code at}, as activation does. */
    void recordActivation(String workspaceId, String memberId, java.time.Instant at);

    /** The daily usage items (kept from the table's stream; issue 21). */
    dev.wsl.core.port.UsageStore usage();

    /** Seats counted from the member and key items: what the pool's counters must equal. */
    SeatTally recount(String workspaceId);

    /** Who activates a legacy key, by the key's hash. */
    Optional<KeyClaim> claim(String keyHash);

    /** Where an auth token activates by choice, as its lookup item (what activation reads) holds it. */
    Optional<String> tokenChoice(String tokenHash);

    /**
     * A credential's lookup item as activation reads it: whose it is (the user of an auth token, the key id of a CI
     * key), the token's index and choice, and when a rotation's overlap ends it (null: it does not end).
     */
    record Lookup(String owner, java.util.Map<String, String> licensedIn, String activatesIn,
                  java.time.Instant expiresAt) {}

    /** The lookup item of an auth token or CI key by its hash; empty when there is none. */
    Optional<Lookup> lookup(String credentialHash);
}
