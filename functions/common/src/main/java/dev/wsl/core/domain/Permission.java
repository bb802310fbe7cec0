package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The fixed catalogue of advanced permissions (PRODUCT.md section 3), with their wire names. */
public enum Permission {
    MEMBERS_INVITE("members:invite"),
    MEMBERS_REMOVE("members:remove"),
    MEMBERS_PERMISSIONS("members:permissions"),
    LICENSES_ASSIGN("licenses:assign"),
    LEGACY_KEYS_MANAGE("legacy-keys:manage"),
    CI_KEYS_MANAGE("ci-keys:manage"),
    AUDIT_READ("audit:read");

    private final String wireName;

    Permission(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws InvalidInput listing the catalogue when a name is not in it */
    public static Set<Permission> parseAll(Iterable<String> names) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String name : names) {
            result.add(Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidInput("unknown-permission",
                            "Unknown permission; the catalogue is: " + catalogue() + ".")));
        }
        return result;
    }

    public static String catalogue() {
        return Arrays.stream(values()).map(Permission::wireName).collect(Collectors.joining(", "));
    }
}
