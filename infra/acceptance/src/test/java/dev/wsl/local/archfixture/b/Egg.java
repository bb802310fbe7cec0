package dev.wsl.local.archfixture.b;

import dev.wsl.local.archfixture.a.Chicken;

/** The other half of the deliberate cycle. */
public final class Egg {
    public Chicken hatch() {
        return new Chicken();
    }
}
