package dev.wsl.core.domain;

/**
 * The one rule for showing part of a secret (legacy keys' masked forms; the hints of auth tokens, CI keys
 * and SCIM tokens): a mask shows at most the secret's last {@value #MAX_SHOWN} characters, and never more
 * than a quarter of them, so that a short legacy key of 8 characters shows 2. A credential's public
 * prefix ({@code ls-}, {@code lsci-}, {@code scim-}: the same for every credential of its kind) is
 * shown before the ellipsis and does not count. Enough to tell one's own keys apart, far too little
 * to use or guess one. Thread-safe, stateless.
 */
public final class Masks {
    public static final int MAX_SHOWN = 4;
    static final String ELLIPSIS = "…";

    private Masks() {}

    /** How many trailing characters of a secret this long a mask may show. */
    public static int shown(int secretLength) {
        return Math.min(MAX_SHOWN, secretLength / 4);
    }

    /** A secret without a public prefix (a legacy key): {@code …} and its last characters. */
    public static String mask(String secret) {
        return ELLIPSIS + secret.substring(secret.length() - shown(secret.length()));
    }

    /** A credential whose kind is its prefix up to the first {@code -}: that prefix, {@code …}, the secret's last characters. */
    public static String hint(String credential) {
        int dash = credential.indexOf('-');
        return credential.substring(0, dash + 1) + mask(credential.substring(dash + 1));
    }

    /**
     * A stored legacy-key mask as it may be shown now. Keys imported before this rule were stored as their
     * first three and last two characters ({@code 4e4…a2}); the first three go, the last two stay (two
     * characters are at most a quarter of any legacy key, which has at least 8). Works on a pool's
     * display entries too ({@code 4e4…a2 (lk_…)}). A mask of the present form is returned as it is.
     */
    public static String legacyShown(String stored) {
        int ellipsis = stored.indexOf(ELLIPSIS);
        return ellipsis <= 0 ? stored : stored.substring(ellipsis);
    }
}
