package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FunctionClassLoaderTest {
    private final ClassLoader parent = FunctionClassLoaderTest.class.getClassLoader();

    @Test
    void theFunctionsClasses_shouldBeLoadedAfresh_andEverythingElseShared() throws Exception {
        FunctionClassLoader first = new FunctionClassLoader("g1", parent);
        FunctionClassLoader second = new FunctionClassLoader("g2", parent);

        Class<?> a = first.loadClass("dev.wsl.core.Env");
        Class<?> b = second.loadClass("dev.wsl.core.Env");

        assertThat(a).isNotSameAs(b).isNotSameAs(parent.loadClass("dev.wsl.core.Env"));
        assertThat(a.getClassLoader()).isSameAs(first);
        assertThat(first.loadClass("dev.wsl.local.Json")).isSameAs(parent.loadClass("dev.wsl.local.Json"));
        assertThat(first.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler"))
                .isSameAs(com.amazonaws.services.lambda.runtime.RequestHandler.class);
        assertThat(first.loadClass("dev.wsl.core.Env")).as("loaded once per loader").isSameAs(a);
    }
}
