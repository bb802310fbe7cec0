package dev.wsl.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void scimPage_shouldZeroPadTheIndexAsFormatDid_soThatBookmarksSortByIt() {
        for (long index : new long[] {0, 1, 51, 999_999_999_999L, 1_000_000_000_000L, Long.MAX_VALUE}) {
            String sk = Keys.scimPage("ws_1", "users", index).sk();
            assertThat(sk).as("index %d", index)
                    .isEqualTo(Keys.scimPagePrefix("users") + String.format("%012d", index));
        }
        List<String> sorted = new ArrayList<>();
        for (long index : new long[] {1, 9, 10, 101, 1001, 20_001}) {
            sorted.add(Keys.scimPage("ws_1", "users", index).sk());
        }
        assertThat(sorted).isSorted();
    }

    @Test
    void scimPage_shouldRefuseANegativeIndex() {
        assertThatThrownBy(() -> Keys.scimPage("ws_1", "users", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
