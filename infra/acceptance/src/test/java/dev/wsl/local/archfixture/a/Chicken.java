package dev.wsl.local.archfixture.a;

import dev.wsl.local.archfixture.b.Egg;

/** A deliberate package cycle (a → b → a): ArchitectureTest proves its cycle rule finds one. */
public final class Chicken {
    public Egg lay() {
        return new Egg();
    }
}
