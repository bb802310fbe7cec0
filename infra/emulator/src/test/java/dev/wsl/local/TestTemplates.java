package dev.wsl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The project's template (found upwards from the working directory) and the tests' own. */
final class TestTemplates {
    private TestTemplates() {}

    static Path realPath() {
        return SamTemplate.findUpwards(Path.of(""))
                .orElseThrow(() -> new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath()));
    }

    static SamTemplate real() {
        return SamTemplate.load(realPath());
    }

    static SamTemplate test() {
        try (InputStream in = TestTemplates.class.getResourceAsStream("/test-template.yaml")) {
            return SamTemplate.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
