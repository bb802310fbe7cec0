package dev.wsl.licenses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives billing's subscription events from EventBridge. A malformed or inapplicable event
 * is logged and answered {@code accepted: false} with nothing written, so that it is not
 * retried (an answer ends the asynchronous invocation); a failure to write (e.g. throttling) is
 * thrown, so that Lambda's asynchronous retry delivers the event again.
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
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            BillingService.Outcome outcome = billing.apply(BillingEvent.parse(event));
            answer.put("accepted", true);
            answer.put("applied", outcome.applied());
            answer.put("note", outcome.note());
            if (outcome.purchaserLicense() != null) {
                answer.put("purchaserLicense", outcome.purchaserLicense());
            }
        } catch (BillingEvent.Rejected e) {
            System.err.println("billing event " + event.get("id") + " rejected: " + e.getMessage());
            answer.put("accepted", false);
            answer.put("reason", e.getMessage());
        }
        return answer;
    }
}
