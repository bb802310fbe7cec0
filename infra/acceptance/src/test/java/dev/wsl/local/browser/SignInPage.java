package dev.wsl.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

/** The local development issuer's sign-in page (what Cognito's or Okta's hosted page is in AWS). */
public final class SignInPage {
    private final Ui ui;

    public SignInPage(Ui ui) {
        this.ui = ui;
        ui.until(d -> d.getCurrentUrl().contains("/local/issuer/authorize") ? true : null, "the issuer's sign-in page");
        ui.role("heading", "Sign in");
    }

    /** The authorization request as the console sent it (the page's address). */
    public String requestUrl() {
        return ui.driver().getCurrentUrl();
    }

    public void signInAs(String email, String name) {
        ui.type("Email address", email);
        ui.type("Name", name);
        ui.role("button", "Sign in").click();
    }
}
