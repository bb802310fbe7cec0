package dev.wsl.core.wiring;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoBackfillStore;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoDomainStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoOutboxStore;
import dev.wsl.core.store.DynamoScimStore;
import dev.wsl.core.store.DynamoSeatStore;
import dev.wsl.core.store.DynamoSunsetStore;
import dev.wsl.core.store.DynamoUsageStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.core.store.KmsTokenSealer;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one composition root of the functions: the configuration read from the environment once
 * ({@link FunctionConfig}), one DynamoDB client, and each store built on first use and then shared, so a
 * function builds only what its use cases need (its cold start) and no root repeats how a store is made. A
 * function's {@code *Services} holds one of these in a static field and composes its use cases from it.
 * No lambdas on purpose: each would be a class to spin at cold start. Thread-safe.
 */
public final class Wiring {
    private final FunctionConfig config;
    private final DynamoDbClient dynamo;
    private final String table;
    private DynamoWorkspaceStore workspaces;
    private DynamoLicenseStore licenses;
    private DynamoCredentialStore credentials;
    private DynamoScimStore scim;
    private DynamoSeatStore seats;
    private DynamoUsageStore usage;
    private DynamoDomainStore domains;
    private DynamoOutboxStore outbox;
    private DynamoSunsetStore sunset;
    private DynamoBackfillStore backfill;
    private TokenSealer sealer;
    private Authorization authorization;

    public Wiring(FunctionConfig config, DynamoDbClient dynamo) {
        this.config = config;
        this.dynamo = dynamo;
        this.table = config.table();
    }

    public static Wiring fromEnvironment() {
        return new Wiring(FunctionConfig.fromEnvironment(), DynamoClients.create());
    }

    public FunctionConfig config() {
        return config;
    }

    public Clock clock() {
        return Clock.systemUTC();
    }

    public RetryPolicy retry() {
        return RetryPolicy.STANDARD;
    }

    public synchronized DynamoWorkspaceStore workspaces() {
        if (workspaces == null) {
            workspaces = new DynamoWorkspaceStore(dynamo, table);
        }
        return workspaces;
    }

    public synchronized DynamoLicenseStore licenses() {
        if (licenses == null) {
            licenses = new DynamoLicenseStore(dynamo, table);
        }
        return licenses;
    }

    public synchronized DynamoCredentialStore credentials() {
        if (credentials == null) {
            credentials = new DynamoCredentialStore(dynamo, table);
        }
        return credentials;
    }

    public synchronized DynamoScimStore scim() {
        if (scim == null) {
            scim = new DynamoScimStore(dynamo, table);
        }
        return scim;
    }

    public synchronized DynamoSeatStore seats() {
        if (seats == null) {
            seats = new DynamoSeatStore(dynamo, table);
        }
        return seats;
    }

    public synchronized DynamoUsageStore usage() {
        if (usage == null) {
            usage = new DynamoUsageStore(dynamo, table);
        }
        return usage;
    }

    public synchronized DynamoDomainStore domains() {
        if (domains == null) {
            domains = new DynamoDomainStore(dynamo, table);
        }
        return domains;
    }

    public synchronized DynamoOutboxStore outbox() {
        if (outbox == null) {
            outbox = new DynamoOutboxStore(dynamo, table);
        }
        return outbox;
    }

    public synchronized DynamoSunsetStore sunset() {
        if (sunset == null) {
            sunset = new DynamoSunsetStore(dynamo, table);
        }
        return sunset;
    }

    public synchronized DynamoBackfillStore backfill() {
        if (backfill == null) {
            backfill = new DynamoBackfillStore(dynamo, table);
        }
        return backfill;
    }

    /** The KMS sealer of personal auth tokens ({@code AUTH_TOKEN_KEY_ID}); only the functions that issue them. */
    public synchronized TokenSealer sealer() {
        if (sealer == null) {
            sealer = KmsTokenSealer.fromEnvironment();
        }
        return sealer;
    }

    /** Resolves a signed-in person at the edge: their grant in the workspace of the request's path. */
    public synchronized Authorization authorization() {
        if (authorization == null) {
            authorization = new Authorization(workspaces());
        }
        return authorization;
    }
}
