package dev.wsl.core.failure;

/**
 * A failure that another attempt may not meet: a lost race or a busy table. {@link RetryPolicy}
 * retries exactly these; every other failure is an answer and propagates at once.
 */
public sealed interface Retryable permits ChangedMeanwhile, SeatsChanged, Busy {}
