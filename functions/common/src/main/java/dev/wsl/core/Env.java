package dev.wsl.core;

import java.util.Optional;

/**
 * Reads function configuration. In Lambda the values are environment variables
 * set by {@code template.yaml}; the local runtime runs every handler in one JVM
 * and cannot set environment variables, so it sets system properties of the same
 * names instead. Environment variables win.
 */
public final class Env {
    private Env() {}

    public static Optional<String> optional(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** @throws IllegalStateException naming the variable when it is not set */
    public static String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException("configuration " + name + " is not set"));
    }
}
