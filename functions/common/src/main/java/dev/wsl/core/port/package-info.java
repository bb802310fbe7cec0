/**
 * The stores the services depend on, as interfaces free of SDK types: {@code dev.wsl.core.store}
 * implements them on DynamoDB, the test kit in memory. Every mutating method is all-or-nothing and
 * states what a failed condition means as a typed failure ({@code dev.wsl.core.failure}); none of them
 * retries (the use case does, with {@code RetryPolicy}). Reads that decide a write are strongly
 * consistent. Implementations are thread-safe.
 */
package dev.wsl.core.port;
