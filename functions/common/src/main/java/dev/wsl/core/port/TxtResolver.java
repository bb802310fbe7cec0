package dev.wsl.core.port;

import dev.wsl.core.domain.TxtLookup;

/**
 * Looks up TXT records in DNS: in AWS through the function's resolver, in tests and the local runtime
 * through a DNS server on loopback. Never cached: a check sees what DNS answers now.
 */
public interface TxtResolver {
    /** Never throws for a DNS failure: that is {@link TxtLookup#failed}. */
    TxtLookup txt(String name);
}
