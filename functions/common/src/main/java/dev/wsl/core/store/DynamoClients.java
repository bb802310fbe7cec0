package dev.wsl.core.store;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client once per cold start. Region, credentials and an
 * endpoint override (AWS_ENDPOINT_URL / aws.endpointUrl, for emulators) come from
 * the SDK's default chains, so the same code runs in Lambda, locally and in tests;
 * attempts and timeouts are {@link AwsClients}'.
 */
public final class DynamoClients {
    private DynamoClients() {}

    public static DynamoDbClient create() {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(AwsClients.configuration(AwsClients.Service.DYNAMODB))
                .build();
    }
}
