package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.SentEmail;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the real handlers through the local API Gateway (JWT authorizer, payload 2.0 events)
 * against the emulator, the way a web app or an admin's script would.
 */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN_IN_LINK = Pattern.compile("accept-invitation#token=([A-Za-z0-9_-]{43})");

    private final LocalStackRuntime runtime;

    Api(LocalStackRuntime runtime) {
        this.runtime = runtime;
    }

    /** A signed-in person: their JWT is minted by the local development issuer. */
    record User(String sub, String email, String name, String jwt) {}

    /** @param headers the response's headers (lower-case names); empty where a helper did not keep them */
    record Response(int status, String contentType, JsonNode json, String raw, Map<String, String> headers) {
        Response(int status, String contentType, JsonNode json, String raw) {
            this(status, contentType, json, raw, Map.of());
        }

        String text(String field) {
            return json.get(field).asText();
        }

        Response expect(int expected) {
            assertThat(status).as("status of response %s", raw).isEqualTo(expected);
            return this;
        }
    }

    User user(String email) {
        String sub = "sub-" + email.replace('@', '-');
        String name = email.substring(0, email.indexOf('@'));
        return new User(sub, email, name, runtime.token(sub, email, name, Duration.ofMinutes(30)));
    }

    Response call(User user, String method, String path, String body) {
        return call(user == null ? null : user.jwt(), method, path, body);
    }

    Response call(String jwt, String method, String path, String body) {
        Map<String, String> headers = new HashMap<>();
        if (jwt != null) {
            headers.put("authorization", "Bearer " + jwt);
        }
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        int q = path.indexOf('?');
        APIGatewayV2HTTPResponse response = runtime.gateway().dispatch(method, q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1), headers, body);
        String contentType = response.getHeaders() == null ? null : response.getHeaders().get("content-type");
        JsonNode json = null;
        try {
            json = response.getBody() == null || response.getBody().isEmpty() ? null : JSON.readTree(response.getBody());
        } catch (java.io.IOException e) {
            throw new AssertionError("response is not JSON: " + response.getBody(), e);
        }
        return new Response(response.getStatusCode(), contentType, json, response.getBody(),
                response.getHeaders() == null ? Map.of() : Map.copyOf(response.getHeaders()));
    }

    /**
     * A GET with {@code Accept: text/csv} (issue 21's exports): the body is kept as text, parsed as JSON only when
     * the answer is a problem.
     */
    Response csv(User user, String path) {
        Map<String, String> headers = new HashMap<>();
        if (user != null) {
            headers.put("authorization", "Bearer " + user.jwt());
        }
        headers.put("accept", "text/csv");
        int q = path.indexOf('?');
        APIGatewayV2HTTPResponse response = runtime.gateway().dispatch("GET", q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1), headers, null);
        Map<String, String> answered = response.getHeaders() == null ? Map.of() : Map.copyOf(response.getHeaders());
        String contentType = answered.get("content-type");
        JsonNode json = null;
        if (contentType != null && contentType.contains("json")) {
            try {
                json = JSON.readTree(response.getBody());
            } catch (java.io.IOException e) {
                throw new AssertionError("response is not JSON: " + response.getBody(), e);
            }
        }
        return new Response(response.getStatusCode(), contentType, json, response.getBody(), answered);
    }

    String createWorkspace(User admin, String name) {
        return call(admin, "POST", "/workspaces", "{\"name\":\"" + name + "\"}").expect(201).text("id");
    }

    Response invite(User admin, String ws, String name, String email) {
        return call(admin, "POST", "/workspaces/" + ws + "/members",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
    }

    /** Delivers what the outbox holds, as the stream would in AWS. */
    int deliverMail() {
        return runtime.streamPump().drainOnce();
    }

    List<SentEmail> mailTo(String email) {
        return runtime.sentEmails().stream().filter(m -> m.to().equalsIgnoreCase(email)).toList();
    }

    /** The token from the link in the newest invitation email to this address. */
    String latestInvitationToken(String email) {
        List<SentEmail> mails = mailTo(email);
        assertThat(mails).as("invitation emails to %s", email).isNotEmpty();
        Matcher m = TOKEN_IN_LINK.matcher(mails.get(mails.size() - 1).body());
        assertThat(m.find()).as("link in %s", mails.get(mails.size() - 1).body()).isTrue();
        return m.group(1);
    }

    Response accept(User user, String token) {
        return call(user, "POST", "/invitations/accept", "{\"token\":\"" + token + "\"}");
    }

    /** Invites, delivers the email, and accepts through its link: the member id of a new ACTIVE member. */
    String addActiveMember(User admin, String ws, User who) {
        String memberId = invite(admin, ws, "Placeholder " + who.name(), who.email()).expect(202).text("id");
        deliverMail();
        accept(who, latestInvitationToken(who.email())).expect(200);
        return memberId;
    }

    List<JsonNode> allMembers(User caller, String ws, boolean includeRemoved) {
        List<JsonNode> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            String path = "/workspaces/" + ws + "/members?limit=100" + (includeRemoved ? "&includeRemoved=true" : "")
                    + (cursor == null ? "" : "&cursor=" + cursor);
            Response page = call(caller, "GET", path, null).expect(200);
            page.json().get("items").forEach(all::add);
            cursor = page.json().has("nextCursor") ? page.text("nextCursor") : null;
        } while (cursor != null);
        return all;
    }

    int auditCount(User admin, String ws) {
        int count = 0;
        String cursor = null;
        do {
            Response page = call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).expect(200);
            count += page.json().get("items").size();
            cursor = page.json().has("nextCursor") ? page.text("nextCursor") : null;
        } while (cursor != null);
        return count;
    }
}
