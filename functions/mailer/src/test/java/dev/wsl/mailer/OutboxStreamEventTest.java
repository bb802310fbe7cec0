package dev.wsl.mailer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.testkit.Events;
import dev.wsl.testkit.FakeStores;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The outbox stream handler on the DynamoDB stream batch Lambda delivers ({@code events/outbox-stream.json}). */
class OutboxStreamEventTest {
    private final FakeStores stores = new FakeStores();
    private final List<String> sent = new ArrayList<>();

    @Test
    void anInsertedMessageNoLongerPending_isSkipped_andAModifyIsNotDelivered() {
        OutboxStreamHandler handler = new OutboxStreamHandler(new InvitationMailer(stores.outbox(),
                (to, subject, body) -> sent.add(to.value()), "https://app.example.com/", Clock.systemUTC(),
                RetryPolicy.withoutPauses(1)));

        StreamsEventResponse response = handler.handleRequest(Events.dynamodb("outbox-stream"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aTableThatDoesNotAnswer_shouldFailTheRecordBySequenceNumber() {
        OutboxStore failing = (OutboxStore) Proxy.newProxyInstance(OutboxStore.class.getClassLoader(),
                new Class<?>[] {OutboxStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("claim")) {
                        throw DynamoDbException.builder().statusCode(500).message("internal").build();
                    }
                    return method.invoke(stores.outbox(), args);
                });
        OutboxStreamHandler handler = new OutboxStreamHandler(new InvitationMailer(failing,
                (to, subject, body) -> sent.add(to.value()), "https://app.example.com/", Clock.systemUTC(),
                RetryPolicy.withoutPauses(1)));

        StreamsEventResponse response = handler.handleRequest(Events.dynamodb("outbox-stream"), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("111100000000000000001", "111100000000000000002");
    }
}
