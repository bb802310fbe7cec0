package dev.wsl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads the functions' own classes ({@code dev.wsl.*} outside this runtime) afresh, from the same
 * class path, and everything else (the SDK, Jackson, the Lambda types) from the parent. A handler
 * instantiated through a new loader starts as a cold start would in Lambda: its static wiring (the
 * services built once per cold start, the configuration they read) is built again, while the
 * heavy libraries stay loaded. Used when a parameter changes while the runtime runs.
 */
final class FunctionClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    FunctionClassLoader(String name, ClassLoader parent) {
        super(name, parent);
    }

    /** The classes a function owns: its own code and the shared code of this project, not the runtime's. */
    static boolean ownedByFunctions(String className) {
        return className.startsWith("dev.wsl.") && !className.startsWith("dev.wsl.local.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!ownedByFunctions(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + name, e);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}
