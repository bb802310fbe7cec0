package dev.wsl.scim;

import dev.wsl.core.domain.Page;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.ScimStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 7644 paging by index over keyed reads: a list's page at {@code startIndex} starts at the walk's bookmark
 * (saved where the previous page ended) or skips keys to it, so the reads are the same whatever the list's length.
 * Thread-safe.
 */
final class ScimPaging {
    private final ScimStore scim;
    private final Clock clock;
    private final RetryPolicy retry;

    ScimPaging(ScimStore scim, Clock clock, RetryPolicy retry) {
        this.scim = Objects.requireNonNull(scim);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    interface Reader<T> {
        Page<T> read(int limit, String cursor);
    }

    interface Skipper {
        String skip(long count, String cursor);
    }

    /**
     * The page of a list at {@code startIndex}: from the walk's bookmark at or before it (a walk that pages
     * on, as identity providers do, finds one exactly there), else from the start, skipping keys to it. Leaves
     * a bookmark where the next page starts. The reads are the same whatever the list's length.
     */
    <T> List<T> page(String ws, String list, long startIndex, int count, Reader<T> reader, Skipper skipper) {
        if (count <= 0) {
            return List.of();
        }
        return retry.run(() -> {
            String cursor = null;
            long at = 1;
            if (startIndex > 1) {
                Optional<ScimStore.Bookmark> mark = scim.bookmark(ws, list, startIndex);
                if (mark.isPresent()) {
                    at = mark.get().startIndex();
                    cursor = mark.get().cursor();
                }
                if (at < startIndex) {
                    cursor = skipper.skip(startIndex - at, cursor);
                    if (cursor == null) {
                        return List.of();
                    }
                }
            }
            Page<T> page = reader.read(count, cursor);
            if (page.nextCursor() != null) {
                scim.saveBookmark(ws, list, new ScimStore.Bookmark(startIndex + page.items().size(), page.nextCursor()),
                        clock.instant());
            }
            return page.items();
        });
    }
}
