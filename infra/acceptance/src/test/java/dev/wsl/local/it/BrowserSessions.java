package dev.wsl.local.it;

import dev.wsl.local.LocalServer;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.Browsers;
import dev.wsl.local.browser.Ui;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every browser test of the console shares: a fresh session in the first browser before each test
 * ({@link #ui}), an optional second browser for a second person ({@link #second}), and afterwards a
 * screenshot of each and the rule that neither logged a script error or an undeclared API refusal.
 * People are signed in by the development issuer under a suffix of the test class's own, so that the
 * API setup acts as the very same users.
 */
@ExtendWith(LocalRuntimeExtension.class)
abstract class BrowserSessions {
    protected final LocalStackRuntime runtime;
    protected final Api api;
    protected final Licenses licenses;
    protected final String suffix = UUID.randomUUID().toString().substring(0, 8);
    protected Ui ui;
    protected Ui second;
    protected String testName;

    BrowserSessions(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @BeforeEach
    void freshSession(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        ui = new Ui(Browsers.first(), LocalRuntimeExtension.baseUrl());
        ui.forgetEverything();
        second = null;
    }

    @AfterEach
    void evidence() {
        ui.screenshot(testName);
        ui.assertNoScriptErrors();
        if (second != null) {
            second.screenshot(testName + "-second");
            second.assertNoScriptErrors();
        }
    }

    /** A person as the development issuer signs them in: the API setup acts as the very same user. */
    protected Api.User person(String label, String name) {
        String email = label + "-" + suffix + "@example.com";
        String sub = LocalServer.stableSub(email);
        return new Api.User(sub, email, name, runtime.token(sub, email, name, Duration.ofMinutes(30)));
    }
}
