package dev.wsl.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser session as a test drives it: elements are found by what a person perceives — their
 * role and accessible name, as Chromium's accessibility tree computes them — never by CSS classes;
 * every wait has a deadline; the browser's console log is collected, and every page checked can be
 * run through axe-core. Page objects build on this, so a markup change touches one file.
 */
public final class Ui {

    /** Long enough for a shared, busy two-core machine; the console needs a few hundred milliseconds. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Map<String, String> ROLE_SELECTORS = Map.ofEntries(
            Map.entry("button", "button, [role=button], input[type=submit], input[type=button]"),
            Map.entry("link", "a[href]"),
            Map.entry("textbox", "input:not([type]), input[type=text], input[type=email], input[type=search], textarea"),
            Map.entry("combobox", "select"),
            Map.entry("checkbox", "input[type=checkbox]:not([role=switch])"),
            Map.entry("switch", "[role=switch]"),
            Map.entry("radio", "input[type=radio]"),
            Map.entry("heading", "h1, h2, h3, h4"),
            Map.entry("region", "section[aria-labelledby], section[aria-label], [role=region]"),
            Map.entry("group", "fieldset, [role=group]"),
            Map.entry("table", "table"),
            Map.entry("status", "[role=status]"));
    private final WebDriver driver;
    private final String baseUrl;
    private final List<String> log = new ArrayList<>();
    /** The API refusals the running test provokes: a browser logs each as a failed resource, no script error. */
    private final List<Pattern> expectedRefusals = new ArrayList<>();

    public Ui(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    public WebDriver driver() {
        return driver;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Opens a path of the runtime (or an absolute URL). */
    public void open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    /** Forgets everything this origin stored in the session (a fresh start for the next test). */
    public void forgetEverything() {
        open("/");
        js("sessionStorage.clear(); localStorage.clear();");
        driver.manage().deleteAllCookies();
        drainLog();
        log.clear();
        expectedRefusals.clear();
    }

    /**
     * Declares an API refusal the test provokes on purpose: a request whose path (after the origin,
     * without the query) matches {@code pathRegex} answered with {@code status}. The browser logs it as
     * a failed resource, which {@link #scriptErrors()} then leaves out; every other failed request
     * stays an error.
     */
    public void expectRefusal(String pathRegex, int status) {
        expectedRefusals.add(Pattern.compile(Pattern.quote(baseUrl) + pathRegex + "(\\?[^ ]*)? - Failed to load resource: the"
                + " server responded with a status of " + status + "( .*)?"));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // ------------------------------------------------------------------ finding by role and name

    /** Waits for the visible element with this role and accessible name in the page. */
    public WebElement role(String role, String name) {
        return role(null, role, name);
    }

    /** Waits for the visible element with this role and accessible name inside {@code scope}. */
    public WebElement role(SearchContext scope, String role, String name) {
        return until(d -> find(scope, role, name).orElse(null), "the " + role + " named \"" + name + "\"");
    }

    /** The element if it is there now (no waiting). */
    public java.util.Optional<WebElement> find(SearchContext scope, String role, String name) {
        String selector = ROLE_SELECTORS.get(role);
        if (selector == null) {
            throw new IllegalArgumentException("no selector for role " + role);
        }
        @SuppressWarnings("unchecked")
        List<WebElement> candidates = (List<WebElement>) js("""
                const [scope, selector, name] = arguments;
                const squash = (t) => (t || '').replace(/\\s+/g, ' ').trim();
                const label = (el) => {
                  if (el.hasAttribute('aria-label')) return squash(el.getAttribute('aria-label'));
                  if (el.hasAttribute('aria-labelledby')) return squash(el.getAttribute('aria-labelledby').split(/\\s+/)
                      .map(id => document.getElementById(id)?.textContent).join(' '));
                  if (el.labels && el.labels.length) return squash([...el.labels].map(l => l.textContent).join(' '));
                  if (el.tagName === 'FIELDSET') return squash(el.querySelector('legend')?.textContent);
                  if (el.tagName === 'TABLE') return squash(el.querySelector('caption')?.textContent);
                  return squash(el.textContent || el.value);
                };
                const visible = (el) => el.getClientRects().length > 0 || el.getAttribute('role') === 'switch';
                return [...(scope || document).querySelectorAll(selector)].filter(el => visible(el) && label(el) === name);
                """, scope, selector, name);
        for (WebElement candidate : candidates) {
            try {
                // What assistive technology gets: Chromium's computed accessible name (and role) must agree.
                if (name.equals(candidate.getAccessibleName())) {
                    return java.util.Optional.of(candidate);
                }
            } catch (StaleElementReferenceException e) {
                return java.util.Optional.empty(); // re-rendered meanwhile: the caller waits and asks again
            }
        }
        return java.util.Optional.empty();
    }

    /** The table row (or other element) of the given id, waited for. */
    public WebElement byId(String id) {
        return until(d -> d.findElements(By.id(id)).stream().findFirst().orElse(null), "the element #" + id);
    }

    /** Waits until the function answers non-null/true. */
    public <T> T until(Function<WebDriver, T> condition, String what) {
        return new WebDriverWait(driver, PATIENCE).withMessage(() -> "waiting for " + what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Types into a field found by its label (clearing it first). */
    public void type(String label, String text) {
        WebElement field = role("textbox", label);
        field.clear();
        field.sendKeys(text);
    }

    // ------------------------------------------------------------------ evidence

    /** Saves a screenshot as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core on the current page: no violation of impact serious or critical. */
    public void assertAccessible(String page) {
        List<Axe.Violation> violations = Axe.check(driver);
        violations.stream().filter(v -> !v.seriousOrCritical())
                .forEach(v -> System.out.println("[axe] " + page + ": " + v));
        assertThat(violations.stream().filter(Axe.Violation::seriousOrCritical).toList())
                .as("serious or critical accessibility violations on %s", page).isEmpty();
    }

    /** Everything the browser logged since the last call (it hands each entry out once). */
    public List<String> drainLog() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            log.add(entry.getLevel() + " " + entry.getMessage());
        }
        return List.copyOf(log);
    }

    /**
     * Script errors, failed loads of the console's own files, policy violations, API refusals: anything
     * severe but a refusal the test declared with {@link #expectRefusal}.
     */
    public List<String> scriptErrors() {
        return drainLog().stream().filter(line -> line.startsWith("SEVERE "))
                .filter(line -> expectedRefusals.stream().noneMatch(p -> p.matcher(line.substring("SEVERE ".length()))
                        .matches())).toList();
    }

    public void assertNoScriptErrors() {
        assertThat(scriptErrors()).as("errors in the browser's console log").isEmpty();
    }
}
