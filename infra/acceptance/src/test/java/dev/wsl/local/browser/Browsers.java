package dev.wsl.local.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium sessions for the browser tests, from Debian's {@code chromium} and
 * {@code chromium-driver} (found on the PATH or at {@code /usr/bin}; {@code -Dwsl.chromium} and
 * {@code -Dwsl.chromedriver} override). One JVM keeps at most two: the first person's and a
 * second person's (an invitee), each with its own fresh profile, started on first use and shared
 * by every test (starting Chromium is the slow part), quit when the JVM ends. Tests leave a session
 * signed out. Not thread-safe: browser tests run one at a time.
 */
public final class Browsers {

    private static final List<ChromeDriver> STARTED = new ArrayList<>();
    private static final List<Path> PROFILES = new ArrayList<>();
    private static ChromeDriver first;
    private static ChromeDriver second;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Browsers::quitAll, "browsers-shutdown"));
    }

    private Browsers() {}

    /** The session most tests use (an admin). */
    public static synchronized ChromeDriver first() {
        if (first == null) {
            first = start();
        }
        return first;
    }

    /** Another person's session: own profile, own storage. */
    public static synchronized ChromeDriver second() {
        if (second == null) {
            second = start();
        }
        return second;
    }

    private static ChromeDriver start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("wsl-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PROFILES.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("wsl.chromium", "chromium"));
        // Headless, and quiet: without the background-networking switches Chromium keeps calling home,
        // which on a closed network only means timeouts.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--metrics-recording-only", "--password-store=basic", "--window-size=1440,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false,
                "profile.password_manager_enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("wsl.chromedriver", "chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        STARTED.add(driver);
        return driver;
    }

    /** An executable named by a system property, else on the PATH, else in /usr/bin; a clear failure otherwise. */
    static String executable(String property, String name) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed (PATH and /usr/bin were searched): the browser tests "
                + "need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does it), "
                + "or -D" + property + "=/path/to/" + name);
    }

    private static synchronized void quitAll() {
        for (ChromeDriver driver : STARTED) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // the JVM is ending; a browser that is already gone is fine
            }
        }
        for (Path profile : PROFILES) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary directory left behind is not worth failing for
            }
        }
    }
}
