package dev.wsl.local.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Provisioning (SCIM) page: the base URL, the token (shown once), the identity provider's groups and
 * their mapping, held changes to confirm or discard.
 */
public final class ScimPage extends ConsolePage {
    public ScimPage(Ui ui) {
        super(ui);
        heading("Connect an identity provider");
        ui.until(d -> d.findElements(By.xpath("//*[contains(@class,'loading')]")).isEmpty()
                && !"Loading…".equals(ui.byId("scim-token-hint").getText()) ? true : null, "the SCIM token and changes");
    }

    public String baseUrl() {
        return ui.byId("scim-base-url").getText();
    }

    public String hint() {
        return ui.byId("scim-token-hint").getText();
    }

    /** Creates the first token and answers it as shown (once). */
    public String create() {
        ui.role("button", "Create SCIM Token").click();
        return shownToken();
    }

    /** Regenerates after the confirmation that the current token stops at once. */
    public String regenerate() {
        ui.role("button", "Regenerate SCIM Token").click();
        ui.role("button", "Confirm Regenerate").click();
        return shownToken();
    }

    /** The notice of a token that stopped with its creator's authority (empty when the token works). */
    public String stoppedNotice() {
        return ui.driver().findElements(By.id("scim-token-stopped")).stream().map(WebElement::getText).findFirst()
                .orElse("");
    }

    /** Creates a new token in place of a stopped one and answers it as shown (once). */
    public String createNew() {
        ui.role("button", "Create a New SCIM Token").click();
        return shownToken();
    }

    public void done() {
        ui.role("button", "Done").click();
    }

    private String shownToken() {
        return ui.until(d -> {
            String shown = ui.role("region", "New SCIM token").findElement(By.tagName("code")).getText();
            return shown.startsWith("scim-") ? shown : null;
        }, "the new SCIM token");
    }

    /** The held changes' headings, as listed. */
    public List<String> changes() {
        return ui.driver().findElements(By.cssSelector("#changes > li h3")).stream().map(WebElement::getText).toList();
    }

    /** Confirms the first held change of the group, after its second question. */
    public void confirm(String summary) {
        ui.role("button", "Confirm change: " + summary).click();
        ui.role("button", "Apply Change").click();
        waitForStatus("was applied");
    }

    /** The identity provider's groups as the table lists them: each row's text. */
    public List<String> groups() {
        return ui.driver().findElements(By.cssSelector("#idp-groups tbody tr")).stream().map(WebElement::getText).toList();
    }

    /** Maps a group of the identity provider's: picks the target by its label in the group's select, then saves. */
    public void map(String groupName, String targetLabel) {
        WebElement select = ui.role("combobox", "What " + groupName + " is mapped to");
        new org.openqa.selenium.support.ui.Select(select).selectByVisibleText(targetLabel);
        ui.role("button", "Save mapping of " + groupName).click();
    }

    public void discard(String summary) {
        ui.role("button", "Discard change: " + summary).click();
        waitForStatus("was discarded");
    }
}
