package dev.wsl.testkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The handlers' JSON event fixtures ({@code src/test/resources/events/<name>.json}: API Gateway HTTP API payload 2.0
 * requests, an authorizer request, an EventBridge scheduled event, a DynamoDB stream batch), read the way the Lambda
 * runtime reads an event: with its own serializers ({@code aws-lambda-java-serialization}), so that a fixture that
 * the runtime would map differently (a DynamoDB attribute's {@code "S"}, a {@code isBase64Encoded}) fails here too.
 */
public final class Events {
    private Events() {}

    /** An API Gateway HTTP API (payload 2.0) request. */
    public static APIGatewayV2HTTPEvent http(String name) {
        return load(name, APIGatewayV2HTTPEvent.class);
    }

    /** A DynamoDB stream batch. */
    public static DynamodbEvent dynamodb(String name) {
        return load(name, DynamodbEvent.class);
    }

    /** An event a handler takes as a map (an EventBridge event, a schedule's input). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String name) {
        return load(name, Map.class);
    }

    /** The fixture as it arrives on a stream handler's input (the token authorizer's request). */
    public static String text(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture as {@code type}, through the runtime's serializer for it. */
    public static <T> T load(String name, Class<T> type) {
        try (InputStream in = open(name)) {
            return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("events/" + name + ".json");
        if (in == null) {
            throw new IllegalArgumentException("no event fixture events/" + name + ".json on the test class path");
        }
        return in;
    }
}
