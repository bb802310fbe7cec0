package dev.wsl.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.failure.ChangedMeanwhile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The request a transaction sends: a ClientRequestToken of its own, so that the SDK's retry of the
 * identical request after a lost answer is idempotent in DynamoDB (moto, which the integration tests
 * run against, accepts the token and ignores it), and a new one for every transaction built, so that
 * a use case's re-planned attempt is never taken for a repeat.
 */
class TransactionTest {
    private final List<TransactWriteItemsRequest> sent = new ArrayList<>();
    private final DynamoDbClient dynamo = new DynamoDbClient() {
        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            sent.add(request);
            return TransactWriteItemsResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    };

    private Transaction oneWrite() {
        return new Transaction("t").put(Map.of("PK", AttributeValue.fromS("a"), "SK", AttributeValue.fromS("b")),
                Condition.notExists(), () -> new ChangedMeanwhile("taken"));
    }

    @Test
    void everyTransaction_shouldCarryAClientRequestTokenOfItsOwn() {
        oneWrite().execute(dynamo);
        oneWrite().execute(dynamo);

        assertThat(sent).hasSize(2);
        String first = sent.get(0).clientRequestToken();
        assertThat(first).isNotBlank().hasSizeLessThanOrEqualTo(36);
        assertThat(sent.get(1).clientRequestToken()).isNotBlank().isNotEqualTo(first);
    }

    /** What DynamoDB cancels for a moment (a concurrent transaction, a throttled item) is Busy, for the use case to retry. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TransactionConflict", "ThrottlingError"})
    void aTransactionCancelledForAMoment_shouldBeBusy(String reason) {
        DynamoDbClient cancelling = cancelling(reason);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> oneWrite().execute(cancelling))
                .isInstanceOf(dev.wsl.core.failure.Busy.class)
                .hasCauseInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
    }

    @Test
    void aCancellationForAnotherReason_shouldStayWhatItIs() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> oneWrite().execute(cancelling("ValidationError")))
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
    }

    private static DynamoDbClient cancelling(String reason) {
        return new DynamoDbClient() {
            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                throw software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.builder()
                        .message("Transaction cancelled [" + reason + "]")
                        .cancellationReasons(software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder()
                                .code(reason).build()).build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {}
        };
    }
}
