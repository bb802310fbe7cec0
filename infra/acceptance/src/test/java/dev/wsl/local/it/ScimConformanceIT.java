package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An independent RFC 7643/7644 checker, scim2-tester run through its command line scim2-cli (both from PyPI,
 * pinned and installed by {@code infra/env.sh}: {@code SCIM_CHECKER}), against the runtime's HTTP front with
 * a workspace's SCIM token, exactly as the SCIM walk (docs/walks.md) runs it. Every check must succeed; the only ones
 * allowed not to are those the checker skips because the service declares the feature unsupported ({@link #DECLARED}).
 * Prints the checker's summary line. Without the checker the test fails (never skips): run it with
 * {@code infra/test.sh}, which installs it.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimConformanceIT {
    /** Checks the checker skips for what the service declines on purpose, with the reason it gives. */
    static final Map<String, String> DECLARED = Map.of(
            "search_with_attributes", "searching several resource types at once is not supported by the server");

    private static final Pattern RESULT = Pattern.compile("^(SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED) (\\S+)$");

    private final Api api;
    private final Scim scim;

    ScimConformanceIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.scim = new Scim(runtime, api);
    }

    record Check(String status, String title, String reason) {}

    @Test
    void theIndependentChecker_findsEveryCheckSucceeding_butDeclaredUnsupportedOnes() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("scim-checker-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "SCIM conformance");
        String token = scim.newToken(admin, ws);

        String output = run(token);
        List<Check> checks = parse(output);
        long succeeded = checks.stream().filter(c -> c.status().equals("SUCCESS")).count();
        List<Check> skipped = checks.stream().filter(c -> c.status().equals("SKIPPED")).toList();
        System.out.println("[scim-checker] " + succeeded + " of " + checks.size() + " checks succeeded, " + skipped.size()
                + " skipped as declared unsupported (" + skipped.stream().map(Check::title).distinct()
                .collect(Collectors.joining(", ")) + ")");

        assertThat(checks).as("the checker ran its checks:\n%s", output).hasSizeGreaterThan(50);
        assertThat(checks).as("checks that did not succeed:\n%s", output)
                .allMatch(c -> c.status().equals("SUCCESS") || (c.status().equals("SKIPPED")
                        && DECLARED.containsKey(c.title()) && c.reason().contains(DECLARED.get(c.title()))));
        assertThat(checks).extracting(Check::title).as("every kind of check ran").contains(
                "service_provider_config_endpoint_methods", "resource_types_endpoint_methods", "schemas_endpoint_methods",
                "random_url", "object_creation", "object_query_with_attributes", "object_list_with_attributes",
                "object_replacement", "object_deletion", "check_add_attribute", "check_remove_attribute",
                "check_replace_attribute");
        assertThat(checks.stream().filter(c -> c.title().equals("object_creation")).count())
                .as("users and groups were created").isEqualTo(2);
    }

    /** The checker's output; its exit status is not success whenever anything was skipped, so it is not judged. */
    private static String run(String token) throws IOException, InterruptedException {
        String checker = System.getenv("SCIM_CHECKER");
        if (checker == null || !Files.isExecutable(Path.of(checker))) {
            throw new IllegalStateException("SCIM_CHECKER must name scim2-cli's `scim2` command; run the tests with "
                    + "infra/test.sh, which installs it");
        }
        ProcessBuilder pb = new ProcessBuilder(checker, "-u", LocalRuntimeExtension.baseUrl() + "/scim/v2", "test");
        // The token in the environment, not on the command line (other users of the machine see arguments).
        pb.environment().put("SCIM_CLI_HEADERS", "Authorization: Bearer " + token);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("PYTHONWARNINGS", "ignore");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the checker did not finish in 10 minutes:\n" + out);
        }
        return out.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    /** Each result line ({@code STATUS title}), with the indented reason line after it. */
    static List<Check> parse(String output) {
        List<Check> checks = new ArrayList<>();
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = RESULT.matcher(lines.get(i).strip());
            if (m.matches()) {
                String reason = i + 1 < lines.size() && lines.get(i + 1).startsWith("  ") ? lines.get(i + 1).strip() : "";
                checks.add(new Check(m.group(1), m.group(2), reason));
            }
        }
        return checks;
    }
}
