package dev.wsl.core.store;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What every store of the single table holds: the client and the table's name. */
abstract class TableStore {
    final DynamoDbClient dynamo;
    final String table;

    TableStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
    }
}
