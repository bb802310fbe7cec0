package dev.wsl.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's queues in the emulator, by logical id: created by {@link #provision} (idempotent,
 * named {@code wsl-local-<LogicalId>} so that a long-running emulator keeps them), filled by the
 * stream pump, the event bus and the scheduler, read by tests. Thread-safe.
 */
final class SqsDeadLetterQueues implements DeadLetterQueues {

    /** A message taken from a queue. */
    record DeadLetter(String body, Map<String, String> attributes) {}

    /** What {@code Ref} and {@code Fn::GetAtt} of the queue give. */
    record ProvisionedQueue(String url, String arn, String name) {}

    private final SqsClient sqs;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    SqsDeadLetterQueues(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** Ensures the queue exists (an emulator reset removes it) and returns its names. */
    ProvisionedQueue provision(String logicalId) {
        String name = "wsl-local-" + logicalId;
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        urls.put(logicalId, url);
        return new ProvisionedQueue(url, arn, name);
    }

    @Override
    public void send(String queueLogicalId, String body, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
        attributes.forEach((name, value) -> values.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        sqs.sendMessage(r -> r.queueUrl(url(queueLogicalId)).messageBody(body).messageAttributes(values));
    }

    /** Receives and deletes every message in the queue now, oldest first as far as SQS tells. */
    List<DeadLetter> take(String queueLogicalId) {
        String url = url(queueLogicalId);
        List<DeadLetter> taken = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(0).messageAttributeNames("All")).messages();
            if (messages.isEmpty()) {
                return taken;
            }
            for (Message m : messages) {
                Map<String, String> attributes = new LinkedHashMap<>();
                m.messageAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
                taken.add(new DeadLetter(m.body(), attributes));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private String url(String queueLogicalId) {
        String url = urls.get(queueLogicalId);
        if (url == null) {
            throw new IllegalArgumentException("no queue " + queueLogicalId + " in the template (queues: " + urls.keySet() + ")");
        }
        return url;
    }
}
