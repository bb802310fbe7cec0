package dev.wsl.local.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The console's smaller pages: new workspace, CI keys, auth token, audit log, accepting an invitation. */
public final class OtherPages {
    private OtherPages() {}

    public static final class NewWorkspacePage extends ConsolePage {
        public NewWorkspacePage(Ui ui) {
            super(ui);
            heading("Create a workspace");
        }

        public MembersPage create(String name) {
            ui.type("Workspace name", name);
            ui.role("button", "Create Workspace").click();
            return new MembersPage(ui);
        }
    }

    public static final class CiKeysPage extends ConsolePage {
        public CiKeysPage(Ui ui) {
            super(ui);
            heading("Create a CI key");
            ui.until(d -> !d.findElements(By.xpath("//*[contains(@class,'loading')]")).isEmpty() ? null : true, "the CI keys");
        }

        /** Creates a key and returns it as shown (once). */
        public String create(String name) {
            ui.type("Name", name);
            ui.role("button", "Create CI Key").click();
            // Found again on each try: the console may re-render the panel between finding it and reading it.
            return ui.until(d -> {
                String shown = ui.role("region", "New CI key \"" + name + "\"").findElement(By.tagName("code")).getText();
                return shown.isBlank() ? null : shown;
            }, "the new CI key " + name);
        }

        public void done() {
            ui.role("button", "Done").click();
        }

        public String status(String name) {
            return cell(name, "Status");
        }

        /** The text of one column ("Key", "Created", "Created by", "Status" …) of the key's row. */
        public String cell(String name, String column) {
            List<String> headers = ui.role("table", "CI keys").findElements(By.xpath(".//thead/tr/th")).stream()
                    .map(WebElement::getText).toList();
            int index = headers.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("no column " + column + " in " + headers);
            }
            return row(name).findElements(By.xpath("./th|./td")).get(index).getText();
        }

        public WebElement row(String name) {
            return ui.until(d -> ui.role("table", "CI keys").findElements(By.xpath(".//tbody/tr[th[normalize-space()='"
                    + name + "']]")).stream().findFirst().orElse(null), "the CI key " + name);
        }

        public void revoke(String name) {
            ui.role(row(name), "button", "Revoke CI key " + name).click();
            ui.role(row(name), "button", "Confirm Revoke").click();
            ui.until(d -> "REVOKED".equals(status(name)) ? true : null, name + " revoked");
        }

        /**
         * Rotates the key, keeping the old one working as chosen ("No: it stops working at once", "For 24 hours" …),
         * and returns the new key as shown (once).
         */
        public String rotate(String name, String keepOld) {
            ui.role(row(name), "button", "Rotate CI key " + name).click();
            new Select(ui.role(row(name), "combobox", "Keep the old key working")).selectByVisibleText(keepOld);
            ui.role(row(name), "button", "Confirm Rotation").click();
            return ui.until(d -> {
                String shown = ui.role("region", "New key for the CI key \"" + name + "\"").findElement(By.tagName("code"))
                        .getText();
                return shown.isBlank() ? null : shown;
            }, "the new key of " + name);
        }

        /** The notice of the key's old secret that still works, or empty. */
        public java.util.Optional<WebElement> overlap(String name) {
            // In the row of its own right under the key's.
            return row(name).findElements(By.xpath("following-sibling::tr[1][contains(@class,'overlap-row')]"
                    + "//*[@role='group'][contains(., 'keeps working until')]")).stream().findFirst();
        }

        public void endNow(String name) {
            ui.role("button", "End now: stop the old key of " + name).click();
            ui.until(d -> overlap(name).isEmpty() ? true : null, "the old key of " + name + " ended");
        }
    }

    public static final class AuthTokenPage extends ConsolePage {
        public AuthTokenPage(Ui ui) {
            super(ui);
            heading("Your personal auth token");
            ui.byId("auth-token-value");
        }

        public String shown() {
            return ui.byId("auth-token-value").getText();
        }

        public String reveal() {
            WebElement button = ui.role("button", "Reveal Token");
            if (!"true".equals(button.getAttribute("aria-pressed"))) {
                button.click();
            }
            return ui.until(d -> shown().startsWith("ls-") && !shown().contains("hidden") ? shown() : null, "the token");
        }

        /** Copies the token to the clipboard and answers what the clipboard then holds. */
        public String copy() {
            ui.role("button", "Copy Token").click();
            waitForStatus("copied to the clipboard");
            return (String) ((org.openqa.selenium.JavascriptExecutor) ui.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('error: ' + e));");
        }

        public void rotate() {
            rotate("No: it stops working at once");
        }

        /** Rotates, keeping the old token working as chosen ("For 24 hours" …). */
        public void rotate(String keepOld) {
            ui.role("button", "Rotate Token").click();
            new Select(ui.role("combobox", "Keep the old token working")).selectByVisibleText(keepOld);
            ui.role("button", "Confirm Rotation").click();
            waitForStatus("was rotated");
        }

        /** The notice of the old token that still works, or empty. */
        public java.util.Optional<WebElement> overlap() {
            return ui.driver().findElements(By.id("token-overlap-notice")).stream().findFirst();
        }

        public void endNow() {
            ui.role("button", "End now: stop your old auth token").click();
            waitForStatus("old auth token no longer works");
        }
    }

    public static final class AuditPage extends ConsolePage {
        public AuditPage(Ui ui) {
            super(ui);
            heading("Changes, newest first");
        }

        public List<String> actions() {
            return ui.role("table", "Audit log, newest first").findElements(By.xpath(".//tbody/tr/td[3]")).stream()
                    .map(WebElement::getText).toList();
        }
    }

    public static final class AcceptPage extends ConsolePage {
        public AcceptPage(Ui ui) {
            super(ui);
            heading("Accept Invitation");
        }

        public SignInPage signInToAccept() {
            ui.role("button", "Sign in to Accept").click();
            return new SignInPage(ui);
        }

        public MembersPage accept() {
            ui.role("button", "Accept Invitation").click();
            return new MembersPage(ui);
        }
    }
}
