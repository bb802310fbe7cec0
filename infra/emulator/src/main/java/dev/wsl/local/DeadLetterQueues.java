package dev.wsl.local;

import java.util.Map;

/**
 * Where the local runtime puts what Lambda, EventBridge or the scheduler would send to a failure
 * destination: the template's SQS queues, named by logical id.
 */
interface DeadLetterQueues {

    /**
     * Sends one message to the template's queue {@code queueLogicalId}.
     *
     * @param attributes SQS message attributes (strings), as the AWS service would set them; may be empty
     */
    void send(String queueLogicalId, String body, Map<String, String> attributes);

    /** For runtimes built without queues (unit tests of templates without destinations): refuses. */
    DeadLetterQueues NONE = (queue, body, attributes) -> {
        throw new IllegalStateException("no queue " + queue + " is provisioned in this runtime");
    };
}
