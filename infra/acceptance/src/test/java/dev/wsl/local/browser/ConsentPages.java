package dev.wsl.local.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The pages of consent and verified domains (issue 17, part B): Domains (admins), the prompt that asks a
 * provisioned person to Join or Decline, and the Auth Token page's choice of workspace.
 */
public final class ConsentPages {
    private ConsentPages() {}

    /** A workspace's email domains: add one, read its TXT record, verify, remove. */
    public static final class DomainsPage extends ConsolePage {
        public DomainsPage(Ui ui) {
            super(ui);
            heading("Add a domain");
            ui.until(d -> d.findElements(By.xpath("//*[contains(@class,'loading')]")).isEmpty() ? true : null,
                    "the domains");
        }

        public void add(String domain) {
            ui.type("Domain", domain);
            ui.role("button", "Add Domain").click();
        }

        /** The TXT record's name and value, as the page shows them to publish. */
        public List<String> record(String domain) {
            String id = domain.replaceAll("[^A-Za-z0-9_-]", "_");
            return List.of(ui.byId("domain-record-name-" + id).getText(), ui.byId("domain-record-value-" + id).getText());
        }

        public void verify(String domain) {
            ui.role("button", "Verify " + domain).click();
        }

        /** The status badge of the domain's entry. */
        public String status(String domain) {
            String id = domain.replaceAll("[^A-Za-z0-9_-]", "_");
            return ui.byId("domain-title-" + id).findElement(By.className("badge")).getText();
        }

        public void waitForStatus(String domain, String status) {
            ui.until(d -> status.equals(status(domain)) ? true : null, domain + " " + status);
        }

        public void remove(String domain) {
            ui.role("button", "Remove " + domain).click();
            ui.role("button", "Confirm Remove").click();
        }
    }

    /** The prompt after sign-in: workspaces whose identity provider added the person, each to Join or Decline. */
    public static final class PendingPage extends ConsolePage {
        public PendingPage(Ui ui) {
            super(ui);
            heading("Workspaces asking you to join");
            ui.until(d -> d.findElements(By.xpath("//*[contains(@class,'loading')]")).isEmpty() ? true : null,
                    "the workspaces asking");
        }

        /** Each prompt's heading (the workspace's name). */
        public List<String> workspaces() {
            return ui.driver().findElements(By.cssSelector("#pending > li h2")).stream().map(WebElement::getText).toList();
        }

        /** What the prompt says of who added the person. */
        public String addedBy(String workspace) {
            return ui.role("heading", workspace).findElement(By.xpath("following-sibling::p[1]")).getText();
        }

        public void join(String workspace) {
            ui.role("button", "Join " + workspace).click();
            waitForStatus("You joined " + workspace);
        }

        public void decline(String workspace) {
            ui.role("button", "Decline " + workspace).click();
            waitForStatus("You declined " + workspace);
        }
    }

    /** The Auth Token page's choice of the workspace the token activates in. */
    public static final class TokenWorkspaceChoice extends ConsolePage {
        public TokenWorkspaceChoice(Ui ui) {
            super(ui);
            heading("Where your token activates");
        }

        /** The line that says where activations go now. */
        public String activatesIn() {
            return ui.byId("token-activates-in").getText();
        }

        /** Chooses the workspace (its radio button is labelled with its name and whether it licenses the token). */
        public void choose(String workspace, boolean licensed) {
            ui.role("radio", workspace + " " + (licensed ? "Licensed" : "No license")).click();
            ui.role("button", "Save Choice").click();
            waitForStatus("Your auth token now activates in " + workspace);
        }
    }
}
