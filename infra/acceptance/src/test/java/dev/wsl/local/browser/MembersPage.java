package dev.wsl.local.browser;

import java.util.List;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "Users & Licenses": the Licenses section (numbers, legacy keys), "Invite Users" and "Workspace
 * Members" (rows, license badges, details). Rows are found by the member's email as shown.
 */
public final class MembersPage extends ConsolePage {

    public MembersPage(Ui ui) {
        super(ui);
        heading("Workspace Members");
        ui.until(d -> d.findElements(By.cssSelector("table#members, .loading")).stream()
                .anyMatch(e -> e.getTagName().equals("table")) ? true : null, "the member list");
        ui.until(d -> !licenses().getText().contains("Loading") ? true : null, "the license summary");
        // Every section loaded (legacy keys, usage over time): none re-renders the page under the test afterwards.
        ui.until(d -> d.findElements(By.cssSelector("#main .loading")).isEmpty() ? true : null, "every section");
    }

    // ------------------------------------------------------------------ members

    public WebElement table() {
        return ui.role("table", "Workspace members");
    }

    /** The member's row, waiting for it to appear. */
    public WebElement row(String email) {
        return ui.until(d -> rowNow(email).orElse(null), "the row of " + email);
    }

    public Optional<WebElement> rowNow(String email) {
        return table().findElements(By.xpath(".//tbody/tr[td[normalize-space()='" + email + "']]")).stream().findFirst();
    }

    /** The emails of the rows shown, read again if the list is re-rendered while it is read. */
    public List<String> emails() {
        // The name is the row's header cell (th): the email is its first data cell.
        return ui.until(d -> table().findElements(By.xpath(".//tbody/tr/td[1]")).stream().map(WebElement::getText).toList(),
                "the member list's emails");
    }

    /** The text of one column ("Name", "Status", "Role", "License", "Legacy key", "Last activation") of a row. */
    public String cell(String email, String column) {
        List<String> headers = table().findElements(By.xpath(".//thead/tr/th")).stream().map(WebElement::getText).toList();
        int index = headers.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + headers);
        }
        return row(email).findElements(By.xpath("./th|./td")).get(index).getText();
    }

    public void waitForCell(String email, String column, String expected) {
        ui.until(d -> expected.equals(cell(email, column)) ? true : null, column + " of " + email + " = " + expected);
    }

    public WebElement assignButton(String email) {
        return ui.role(row(email), "button", "Assign License");
    }

    public void assignLicense(String email) {
        assignButton(email).click();
        ui.until(d -> cell(email, "License").startsWith("License") ? true : null, "the license badge of " + email);
    }

    public void unassignLicense(String email, String name) {
        ui.role(row(email), "button", "Unassign license from " + name).click();
        ui.until(d -> cell(email, "License").contains("Assign License") ? true : null, "no license badge for " + email);
    }

    public boolean hasButton(String name) {
        return ui.find(null, "button", name).isPresent();
    }

    public boolean rowHasButton(String email, String name) {
        return ui.find(row(email), "button", name).isPresent();
    }

    /** The reason shown while "Assign License" is disabled (what its buttons are described by). */
    public String assignReason() {
        return ui.byId("assign-reason").getText();
    }

    /** Flips "Show Removed" from the keyboard (Space on the focused switch). */
    public void showRemoved(boolean on) {
        WebElement toggle = ui.role("switch", "Show Removed");
        if (toggle.isSelected() != on) {
            toggle.sendKeys(Keys.SPACE);
        }
        ui.until(d -> ui.role("switch", "Show Removed").isSelected() == on ? true : null, "Show Removed " + on);
    }

    public void openDetails(String email, String name) {
        ui.role(row(email), "button", name).click();
        ui.role("region", "Details of " + name);
    }

    /** Opens the details with the keyboard: Enter on the member's name. */
    public void openDetailsWithKeyboard(String email, String name) {
        ui.role(row(email), "button", name).sendKeys(Keys.ENTER);
        ui.role("region", "Details of " + name);
    }

    public WebElement details(String name) {
        return ui.role("region", "Details of " + name);
    }

    public void setAccess(String name, String choice, String... permissions) {
        WebElement details = details(name);
        ui.role(details, "radio", choice).click();
        for (String permission : permissions) {
            WebElement box = ui.until(d -> details(name).findElements(By.xpath(".//label[contains(., '(" + permission
                    + ")')]")).stream().findFirst().orElse(null), "the permission " + permission);
            ui.byId(box.getAttribute("for")).click();
        }
        ui.role(details(name), "button", "Save Access").click();
    }

    public void resend(String name) {
        ui.role(details(name), "button", "Resend Invitation").click();
    }

    /** "Allow Provisioning Again" on the details of a member a person removed. */
    public void allowProvisioning(String name) {
        ui.role(details(name), "button", "Allow Provisioning Again").click();
        waitForStatus("may provision " + name + " again");
    }

    public void remove(String name) {
        ui.role(details(name), "button", "Remove User from Workspace").click();
        ui.role(details(name), "button", "Confirm Removal").click();
    }

    // ------------------------------------------------------------------ invite

    public void invite(String name, String email) {
        ui.type("Name", name);
        ui.type("Email address", email);
        ui.role("button", "Invite User").click();
    }

    /** Invites without the mouse: the fields typed into, the form sent with Enter. */
    public void inviteWithKeyboard(String name, String email) {
        ui.type("Name", name);
        ui.type("Email address", email);
        ui.role("textbox", "Email address").sendKeys(Keys.ENTER);
    }

    /** The error shown with a field (what its aria-describedby names), waited for. */
    public String fieldError(String label) {
        return describingError(() -> ui.role("textbox", label), "an error next to " + label);
    }

    /** The error shown next to a button (what its aria-describedby names, inside this container or the page), waited for. */
    public String buttonError(WebElement container, String button) {
        return describingError(() -> ui.role(container, "button", button), "an error next to " + button);
    }

    /** The text of the {@code …-error} element that describes the control (aria-describedby), without "Error:". */
    private String describingError(java.util.function.Supplier<WebElement> control, String what) {
        return ui.until(d -> {
            String ids = control.get().getAttribute("aria-describedby");
            if (ids == null) {
                return null;
            }
            for (String id : ids.split(" ")) {
                if (id.endsWith("-error")) {
                    return d.findElement(By.id(id)).getText().replaceFirst("^Error:\\s*", "");
                }
            }
            return null;
        }, what);
    }

    /** The error summary, which takes the focus when a form is refused. */
    public WebElement errorSummary() {
        return ui.role("heading", "There is a problem").findElement(By.xpath("./.."));
    }

    // ------------------------------------------------------------------ licenses and legacy keys

    public WebElement licenses() {
        return ui.role("region", "Licenses");
    }

    /** A number of the seat summary, by its label ("Seats", "In use", "Free", …). */
    public int stat(String label) {
        return Integer.parseInt(licenses().findElement(By.xpath(".//dt[normalize-space()='" + label
                + "']/following-sibling::dd[1]")).getText());
    }

    public void waitForStat(String label, int expected) {
        ui.until(d -> stat(label) == expected ? true : null, label + " = " + expected);
    }

    public void importKeys(String... keys) {
        WebElement area = ui.role("textbox", "Legacy keys to import");
        area.clear();
        area.sendKeys(String.join("\n", keys));
        ui.role("button", "Import Keys").click();
    }

    public WebElement keyRow(String masked) {
        return ui.until(d -> ui.role("table", "Legacy API keys").findElements(By.xpath(".//tbody/tr[td[normalize-space()='"
                + masked + "']]")).stream().findFirst().orElse(null), "the legacy key " + masked);
    }

    public List<String> maskedKeys() {
        return ui.find(null, "table", "Legacy API keys").map(t -> t.findElements(By.xpath(".//tbody/tr/td[1]")).stream()
                .map(WebElement::getText).toList()).orElse(List.of());
    }

    public void giveKey(String name, String masked) {
        WebElement details = details(name);
        new Select(ui.role(details, "combobox", "Legacy key of " + name)).selectByVisibleText(masked);
        ui.role(details(name), "button", "Save Legacy Key").click();
    }

    public void deleteKey(String masked) {
        ui.role(keyRow(masked), "button", "Delete legacy key " + masked).click();
        ui.role(keyRow(masked), "button", "Confirm Delete").click();
    }

    // ------------------------------------------------------------------ usage over time (issue 21)

    public WebElement usage() {
        return ui.role("region", "Usage over the last 90 days");
    }

    /** The chart, once drawn: an image named by its title. */
    public WebElement usageChart() {
        return ui.until(d -> usage().findElements(By.xpath(".//*[local-name()='svg'][@role='img']")).stream()
                .findFirst().orElse(null), "the usage chart");
    }

    /** The rows of the table beside the chart, newest first: each row's cells as text. */
    public List<List<String>> usageRows() {
        WebElement table = ui.role("table", "Usage per day (UTC), newest first");
        return table.findElements(By.xpath(".//tbody/tr")).stream()
                .map(r -> r.findElements(By.xpath("./th|./td")).stream().map(c -> c.getAttribute("textContent")).toList())
                .toList();
    }
}
