package dev.wsl.local.it;

import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.SunsetStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoOutboxStore;
import dev.wsl.core.store.DynamoScimStore;
import dev.wsl.core.store.DynamoSunsetStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.testkit.StoreContracts;
import dev.wsl.testkit.StoreSet;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB stores pass the same contract as the in-memory fakes the services' unit tests use
 * ({@code FakeStoresContractTest}), against the emulator: a fake that is kinder than the table fails
 * one of the two.
 */
class DynamoStoresContractIT {

    static StoreSet dynamo() {
        LocalStackRuntime runtime = LocalRuntimeExtension.shared();
        var db = runtime.dynamoDb();
        String table = runtime.tableName();
        DynamoLicenseStore licenses = new DynamoLicenseStore(db, table);
        WorkspaceStore workspaces = new DynamoWorkspaceStore(db, table);
        CredentialStore credentials = new DynamoCredentialStore(db, table);
        OutboxStore outbox = new DynamoOutboxStore(db, table);
        SunsetStore sunset = new DynamoSunsetStore(db, table);
        ScimStore scim = new DynamoScimStore(db, table);
        dev.wsl.core.port.DomainStore domains = new dev.wsl.core.store.DynamoDomainStore(db, table);
        dev.wsl.core.store.ActivationStore activation = new dev.wsl.core.store.ActivationStore(db, table);
        dev.wsl.core.port.SeatStore seats = new dev.wsl.core.store.DynamoSeatStore(db, table);
        dev.wsl.core.port.UsageStore usage = new dev.wsl.core.store.DynamoUsageStore(db, table);
        return new StoreSet() {
            @Override
            public dev.wsl.core.port.SeatStore seats() {
                return seats;
            }

            @Override
            public void recordActivation(String workspaceId, String memberId, java.time.Instant at) {
                // As activation writes it: the usage write of an auth token's use (no coalescing mark here).
                activation.record(new dev.wsl.core.store.ActivationStore.UseRecord(workspaceId, memberId, at,
                        "machine-1", "Linux", "auth-token", null, dev.wsl.core.store.ActivationStore.Kind.AUTH_TOKEN,
                        null, null));
            }

            @Override
            public dev.wsl.core.port.UsageStore usage() {
                return usage;
            }

            @Override
            public Optional<Lookup> lookup(String credentialHash) {
                return activation.find(dev.wsl.core.store.ActivationStore.Kind.AUTH_TOKEN, credentialHash)
                        .or(() -> activation.find(dev.wsl.core.store.ActivationStore.Kind.CI_KEY, credentialHash))
                        .map(c -> new Lookup(c.kind() == dev.wsl.core.store.ActivationStore.Kind.CI_KEY ? c.keyId()
                                : c.userId(), c.licensedIn(), c.activatesIn(), c.expiresAt()));
            }

            @Override
            public dev.wsl.core.port.DomainStore domains() {
                return domains;
            }

            @Override
            public Optional<String> tokenChoice(String tokenHash) {
                return activation.find(dev.wsl.core.store.ActivationStore.Kind.AUTH_TOKEN, tokenHash)
                        .map(dev.wsl.core.store.ActivationStore.Credential::activatesIn);
            }

            @Override
            public WorkspaceStore workspaces() {
                return workspaces;
            }

            @Override
            public LicenseStore licenses() {
                return licenses;
            }

            @Override
            public CredentialStore credentials() {
                return credentials;
            }

            @Override
            public OutboxStore outbox() {
                return outbox;
            }

            @Override
            public SunsetStore sunset() {
                return sunset;
            }

            @Override
            public ScimStore scim() {
                return scim;
            }

            @Override
            public SeatTally recount(String workspaceId) {
                return licenses.recount(workspaceId).tally();
            }

            @Override
            public Optional<KeyClaim> claim(String keyHash) {
                return licenses.claim(keyHash);
            }
        };
    }

    @Test
    void everyContract_shouldRunHere() {
        StoreContracts.assertRunsAll(DynamoStoresContractIT.class);
    }

    @Nested
    class Workspaces extends dev.wsl.testkit.WorkspaceStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class WorkspaceAdmins extends dev.wsl.testkit.WorkspaceAdminsContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class WorkspaceListing extends dev.wsl.testkit.WorkspaceListingContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Licenses extends dev.wsl.testkit.LicenseStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Outbox extends dev.wsl.testkit.OutboxStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Credentials extends dev.wsl.testkit.CredentialStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Sunset extends dev.wsl.testkit.SunsetStoreContract {
        @BeforeEach
        void emptyTable() {
            // The sunset job's items are global: every key of every workspace, one run at a time.
            LocalRuntimeExtension.shared().reset();
        }

        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class ConsentAndDomains extends dev.wsl.testkit.DomainStoreContract {
        @BeforeEach
        void emptyTable() {
            // The daily check's items are global: every domain of every workspace, one run at a time.
            LocalRuntimeExtension.shared().reset();
        }

        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class IdpGroupStore extends dev.wsl.testkit.ScimStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Rotation extends dev.wsl.testkit.RotationContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class Seats extends dev.wsl.testkit.SeatStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }

    @Nested
    class UsageDays extends dev.wsl.testkit.UsageStoreContract {
        @Override
        protected StoreSet stores() {
            return dynamo();
        }
    }
}
