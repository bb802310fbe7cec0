package dev.wsl.testkit;

import org.junit.jupiter.api.Nested;

/** The fakes pass the same contract as the DynamoDB stores ({@code DynamoStoresContractIT}). */
class FakeStoresContractTest {
    @Nested
    class Workspaces extends StoreContracts.Workspaces {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Licenses extends StoreContracts.Licenses {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Outbox extends StoreContracts.Outbox {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Credentials extends StoreContracts.Credentials {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Sunset extends StoreContracts.Sunset {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class ConsentAndDomains extends StoreContracts.ConsentAndDomains {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class IdpGroupStore extends StoreContracts.IdpGroupStore {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Rotation extends StoreContracts.Rotation {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class Seats extends StoreContracts.Seats {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }

    @Nested
    class UsageDays extends StoreContracts.UsageDays {
        @Override
        protected StoreSet stores() {
            return new FakeStores();
        }
    }
}
