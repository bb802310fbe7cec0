package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.port.SunsetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sunset job's items are global (one run at a time, every key): tests start from an empty table. */
public abstract class SunsetStoreContract extends StoreContract {
    @Test
    void keys_shouldPageInWorkspaceThenKeyOrder_andResumeAfterAPosition() {
        List<String> all = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            for (int k = 0; k < 3; k++) {
                all.add(arrange.importKey(ws.id(), "k" + w + k + suffix, NOW).keyId());
            }
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            SunsetStore.KeyPage page = stores.sunset().keys(after, 4);
            page.keys().forEach(k -> seen.add(k.keyId()));
            after = page.more() ? page.last() : null;
            pages++;
        } while (after != null && pages < 10);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(all).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void aRun_shouldStartOnce_andItsCheckpointMoveOnlyFromThePositionRead() {
        assertThat(stores.sunset().startRun("run-" + suffix, NOW, Map.of("cutoff", "x"))).isTrue();
        assertThat(stores.sunset().startRun("run-other-" + suffix, NOW, Map.of())).isFalse();
        SunsetStore.Checkpoint start = stores.sunset().currentRun().orElseThrow();

        assertThat(stores.sunset().checkpoint(start, "a#1", Map.of("keysDisabled", 2L), false, true, NOW)).isTrue();
        assertThat(stores.sunset().checkpoint(start, "a#2", Map.of("keysDisabled", 5L), false, false, NOW))
                .as("a second invocation that read the same position").isFalse();
        SunsetStore.Checkpoint moved = stores.sunset().currentRun().orElseThrow();
        assertThat(moved.position()).isEqualTo("a#1");
        assertThat(stores.sunset().checkpoint(moved, "a#3", Map.of("keysDisabled", 1L), true, false, NOW)).isTrue();

        assertThat(stores.sunset().currentRun()).isEmpty();
        Map<String, Object> run = stores.sunset().run("run-" + suffix);
        assertThat(run).containsEntry("keysDisabled", 3L).containsEntry("status", "COMPLETE")
                .containsEntry("invocations", 1L);
    }

    @Test
    void keyStatesAndDigests_shouldReadBackAsWritten() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 10);
        Member jane = arrange.activeMember(ws, email("jane"));
        LegacyKey key = arrange.key(ws.id(), "k" + suffix + "s", jane.memberId(), NOW);
        giveKey(jane, key, jane.holdings().withKey(key.keyId()));
        var state = new SunsetStore.KeyState(Set.of("announcement"), NOW);
        stores.sunset().saveStates(List.of(new SunsetStore.StateWrite(key, state)));
        stores.sunset().recordDigest(ws.id(), "announcement", NOW);

        SunsetStore.PageContext context = stores.sunset().context(List.of(key));

        assertThat(context.states()).containsEntry(key.keyId(), state);
        assertThat(context.assignees()).containsKey(jane.memberId());
        assertThat(stores.sunset().digestsSent(ws.id())).containsExactly("announcement");
        assertThat(stores.sunset().admins(ws.id())).containsExactly(ws.caller().email());
        stores.sunset().saveStates(List.of(new SunsetStore.StateWrite(key, null)));
        assertThat(stores.sunset().context(List.of(key)).states()).isEmpty();
    }
}
