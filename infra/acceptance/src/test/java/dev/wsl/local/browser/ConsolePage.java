package dev.wsl.local.browser;

import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** What every console page has: the banner (workspace switcher, sections, sign-out) and the status line. */
public class ConsolePage {
    protected final Ui ui;

    public ConsolePage(Ui ui) {
        this.ui = ui;
    }

    /** The start page when signed out: its "Sign in" button leads to the issuer. */
    public static SignInPage startSignIn(Ui ui) {
        ui.open("/");
        ui.role("button", "Sign in").click();
        return new SignInPage(ui);
    }

    /** Signs in from the start page and waits for the console to show a page of its own. */
    public static void signIn(Ui ui, String email, String name) {
        startSignIn(ui).signInAs(email, name);
        ui.role("button", "Sign out");
    }

    public void section(String linkName) {
        ui.role("link", linkName).click();
    }

    public void switchWorkspace(String name) {
        new Select(ui.role("combobox", "Workspace")).selectByVisibleText(name);
        ui.role("button", "Switch").click();
    }

    public boolean hasLink(String name) {
        return ui.find(null, "link", name).isPresent();
    }

    /** The polite status message (what was done last). */
    public String status() {
        return ui.byId("status").getText();
    }

    public void waitForStatus(String contains) {
        ui.until(d -> status().contains(contains) ? true : null, "the status \"" + contains + "\"");
    }

    public void signOut() {
        ui.role("button", "Sign out").click();
        ui.role("button", "Sign in");
    }

    protected WebElement heading(String text) {
        return ui.role("heading", text);
    }
}
