package dev.wsl.local;

/** Test access to the run command's {@code /local/} routes from other test packages. */
public final class LocalMainAccess {
    private LocalMainAccess() {}

    /** A route's answer: status and JSON body. */
    public record Answer(int status, String body) {}

    /** Billing's {@code Subscription Purchased} event as the run command publishes it (on the billing bus). */
    public static java.util.Map<String, Object> purchase(String workspaceId, String plan, int seats, String purchaserEmail) {
        return LocalMain.subscriptionPurchased(workspaceId, plan, seats, purchaserEmail, java.time.Instant.now());
    }

    public static Answer parameters(LocalStackRuntime runtime, String method, String body) {
        LocalHelpers.LocalResponse r = LocalHelpers.parameters(runtime, method, body);
        return new Answer(r.status(), r.body());
    }
}
