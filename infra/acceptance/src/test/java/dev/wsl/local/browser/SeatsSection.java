package dev.wsl.local.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The members page's idle seats and reclaim policy (issue 21), by what a person sees: the Licenses section's idle
 * count and its "Show idle seats", the "Show Idle Seats Only" switch, "Export CSV", and the admins' "Idle Seats and
 * Reclaim" card with its form and the preview of the next run.
 */
public final class SeatsSection {
    private final Ui ui;

    public SeatsSection(Ui ui) {
        this.ui = ui;
    }

    /** What the Licenses section says idle means here, and when the seats were counted. */
    public String idleNote() {
        return ui.byId("idle-note").getText();
    }

    public void showIdleSeats() {
        ui.role("button", "Show idle seats").click();
    }

    public WebElement idleSwitch() {
        return ui.role("switch", "Show Idle Seats Only");
    }

    public WebElement exportButton() {
        return ui.role(ui.role("region", "Workspace Members"), "button", "Export CSV");
    }

    public WebElement policyCard() {
        return ui.role("region", "Idle Seats and Reclaim");
    }

    /** Sets the policy in the form ("30 days", …) and saves it. */
    public void setPolicy(String idleAfter, boolean reclaim, String reclaimAfter) {
        new Select(ui.role(policyCard(), "combobox", "A seat is idle after")).selectByVisibleText(idleAfter);
        WebElement box = ui.role(policyCard(), "checkbox", "Reclaim idle seats");
        if (box.isSelected() != reclaim) {
            box.click();
        }
        new Select(ui.role(policyCard(), "combobox", "Reclaim seats idle for")).selectByVisibleText(reclaimAfter);
        ui.role(policyCard(), "button", "Save Policy").click();
    }

    public String previewLead() {
        return ui.byId("preview-lead").getText();
    }

    /** The preview's rows: each row's cells (Name, Email, Idle since, Idle days, Next run). */
    public List<List<String>> previewRows() {
        return ui.until(d -> ui.role(policyCard(), "table", "What the next run would do")
                .findElements(By.xpath(".//tbody/tr")).stream()
                .map(r -> r.findElements(By.xpath("./td")).stream().map(WebElement::getText).toList()).toList(),
                "the preview's rows");
    }
}
