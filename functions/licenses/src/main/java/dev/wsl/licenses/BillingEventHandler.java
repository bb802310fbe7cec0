package dev.wsl.licenses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.telemetry.Invocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives billing's subscription events from EventBridge. A malformed or inapplicable event
 * is logged and answered {@code accepted: false} with nothing written, so that it is not
 * retried (an answer ends the asynchronous invocation); a failure to write (e.g. throttling) is
 * thrown, so that Lambda's asynchronous retry delivers the event again. Its summary line names the
 * event (id, detail-type, workspace, subscription) and the outcome: {@code applied},
 * {@code already-applied}, {@code rejected} with the reason.
 */
public final class BillingEventHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final BillingService billing;

    public BillingEventHandler() {
        this(new BillingService(LicenseServices.licenses(), dev.wsl.core.failure.RetryPolicy.STANDARD));
    }

    BillingEventHandler(BillingService billing) {
        this.billing = billing;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Invocation.run(context, "eventbridge", invocation -> {
            invocation.field("eventId", text(event.get("id"))).field("detailType", text(event.get("detail-type")));
            if (event.get("detail") instanceof Map<?, ?> detail) {
                invocation.workspace(text(detail.get("workspaceId"))).field("subscriptionId",
                        text(detail.get("subscriptionId")));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            try {
                BillingService.Outcome outcome = billing.apply(BillingEvent.parse(event));
                answer.put("accepted", true);
                answer.put("applied", outcome.applied());
                answer.put("note", outcome.note());
                if (outcome.purchaserLicense() != null) {
                    answer.put("purchaserLicense", outcome.purchaserLicense());
                }
                invocation.outcome(outcome.applied() ? "applied" : "already-applied").field("note", outcome.note())
                        .field("purchaserLicense", outcome.purchaserLicense());
            } catch (BillingEvent.Rejected e) {
                // Not retried: the event itself is wrong. The reason names what (no event content beyond ids).
                invocation.outcome("rejected").field("reason", e.getMessage()).warn();
                answer.put("accepted", false);
                answer.put("reason", e.getMessage());
            }
            return answer;
        });
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }
}
