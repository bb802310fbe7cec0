package dev.wsl.local;

import dev.wsl.local.SamTemplate.TableDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * Creates in the emulator what the template declares and the functions need at run time: the
 * table (keys, indexes, billing, stream, TTL) and the SES sender identities. Idempotent, so it
 * can run against an emulator that already has them (a long-running LocalStack).
 */
final class Provisioner {

    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

    private final DynamoDbClient dynamoDb;
    private final SesClient ses;
    private final KmsClient kms;

    Provisioner(DynamoDbClient dynamoDb, SesClient ses, KmsClient kms) {
        this.dynamoDb = dynamoDb;
        this.ses = ses;
        this.kms = kms;
    }

    /**
     * A key in the emulator. {@code reference} is its alias, which KMS accepts wherever a key id
     * is, and which survives an emulator reset (the key is re-created under the same alias), so
     * the functions' configuration stays valid.
     */
    record ProvisionedKey(String reference, String arn) {}

    /**
     * Ensures a symmetric key for the template's {@code AWS::KMS::Key}, found again by the alias
     * {@code alias/wsl-local-{logicalId}} so that restarts against a long-running emulator reuse it.
     */
    ProvisionedKey provisionKey(String logicalId) {
        String alias = "alias/wsl-local-" + logicalId;
        try {
            var key = kms.describeKey(r -> r.keyId(alias)).keyMetadata();
            return new ProvisionedKey(alias, key.arn());
        } catch (software.amazon.awssdk.services.kms.model.NotFoundException e) {
            var key = kms.createKey(r -> r.description("wsl local " + logicalId)).keyMetadata();
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
            return new ProvisionedKey(alias, key.arn());
        }
    }

    /** Ensures the table exists, active, with its TTL; returns its description. */
    TableDescription provisionTable(TableDefinition definition, String tableName) {
        if (describe(tableName).isEmpty()) {
            dynamoDb.createTable(createRequest(definition, tableName));
        }
        TableDescription table = awaitActive(tableName);
        if (definition.ttlAttribute().isPresent()) {
            String attribute = definition.ttlAttribute().get();
            var ttl = dynamoDb.describeTimeToLive(r -> r.tableName(tableName)).timeToLiveDescription();
            boolean enabled = ttl != null && attribute.equals(ttl.attributeName())
                    && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
            if (!enabled) {
                dynamoDb.updateTimeToLive(r -> r.tableName(tableName)
                        .timeToLiveSpecification(s -> s.attributeName(attribute).enabled(true)));
            }
        }
        return table;
    }

    /** Verifies each address (emulators verify instantly) unless it already is an identity. */
    void provisionSenders(List<String> addresses) {
        List<String> existing = ses.listIdentities(r -> r.identityType("EmailAddress")).identities();
        for (String address : addresses) {
            if (!existing.contains(address)) {
                ses.verifyEmailIdentity(r -> r.emailAddress(address));
            }
        }
    }

    /** Deletes the table if it exists and waits until it is gone. */
    void deleteTable(String tableName) {
        if (describe(tableName).isEmpty()) {
            return;
        }
        dynamoDb.deleteTable(r -> r.tableName(tableName));
        Instant deadline = Instant.now().plus(ACTIVE_TIMEOUT);
        while (describe(tableName).isPresent()) {
            pause(deadline, "deletion of " + tableName);
        }
    }

    static CreateTableRequest createRequest(TableDefinition d, String tableName) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.fromValue(d.billingMode()))
                .attributeDefinitions(d.attributes().stream()
                        .map(a -> AttributeDefinition.builder().attributeName(a.name()).attributeType(a.type()).build())
                        .toList())
                .keySchema(keys(d.keySchema()));
        d.throughput().map(Provisioner::throughput).ifPresent(request::provisionedThroughput);
        if (!d.globalSecondaryIndexes().isEmpty()) {
            request.globalSecondaryIndexes(d.globalSecondaryIndexes().stream().map(i -> {
                GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
                        .indexName(i.name()).keySchema(keys(i.keySchema())).projection(projection(i));
                i.throughput().map(Provisioner::throughput).ifPresent(index::provisionedThroughput);
                return index.build();
            }).toList());
        }
        if (!d.localSecondaryIndexes().isEmpty()) {
            request.localSecondaryIndexes(d.localSecondaryIndexes().stream()
                    .map(i -> LocalSecondaryIndex.builder().indexName(i.name()).keySchema(keys(i.keySchema()))
                            .projection(projection(i)).build())
                    .toList());
        }
        // CloudFormation's StreamSpecification has only the view type; declaring it enables the stream.
        d.streamViewType().ifPresent(view -> request.streamSpecification(
                StreamSpecification.builder().streamEnabled(true).streamViewType(view).build()));
        return request.build();
    }

    private static List<KeySchemaElement> keys(List<TableDefinition.KeyElement> keys) {
        return keys.stream()
                .map(k -> KeySchemaElement.builder().attributeName(k.attributeName()).keyType(k.keyType()).build())
                .toList();
    }

    private static Projection projection(TableDefinition.SecondaryIndex index) {
        Projection.Builder projection = Projection.builder().projectionType(index.projectionType());
        if (!index.nonKeyAttributes().isEmpty()) {
            projection.nonKeyAttributes(index.nonKeyAttributes());
        }
        return projection.build();
    }

    private static ProvisionedThroughput throughput(TableDefinition.Throughput t) {
        return ProvisionedThroughput.builder()
                .readCapacityUnits(t.readCapacityUnits()).writeCapacityUnits(t.writeCapacityUnits()).build();
    }

    private Optional<TableDescription> describe(String tableName) {
        try {
            return Optional.of(dynamoDb.describeTable(r -> r.tableName(tableName)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private TableDescription awaitActive(String tableName) {
        Instant deadline = Instant.now().plus(ACTIVE_TIMEOUT);
        while (true) {
            TableDescription table = describe(tableName).orElseThrow(
                    () -> new IllegalStateException("table " + tableName + " vanished while being created"));
            if (table.tableStatus() == TableStatus.ACTIVE) {
                return table;
            }
            pause(deadline, "table " + tableName + " to become ACTIVE");
        }
    }

    private static void pause(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }
}
