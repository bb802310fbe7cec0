package dev.wsl.core.domain;

import java.util.List;

/**
 * What a DNS lookup of TXT records at one name answered: the records' values (each record's strings
 * joined), none (the name does not exist or holds no TXT record), or no answer at all ({@code failed}:
 * a timeout or a server failure, with the reason for logs and people).
 */
public record TxtLookup(List<String> values, boolean failed, String reason) {
    public TxtLookup {
        values = List.copyOf(values);
    }

    public static TxtLookup found(List<String> values) {
        return new TxtLookup(values, false, null);
    }

    public static TxtLookup none() {
        return new TxtLookup(List.of(), false, null);
    }

    public static TxtLookup failed(String reason) {
        return new TxtLookup(List.of(), true, reason);
    }
}
