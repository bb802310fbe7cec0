package dev.wsl.local;

import static dev.wsl.local.TemplateDocument.asStringMap;
import static dev.wsl.local.TemplateDocument.list;
import static dev.wsl.local.TemplateDocument.mapList;
import static dev.wsl.local.TemplateDocument.scalarText;

import dev.wsl.local.SamTemplate.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The template's single {@code AWS::DynamoDB::Table}, as everything needed to create it locally. */
record TemplateTable(TemplateDocument doc) {

    /** The template's single {@code AWS::DynamoDB::Table}. */
    TableDefinition tableDefinition() {
        List<String> tables = doc.resourceIdsOfType("AWS::DynamoDB::Table");
        if (tables.size() != 1) {
            throw new IllegalStateException("the local runtime expects exactly one " + "AWS::DynamoDB::Table" + ", found " + tables);
        }
        String id = tables.getFirst();
        Map<String, Object> p = doc.resourceProperties(id);
        List<TableDefinition.Attribute> attributes = new ArrayList<>();
        for (Map<String, Object> a : mapList(p.get("AttributeDefinitions"), "AttributeDefinitions")) {
            attributes.add(new TableDefinition.Attribute(scalarText(a.get("AttributeName")), scalarText(a.get("AttributeType"))));
        }
        Optional<String> stream = Optional.ofNullable(p.get("StreamSpecification"))
                .map(s -> asStringMap(s, "StreamSpecification").get("StreamViewType"))
                .map(TemplateDocument::scalarText);
        Optional<String> ttl = Optional.ofNullable(p.get("TimeToLiveSpecification"))
                .map(s -> asStringMap(s, "TimeToLiveSpecification"))
                .filter(s -> Boolean.parseBoolean(scalarText(s.getOrDefault("Enabled", "false"))))
                .map(s -> scalarText(s.get("AttributeName")));
        return new TableDefinition(id,
                p.containsKey("BillingMode") ? scalarText(p.get("BillingMode")) : "PROVISIONED",
                attributes,
                keySchema(p.get("KeySchema"), "KeySchema of " + id),
                indexes(p.get("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes"),
                indexes(p.get("LocalSecondaryIndexes"), "LocalSecondaryIndexes"),
                throughput(p.get("ProvisionedThroughput")),
                stream, ttl);
    }

    private static List<TableDefinition.SecondaryIndex> indexes(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        List<TableDefinition.SecondaryIndex> indexes = new ArrayList<>();
        for (Map<String, Object> index : mapList(value, where)) {
            String name = scalarText(index.get("IndexName"));
            Map<String, Object> projection = asStringMap(index.get("Projection"), "Projection of " + name);
            List<String> nonKey = projection.containsKey("NonKeyAttributes")
                    ? list(projection.get("NonKeyAttributes"), "NonKeyAttributes").stream().map(TemplateDocument::scalarText).toList()
                    : List.of();
            indexes.add(new TableDefinition.SecondaryIndex(name, keySchema(index.get("KeySchema"), "KeySchema of " + name),
                    scalarText(projection.getOrDefault("ProjectionType", "ALL")), nonKey,
                    throughput(index.get("ProvisionedThroughput"))));
        }
        return indexes;
    }

    private static List<TableDefinition.KeyElement> keySchema(Object value, String where) {
        return mapList(value, where).stream()
                .map(k -> new TableDefinition.KeyElement(scalarText(k.get("AttributeName")), scalarText(k.get("KeyType"))))
                .toList();
    }

    private static Optional<TableDefinition.Throughput> throughput(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Map<String, Object> t = asStringMap(value, "ProvisionedThroughput");
        return Optional.of(new TableDefinition.Throughput(Long.parseLong(scalarText(t.get("ReadCapacityUnits"))),
                Long.parseLong(scalarText(t.get("WriteCapacityUnits")))));
    }
}
