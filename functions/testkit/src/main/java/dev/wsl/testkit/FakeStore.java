package dev.wsl.testkit;

/** What every fake store holds: the in-memory tables of {@link FakeStores}, whose monitor each write takes. */
abstract class FakeStore {
    final FakeStores data;

    FakeStore(FakeStores data) {
        this.data = data;
    }
}
