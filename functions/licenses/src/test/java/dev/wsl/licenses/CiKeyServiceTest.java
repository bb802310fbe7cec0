package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Listing a workspace's CI keys reads under the retry policy, like every other list. */
class CiKeyServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange.Ws ws = new Arrange(stores, NOW).workspace();

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "  ", "CI\u202Eevil", "CI\nkey", "CI\u200Bkey"})
    void aKeyName_shouldFollowTheOneTextRule(String name) {
        CiKeyService keys = new CiKeyService(stores.credentials(), new Authorization(stores.workspaces()),
                new MutableClock(NOW), RetryPolicy.withoutPauses(3));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.create(ws.caller(), ws.id(), name))
                .isInstanceOfSatisfying(dev.wsl.core.failure.InvalidInput.class,
                        e -> assertThat(e.slug()).isEqualTo("invalid-name"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.create(ws.caller(), ws.id(), "x".repeat(101)))
                .isInstanceOf(dev.wsl.core.failure.InvalidInput.class);
        assertThat(keys.list(ws.caller(), ws.id())).isEmpty();
        assertThat(keys.create(ws.caller(), ws.id(), "😀".repeat(100)).credential().name()).hasSize(200);
    }

    @Test
    void aBusyTableWhileListingTheKeys_shouldBeReadAgain() {
        new CiKeyService(stores.credentials(), new Authorization(stores.workspaces()), new MutableClock(NOW),
                RetryPolicy.withoutPauses(3)).create(ws.caller(), ws.id(), "GitHub Actions");
        AtomicInteger lists = new AtomicInteger();
        // The fake credential store, except that its first listing of CI keys finds the table busy.
        CredentialStore busyOnce = (CredentialStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CredentialStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listCiKeys") && lists.getAndIncrement() == 0) {
                        throw new Busy("the table is busy", null);
                    }
                    try {
                        return method.invoke(stores.credentials(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CiKeyService keys = new CiKeyService(busyOnce, new Authorization(stores.workspaces()), new MutableClock(NOW),
                RetryPolicy.withoutPauses(3));

        assertThat(keys.list(ws.caller(), ws.id())).extracting(l -> l.key().name()).containsExactly("GitHub Actions");
        assertThat(lists.get()).isEqualTo(2);
    }

    @Test
    void aCreationWhoseWriteLandedButWhoseAnswerWasLost_shouldShowThePlaintextOfAStoredKey() {
        AtomicInteger creates = new AtomicInteger();
        // The fake credential store, except that its first CI key creation commits and then reports the table busy
        // (a timeout after the transaction landed): the next attempt must not send the same key again.
        CredentialStore lostAnswer = (CredentialStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CredentialStore.class}, (proxy, method, args) -> {
                    try {
                        Object answer = method.invoke(stores.credentials(), args);
                        if (method.getName().equals("createCiKey") && creates.getAndIncrement() == 0) {
                            throw new Busy("the answer was lost", null);
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CiKeyService keys = new CiKeyService(lostAnswer, new Authorization(stores.workspaces()), new MutableClock(NOW),
                RetryPolicy.withoutPauses(3));

        var created = keys.create(ws.caller(), ws.id(), "GitHub Actions");

        assertThat(creates.get()).isEqualTo(2);
        assertThat(created.credential().hash()).isEqualTo(Secrets.sha256Hex(created.plaintext()));
        assertThat(stores.credentials().findCiKey(ws.id(), created.credential().keyId())).get()
                .extracting(CiKey::hash).isEqualTo(Secrets.sha256Hex(created.plaintext()));
        assertThat(stores.lookup(Secrets.sha256Hex(created.plaintext()))).isPresent();
        assertThat(created.toString()).doesNotContain(created.plaintext());
    }
}
