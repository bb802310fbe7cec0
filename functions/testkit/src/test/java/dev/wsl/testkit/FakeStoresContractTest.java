package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fakes pass the same contracts as the DynamoDB stores ({@code DynamoStoresContractIT}). */
class FakeStoresContractTest {
    @Test
    void everyContract_shouldRunHere_andBeListedForTheDynamoDbRunner() throws IOException {
        StoreContracts.assertRunsAll(FakeStoresContractTest.class);
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/wsl/testkit"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Contract.java"))
                    .filter(n -> !n.equals("StoreContract.java")).map(n -> n.replace(".java", "")))
                    .as("every contract in testkit is in StoreContracts.ALL")
                    .containsExactlyInAnyOrderElementsOf(StoreContracts.ALL.stream().map(Class::getSimpleName).toList());
        }
    }

    @Nested
    class Workspaces extends WorkspaceStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class WorkspaceAdmins extends WorkspaceAdminsContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class WorkspaceListing extends WorkspaceListingContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Licenses extends LicenseStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Outbox extends OutboxStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Credentials extends CredentialStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Rotation extends RotationContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class UsageDays extends UsageStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Sunset extends SunsetStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class ConsentAndDomains extends DomainStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class IdpGroupStore extends ScimStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Seats extends SeatStoreContract {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }
}
