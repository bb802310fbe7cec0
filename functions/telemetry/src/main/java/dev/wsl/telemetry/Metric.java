package dev.wsl.telemetry;

import java.util.List;

/**
 * Every metric the functions emit, in CloudWatch embedded metric format (EMF): namespace
 * {@value #NAMESPACE}, unit Count, and a small fixed set of dimensions. This is the metric contract
 * that alarms and dashboards read (docs/operations.md, "Metrics"); a name or dimension changed here is a new
 * metric to CloudWatch, so {@code template.yaml}'s alarms and their test change with it.
 *
 * <p>Every metric has the dimension {@code Service} (the component that emits it) and at most two
 * more, whose values come from bounded sets (outcomes, credential kinds). Workspace, user, member
 * and key ids never become dimensions (each distinct value would be a metric of its own, billed per
 * month); they are properties of the log line that carries the metric.
 *
 * <p>A dimension's value is the summary line's field of the same name in lower camel case
 * ({@code Outcome} is the line's {@code outcome}, {@code CredentialKind} its {@code credentialKind}),
 * unless the invocation sets the dimension explicitly.
 */
public enum Metric {
    /** One per activation request: {@code Outcome} granted or the refusal's code, {@code CredentialKind} as presented. */
    ACTIVATIONS("Activations", "activation", "CredentialKind", "Outcome"),
    /** One per platform call the token authorizer decides: {@code Outcome} allowed or the refusal's code. */
    AUTHORIZATIONS("Authorizations", "authorizer", "CredentialKind", "Outcome"),
    /**
     * Platform calls the token authorizer denied because the table did not answer (throttled, failing or too slow
     * through the retries): API Gateway answers them 403, which no 5xx alarm sees, so AuthorizerUnavailableAlarm
     * reads this one.
     */
    AUTHORIZER_UNAVAILABLE("AuthorizerUnavailable", "authorizer"),
    /** One per license assignment asked for: {@code Outcome} assigned, or the refusal's slug (no-free-seat, ...). */
    SEAT_ASSIGNMENTS("SeatAssignments", "licenses", "Outcome"),
    /** One per license unassignment asked for: {@code Outcome} unassigned, or the refusal's slug. */
    SEAT_UNASSIGNMENTS("SeatUnassignments", "licenses", "Outcome"),
    /** Invitation emails SES accepted. */
    INVITATION_EMAILS_SENT("InvitationEmailsSent", "mailer"),
    /** Invitation emails whose sending failed and that will be retried. */
    INVITATION_EMAILS_FAILED("InvitationEmailsFailed", "mailer"),
    /** Invitation emails given up after their last attempt (the InvitationEmailsDeadAlarm reads this one). */
    INVITATION_EMAILS_DEAD("InvitationEmailsDead", "mailer"),
    /** Sunset notices sent to key holders. */
    SUNSET_NOTICES_SENT("SunsetNoticesSent", "sunset"),
    /** Sunset digests sent to workspace admins. */
    SUNSET_DIGESTS_SENT("SunsetDigestsSent", "sunset"),
    /** Legacy keys retired because their holder migrated to an auth token. */
    SUNSET_KEYS_RETIRED("SunsetKeysRetired", "sunset"),
    /** Legacy keys disabled at the cut-off. */
    SUNSET_KEYS_DISABLED("SunsetKeysDisabled", "sunset"),
    /** Legacy keys deleted after the clean-up delay. */
    SUNSET_KEYS_DELETED("SunsetKeysDeleted", "sunset"),
    /** Sunset emails that could not be sent (the next run tries again). */
    SUNSET_SEND_FAILURES("SunsetSendFailures", "sunset"),
    /** Idle licenses the reclaim policy took back (issue 21). */
    SEATS_RECLAIMED("SeatsReclaimed", "reclaim"),
    /** Reclaim notices queued for idle licenses' holders (the outbox sends them). */
    RECLAIM_NOTICES_QUEUED("ReclaimNoticesQueued", "reclaim");

    public static final String NAMESPACE = "WorkspaceLicenses";
    public static final String SERVICE = "Service";
    public static final String UNIT = "Count";

    private final String metricName;
    private final String service;
    private final List<String> dimensions;
    /** The log field each dimension's value comes from, in the order of {@link #dimensions}. */
    private final List<String> fields;
    /** Its dimension set and its metric definition as EMF writes them, written once. */
    private final String dimensionsJson;
    private final String definitionJson;

    Metric(String metricName, String service, String... ownDimensions) {
        this.metricName = metricName;
        this.service = service;
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(SERVICE);
        all.addAll(List.of(ownDimensions));
        this.dimensions = List.copyOf(all);
        this.fields = dimensions.stream().map(Metric::fieldOf).toList();
        StringBuilder d = new StringBuilder("[[");
        for (int i = 0; i < dimensions.size(); i++) {
            d.append(i == 0 ? "\"" : ",\"").append(dimensions.get(i)).append('"');
        }
        this.dimensionsJson = d.append("]]").toString();
        this.definitionJson = "{\"Name\":\"" + metricName + "\",\"Unit\":\"" + UNIT + "\"}";
    }

    /** The name in CloudWatch, e.g. {@code Activations}. */
    public String metricName() {
        return metricName;
    }

    /** The value of its {@code Service} dimension. */
    public String service() {
        return service;
    }

    /** Its dimension names, {@code Service} first. */
    public List<String> dimensions() {
        return dimensions;
    }

    List<String> fields() {
        return fields;
    }

    /** {@code [["Service","Outcome"]]}: the directive's {@code Dimensions}. */
    String dimensionsJson() {
        return dimensionsJson;
    }

    /** {@code {"Name":"Activations","Unit":"Count"}}: one entry of the directive's {@code Metrics}. */
    String definitionJson() {
        return definitionJson;
    }

    /** This metric's own EMF metric directive. */
    String directive() {
        return "{\"Namespace\":\"" + NAMESPACE + "\",\"Dimensions\":" + dimensionsJson + ",\"Metrics\":["
                + definitionJson + "]}";
    }

    /** The log field a dimension's value is read from: {@code CredentialKind} → {@code credentialKind}. */
    private static String fieldOf(String dimension) {
        return Character.toLowerCase(dimension.charAt(0)) + dimension.substring(1);
    }
}
