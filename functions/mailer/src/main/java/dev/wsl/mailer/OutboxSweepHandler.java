package dev.wsl.mailer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.store.AwsClients;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Log;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scheduled retry of the outbox: sends every message whose next attempt is due
 * (failed sends, and messages the stream consumer did not finish), a page at a
 * time, until none is due or the invocation's time is nearly used up. A message that
 * fails unexpectedly (a malformed item, the table failing) does not stop the others:
 * every due message is tried, and only then does the run fail, so that its invocation
 * record still reaches the dead-letter queue and its alarm. Its summary line counts what
 * happened and carries the mailer's metrics ({@link Deliveries}). When SES is throttling or not
 * answering, the run stops at the first send that meets it (the rest stay due for the next run, without
 * spending their attempts); when the table is, it stops and fails.
 */
public final class OutboxSweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final int PAGE = 25;
    /**
     * Time kept back when starting a message: the longest one message can take when every call runs to its
     * timeout (claim, token and record at DynamoDB's 4 s each, the send at SES's 8 s; AwsClients), with room.
     */
    private static final long RESERVE_MILLIS = 25_000;

    private final OutboxStore outbox;
    private final InvitationMailer mailer;
    private final Clock clock;

    public OutboxSweepHandler() {
        this(Mailers.outbox(), Mailers.mailer(), Clock.systemUTC());
    }

    /** For tests and tools that need another clock (e.g. to make retries due). */
    public OutboxSweepHandler(OutboxStore outbox, InvitationMailer mailer, Clock clock) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, "schedule", invocation -> {
            Deliveries deliveries = new Deliveries();
            java.util.Set<OutboxMessage.Id> seen = new java.util.HashSet<>();
            RuntimeException firstFailure = null;
            int failed = 0;
            boolean stopped = false;
            try {
                while (!stopped && timeLeft(context)) {
                    List<OutboxMessage.Id> due = outbox.due(clock.instant(), PAGE).stream().filter(seen::add).toList();
                    if (due.isEmpty()) {
                        break;
                    }
                    for (OutboxMessage.Id key : due) {
                        // Checked per message too: a page of slow sends (SES answering late) must not run past the timeout.
                        if (!timeLeft(context)) {
                            stopped = true;
                            break;
                        }
                        try {
                            if (deliveries.add(mailer.deliver(key)) == InvitationMailer.Outcome.UNAVAILABLE) {
                                // SES is throttling or not answering: every other send would fail alike and spend one of
                                // its message's attempts. They stay due for the next run.
                                stopped = true;
                                break;
                            }
                        } catch (RuntimeException e) {
                            // The item stays due and first in the due order: stopping here would leave every
                            // invitation behind it unsent at every run. Its cause is logged (no token, no address).
                            Log.error("outbox message failed").field("workspaceId", key.workspaceId())
                                    .field("memberId", key.memberId()).error(e).write();
                            failed++;
                            firstFailure = firstFailure == null ? e : firstFailure;
                            if (AwsClients.unavailable(e)) {
                                // Unless the table itself is throttled or not answering: then every other message
                                // would wait out the same timeouts. The run fails for its retry and alarm.
                                stopped = true;
                                break;
                            }
                        }
                    }
                }
            } finally {
                deliveries.report(invocation.field("processed", seen.size()).field("failed", failed));
            }
            if (firstFailure != null) {
                throw new IllegalStateException(failed + " of " + seen.size() + " due outbox messages failed (the"
                        + " others were tried); the first: " + firstFailure.getClass().getName(), firstFailure);
            }
            Map<String, Object> summary = new LinkedHashMap<>(deliveries.byName());
            summary.put("processed", seen.size());
            return summary;
        });
    }

    private static boolean timeLeft(Context context) {
        return context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS;
    }
}
