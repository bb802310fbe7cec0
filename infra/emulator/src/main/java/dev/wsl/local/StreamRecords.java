package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A DynamoDB Streams record as Lambda hands it to a function (the events library's {@link DynamodbStreamRecord}),
 * and as the JSON that {@code FilterCriteria} patterns are matched against.
 */
final class StreamRecords {
    private StreamRecords() {}

    /** One record in both shapes. */
    record Converted(DynamodbStreamRecord record, JsonNode json) {}

    static Converted convert(String arn, Record source) {
        var ddb = source.dynamodb();
        StreamRecord streamRecord = new StreamRecord();
        ObjectNode dynamodbJson = Json.MAPPER.createObjectNode();
        if (ddb.hasKeys()) {
            streamRecord.setKeys(image(ddb.keys()));
            dynamodbJson.set("Keys", imageJson(ddb.keys()));
        }
        if (ddb.hasNewImage()) {
            streamRecord.setNewImage(image(ddb.newImage()));
            dynamodbJson.set("NewImage", imageJson(ddb.newImage()));
        }
        if (ddb.hasOldImage()) {
            streamRecord.setOldImage(image(ddb.oldImage()));
            dynamodbJson.set("OldImage", imageJson(ddb.oldImage()));
        }
        streamRecord.setSequenceNumber(ddb.sequenceNumber());
        streamRecord.setSizeBytes(ddb.sizeBytes());
        dynamodbJson.put("SequenceNumber", ddb.sequenceNumber());
        if (ddb.sizeBytes() != null) {
            dynamodbJson.put("SizeBytes", ddb.sizeBytes());
        }
        if (ddb.streamViewTypeAsString() != null) {
            streamRecord.setStreamViewType(StreamViewType.fromValue(ddb.streamViewTypeAsString()));
            dynamodbJson.put("StreamViewType", ddb.streamViewTypeAsString());
        }
        if (ddb.approximateCreationDateTime() != null) {
            streamRecord.setApproximateCreationDateTime(Date.from(ddb.approximateCreationDateTime()));
            dynamodbJson.put("ApproximateCreationDateTime", ddb.approximateCreationDateTime().getEpochSecond());
        }

        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID(source.eventID());
        record.setEventName(source.eventNameAsString());
        record.setEventVersion(source.eventVersion());
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion(source.awsRegion() != null ? source.awsRegion() : LocalContext.REGION);
        record.setEventSourceARN(arn);
        record.setDynamodb(streamRecord);

        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("eventID", record.getEventID());
        json.put("eventName", record.getEventName());
        json.put("eventVersion", record.getEventVersion());
        json.put("eventSource", record.getEventSource());
        json.put("awsRegion", record.getAwsRegion());
        json.put("eventSourceARN", arn);
        json.set("dynamodb", dynamodbJson);
        if (source.userIdentity() != null) {
            Identity identity = new Identity();
            identity.setPrincipalId(source.userIdentity().principalId());
            identity.setType(source.userIdentity().type());
            record.setUserIdentity(identity);
            json.set("userIdentity", Json.MAPPER.createObjectNode()
                    .put("principalId", identity.getPrincipalId()).put("type", identity.getType()));
        }
        return new Converted(record, json);
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image = new LinkedHashMap<>();
        item.forEach((name, value) -> image.put(name, lambdaValue(value)));
        return image;
    }

    /** The SDK's attribute value as the Lambda events library models it. */
    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(ByteBuffer.wrap(v.b().asByteArray()));
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case BS -> out.setBS(v.bs().stream().map(b -> ByteBuffer.wrap(b.asByteArray())).toList());
            case M -> out.setM(image(v.m()));
            case L -> out.setL(v.l().stream().map(StreamRecords::lambdaValue).toList());
            case BOOL -> out.setBOOL(v.bool());
            case NUL -> out.setNULL(v.nul());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type in " + v);
        }
        return out;
    }

    private static ObjectNode imageJson(Map<String, AttributeValue> item) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> node.set(name, valueJson(value)));
        return node;
    }

    /** DynamoDB JSON ({@code {"S": "x"}}), the form filter patterns are written against. */
    private static JsonNode valueJson(AttributeValue v) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", base64(v.b()));
            case SS -> strings(node.putArray("SS"), v.ss());
            case NS -> strings(node.putArray("NS"), v.ns());
            case BS -> strings(node.putArray("BS"), v.bs().stream().map(StreamRecords::base64).toList());
            case M -> node.set("M", imageJson(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(valueJson(e)));
            }
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", v.nul());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type in " + v);
        }
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
