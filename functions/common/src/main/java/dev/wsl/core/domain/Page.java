package dev.wsl.core.domain;

import java.util.List;

/** @param nextCursor opaque; null on the last page */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
