package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The run command: the template's HTTP API (and with it the console) on {@code http://127.0.0.1:3000}
 * ({@code $PORT}), functions in-process against moto (or {@code $AWS_ENDPOINT_URL}), the stream,
 * schedules and the default event bus driven locally, plus development-only routes under
 * {@code /local/} (tokens and the development issuer's sign-in, the JWKS, sent mail, running a
 * schedule now, publishing an event; see {@link LocalServer}). {@code token <email> [name]}
 * asks a running server for a token; {@code purchase <workspaceId> <plan> <seats> [email]}
 * publishes a billing purchase on it.
 */
public final class LocalMain {

    static final Duration TOKEN_TTL = LocalServer.TOKEN_TTL;
    /** The billing system's events, as the template's {@code BillingEventsFunction} rule selects them. */
    static final String BILLING_SOURCE = "wsl.billing";
    /** The template's billing bus (its logical id; the local bus also takes its name or ARN), where billing publishes. */
    static final String BILLING_BUS = "BillingEventBus";
    static final String SUBSCRIPTION_PURCHASED = "Subscription Purchased";
    static final Duration SUBSCRIPTION_TERM = Duration.ofDays(365);
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The invite walk of docs/walks.md, printed as it is there: a new invitee each time, and a wait for their
     * own email before its link is read (the outbox sends it a moment after the invite answers; the
     * last link in the mail would be someone else's). {@code LocalMainTest} keeps the two equal.
     */
    static final String INVITE_WALK = """
            export JANE_EMAIL=jane-$RANDOM@example.com
            # invite Jane (answers 202: the email leaves through the outbox)
            curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                 -d '{"name":"Jane Doe","email":"'$JANE_EMAIL'"}' $API/workspaces/$WS/members

            # the email as SES sent it: it leaves through the outbox within a second (the runtime prints it too)
            until curl -s $API/local/emails | grep -q "\\"to\\":\\"$JANE_EMAIL\\""; do sleep 0.5; done
            curl -s $API/local/emails
            export INVITE=$(curl -s $API/local/emails | grep -o "\\"to\\":\\"$JANE_EMAIL\\"[^}]*" | grep -o 'token=[A-Za-z0-9_-]*' \\
                 | tail -1 | cut -d= -f2)

            # sign in as Jane: a JWT from the local development issuer
            export JANE=$(curl -s -X POST -d '{"email":"'$JANE_EMAIL'","name":"Jane Doe"}' $API/local/token \\
                 | sed -E 's/.*"token":"([^"]+)".*/\\1/')

            # Jane accepts; then the member list shows her ACTIVE under her username
            curl -s -X POST -H "Authorization: Bearer $JANE" -H 'Content-Type: application/json' \\
                 -d "{\\"token\\":\\"$INVITE\\"}" $API/invitations/accept
            curl -s -H "Authorization: Bearer $TOKEN" "$API/workspaces/$WS/members?limit=25"
            """;
    private static final Duration PUMP_INTERVAL = Duration.ofMillis(500);

    private final LocalStackRuntime runtime;
    private final int port;

    private LocalMain(LocalStackRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int port = port();
        if (args.length == 0 || args[0].equals("run")) {
            serve(port);
        } else if (args[0].equals("token") && args.length >= 2) {
            try {
                System.out.println(LocalCli.requestToken(port, args[1], args.length >= 3 ? args[2] : null));
            } catch (ConnectException e) {
                notRunning(port);
            }
        } else if (args[0].equals("params") && java.util.Arrays.stream(args).skip(1).allMatch(a -> a.indexOf('=') > 0)) {
            try {
                System.out.println(LocalCli.params(port, java.util.Arrays.copyOfRange(args, 1, args.length)));
            } catch (ConnectException e) {
                notRunning(port);
            } catch (IllegalStateException refused) {
                // The server's own 400 says what is wrong; no stack trace for a typo.
                System.err.println(refused.getMessage());
                System.exit(1);
            }
        } else if (args[0].equals("dns-txt") && (args.length == 3 || (args.length >= 3 && args.length <= 4
                && args[1].equals("--remove")))) {
            try {
                boolean remove = args[1].equals("--remove");
                System.out.println(LocalCli.dnsTxt(port, remove ? args[2] : args[1], remove ? (args.length == 4 ? args[3] : null)
                        : args[2], remove));
            } catch (ConnectException e) {
                notRunning(port);
            }
        } else if (args[0].equals("purchase") && args.length >= 4 && args.length <= 5 && args[3].matches("-?\\d{1,9}")) {
            try {
                System.out.println(LocalCli.purchase(port, args[1], args[2], Integer.parseInt(args[3]), args.length == 5 ? args[4] : null));
            } catch (ConnectException e) {
                notRunning(port);
            }
        } else {
            System.err.println("""
                    usage: local-runtime.jar [run]              serve the API on 127.0.0.1:$PORT (default 3000; $BIND overrides the address)
                           local-runtime.jar token EMAIL [NAME] print a token from the running server
                           local-runtime.jar purchase WORKSPACE_ID PLAN SEATS [PURCHASER_EMAIL]
                                                                publish a "Subscription Purchased" billing event
                                                                to the running server; prints the deliveries
                           local-runtime.jar dns-txt NAME VALUE  publish a TXT record on the running server's DNS
                           local-runtime.jar dns-txt --remove NAME [VALUE]
                                                                remove it (or every TXT record of NAME)
                           local-runtime.jar params [NAME=VALUE ...]
                                                                show (or change) the running server's template
                                                                parameters; changed functions restart, state stays""");
            System.exit(2);
        }
    }

    private static void notRunning(int port) {
        System.err.println("no local runtime answers on port " + port
                + ": start it with infra/run-local.sh (PORT selects the port)");
        System.exit(1);
    }

    private static int port() {
        String value = System.getenv("PORT");
        return value == null || value.isBlank() ? LocalStackRuntime.DEFAULT_PORT : Integer.parseInt(value.trim());
    }

    // ------------------------------------------------------------------ serving

    private static void serve(int port) throws IOException, InterruptedException {
        // Bind first: a busy port should fail before an emulator is started for nothing.
        // Loopback unless BIND says otherwise (e.g. 0.0.0.0, so that a LocalStack container reaches it).
        String bind = System.getenv("BIND");
        InetAddress address = bind == null || bind.isBlank() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind.trim());
        LocalServer server;
        try {
            server = LocalServer.bind(address, port);
        } catch (java.net.BindException e) {
            System.err.println("port " + port + " is in use (another local runtime?): stop that one, or start this one"
                    + " with PORT=<another port>");
            System.exit(1);
            return;
        }
        LocalStackRuntime runtime = LocalStackRuntime.start(LocalStackRuntime.Options.fromEnvironment().withPort(port));
        runtime.closeInOrderOnShutdown();
        LocalMain app = new LocalMain(runtime, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread mailPrinter = Thread.ofPlatform().daemon().name("mail-printer").unstarted(app::printNewMail);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping...");
            server.close();
            mailPrinter.interrupt();
            runtime.close();
            stopped.countDown();
        }, "local-shutdown"));

        server.start(runtime);
        runtime.streamPump().start(PUMP_INTERVAL);
        runtime.scheduler().start();
        mailPrinter.start();
        app.seedDemo();
        stopped.await();
    }

    /**
     * A billing {@code Subscription Purchased} event for a new subscription ({@code sub_} and 12
     * random lowercase alphanumerics) of one year from {@code now}, as the billing system would
     * publish it; {@code purchaserEmail} is left out when null.
     */
    static Map<String, Object> subscriptionPurchased(String workspaceId, String plan, int seats, String purchaserEmail,
                                                     Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", workspaceId);
        detail.put("subscriptionId", "sub_" + randomId(12));
        detail.put("plan", plan);
        detail.put("seats", seats);
        detail.put("periodStart", start.toString());
        detail.put("periodEnd", start.plus(SUBSCRIPTION_TERM).toString());
        if (purchaserEmail != null) {
            detail.put("purchaserEmail", purchaserEmail);
        }
        detail.put("sequence", 1);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("source", BILLING_SOURCE);
        event.put("detail-type", SUBSCRIPTION_PURCHASED);
        event.put("detail", detail);
        return event;
    }

    private static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String json(Object value) {
        return Json.write(value);
    }

    // ------------------------------------------------------------------ mail and demo

    private void printNewMail() {
        int printed = 0;
        String lastProblem = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<SentEmail> emails = runtime.sentEmails();
                if (emails.size() < printed) {
                    printed = 0; // the emulator was reset
                }
                for (SentEmail e : emails.subList(printed, emails.size())) {
                    System.out.println();
                    System.out.println("==> email to " + e.to() + ": " + e.subject());
                    e.links().forEach(link -> System.out.println("   " + link));
                }
                printed = emails.size();
                lastProblem = null;
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!e.toString().equals(lastProblem)) {
                    System.err.println("[local] cannot read sent mail: " + e);
                    lastProblem = e.toString();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void seedDemo() {
        String api = "http://127.0.0.1:" + port;
        String adminEmail = "admin@example.com";
        String token = runtime.token(LocalServer.stableSub(adminEmail), adminEmail, "Demo Admin", TOKEN_TTL);
        APIGatewayV2HTTPResponse created = runtime.gateway().dispatch("POST", "/workspaces", "",
                Map.of("authorization", "Bearer " + token, "content-type", "application/json", "host", "127.0.0.1:" + port),
                "{\"name\":\"Demo workspace\"}");
        String workspaceId = workspaceId(created);
        String memberId = callerMemberId(created);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PrintStream out = System.out;
        out.println();
        out.println("Local API on " + api + "  (AWS emulator: " + runtime.endpoint()
                + (runtime.ownsEmulator() ? ", moto" : "") + "; table " + runtime.tableName() + ")");
        if (workspaceId == null) {
            out.println("Could not seed the demo workspace: POST /workspaces answered " + created.getStatusCode()
                    + " " + created.getBody() + " (see the log above). Set WS yourself after creating one.");
            workspaceId = "'<workspace id>'";
        } else {
            out.println("Seeded \"Demo workspace\" owned by " + adminEmail + ".");
            out.println("Console: open " + api + "/ in a browser and sign in as " + adminEmail
                    + " (the local issuer asks only for an email and a name); everything below works there too.");
            seedSubscription(workspaceId, adminEmail, out);
            out.println("Paste into a shell:");
        }
        out.println();
        out.printf("""
                  export API=%s
                  export TOKEN=%s
                  export WS=%s
                  export ME=%s

                  # list the members
                  curl -s -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members
                %s

                  # licenses: the seeded Team subscription (5 seats) and who holds them
                  curl -s -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/licenses
                  # assign a license to a member ($ME is the admin; or Jane's id from the member list), then take it back
                  curl -s -X POST -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members/$ME/license
                  curl -s -X DELETE -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members/$ME/license
                  # billing records another purchase: an EventBridge event on the billing bus
                  infra/run-local.sh purchase $WS Enterprise 10
                  #   or with curl (any event: source, detail-type, detail, EventBusName; answers what each function returned)
                  curl -s -X POST $API/local/events -d '{"EventBusName":"BillingEventBus","source":"%s","detail-type":"%s","detail":{"workspaceId":"'$WS'",
                       "subscriptionId":"sub_%s","plan":"Enterprise","seats":10,"periodStart":"%s","periodEnd":"%s","sequence":1}}'
                """, api, token, workspaceId, memberId == null ? "'<member id>'" : memberId,
                INVITE_WALK.stripTrailing().replaceAll("(?m)^(?=.)", "  "), BILLING_SOURCE, SUBSCRIPTION_PURCHASED, randomId(12), now,
                now.plus(SUBSCRIPTION_TERM));
        for (SamTemplate.ScheduledFunction s : runtime.scheduler().scheduled()) {
            out.printf("  # run %s (%s) now instead of waiting%n  curl -s -X POST $API/local/scheduled/%s%n",
                    s.functionLogicalId(), s.scheduleExpression(), s.functionLogicalId());
        }
        for (String f : runtime.template().operatorFunctions()) {
            out.printf("  # %s, which an operator invokes by hand (dry run; {} to run it)%n"
                    + "  curl -s -X POST $API/local/invoke/%s -d '{\"dryRun\":true}'%n", f, f);
        }
        out.println();
        out.println("Emails are printed here as they are sent. Ctrl-C stops everything.");
    }

    /**
     * Records the demo workspace's first purchase through the event bus, as billing would. The
     * license functions may not exist yet or may refuse it; that is reported, not fatal.
     */
    private void seedSubscription(String workspaceId, String purchaserEmail, PrintStream out) {
        String problem;
        try {
            List<EventBus.Delivery> deliveries = runtime.eventBus()
                    .put(BILLING_BUS, subscriptionPurchased(workspaceId, "Team", 5, purchaserEmail, Instant.now()));
            problem = deliveries.isEmpty() ? "no rule of the template matches it"
                    : deliveries.stream()
                            .filter(d -> d.failed() || d.result() == null || Boolean.FALSE.equals(d.result().get("accepted")))
                            .map(d -> d.functionLogicalId() + (d.failed() ? " failed: " : " answered ") + json(d.result()))
                            .reduce((a, b) -> a + "; " + b)
                            .orElse(null);
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        if (problem == null) {
            out.println("Seeded a Team subscription with 5 seats for it (a " + SUBSCRIPTION_PURCHASED + " billing event).");
        } else {
            out.println("WARNING the seeded " + SUBSCRIPTION_PURCHASED + " event (Team, 5 seats) was not accepted: "
                    + problem + ". The demo workspace has no licenses until a purchase is accepted.");
        }
    }

    /** The caller's member id in a created workspace ({@code you.memberId}), or null. */
    private static String callerMemberId(APIGatewayV2HTTPResponse created) {
        if (created.getStatusCode() != 201 || created.getBody() == null) {
            return null;
        }
        try {
            JsonNode id = Json.read(created.getBody()).path("you").path("memberId");
            return id.isTextual() ? id.asText() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String workspaceId(APIGatewayV2HTTPResponse created) {
        if (created.getStatusCode() != 201 || created.getBody() == null) {
            return null;
        }
        try {
            JsonNode body = Json.read(created.getBody());
            JsonNode id = body.has("id") ? body.get("id") : body.findValue("id");
            return id == null ? null : id.asText();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
