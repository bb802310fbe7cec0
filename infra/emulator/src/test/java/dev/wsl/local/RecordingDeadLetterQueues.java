package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake of the template's queues for unit tests: keeps what is sent. */
final class RecordingDeadLetterQueues implements DeadLetterQueues {

    record Sent(String queue, JsonNode body, Map<String, String> attributes) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(String queueLogicalId, String body, Map<String, String> attributes) {
        sent.add(new Sent(queueLogicalId, Json.read(body), Map.copyOf(attributes)));
    }
}
