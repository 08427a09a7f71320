package com.campaignflow.functions.aws;

import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link DocumentTable} on one DynamoDB table with string key attributes {@code pk} (partition) and {@code sk}
 * (sort). JSON maps to attribute values faithfully: string → S, number → N (as its exact decimal text), boolean →
 * BOOL, null → NULL, array → L, object → M. Reading also accepts SS/NS/BS/B written by other tools (as arrays and
 * base64 text). Numbers come back as int/long/BigInteger when integral, else double when the double is exact,
 * else BigDecimal, so nothing is rounded on the way through.
 *
 * <p>Every write maintains a numeric {@code version}: putIfAbsent stores 1 under {@code attribute_not_exists(pk)},
 * putIfVersion stores expected + 1 under {@code version = :expected}, and an unconditional put reads the stored
 * version and retries a conditional write until it wins. Reads are strongly consistent (circuit breakers and
 * optimistic locks must see the latest write).
 */
public final class DynamoDbDocumentTable implements DocumentTable {

    private static final int PUT_ATTEMPTS = 20;
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    /** The attribute holding the token of the conditional put that wrote an item (see conditionalPut). */
    static final String WRITE_TOKEN = "write_token";

    public DynamoDbDocumentTable(DynamoDbClient dynamoDb, String tableName) {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("DynamoDB table name is empty");
        }
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<ObjectNode> get(String pk, String sk) {
        GetItemResponse response;
        try {
            response = dynamoDb.getItem(g -> g.tableName(tableName).key(key(pk, sk)).consistentRead(true));
        } catch (SdkException e) {
            throw unavailable("GetItem", e);
        }
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(stored(response.item())) : Optional.empty();
    }

    @Override
    public List<ObjectNode> query(String pk) {
        requireKey("pk", pk);
        List<ObjectNode> items = new ArrayList<>();
        try {
            dynamoDb.queryPaginator(q -> q.tableName(tableName).consistentRead(true)
                            .keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", s(pk))))
                    .items().forEach(item -> items.add(stored(item)));
        } catch (SdkException e) {
            throw unavailable("Query", e);
        }
        return items;
    }

    @Override
    public List<ObjectNode> scan() {
        List<ObjectNode> items = new ArrayList<>();
        try {
            dynamoDb.scanPaginator(s -> s.tableName(tableName).consistentRead(true))
                    .items().forEach(item -> items.add(stored(item)));
        } catch (SdkException e) {
            throw unavailable("Scan", e);
        }
        return items;
    }

    @Override
    public void put(ObjectNode item) {
        String pk = requireKey("pk", item);
        String sk = requireKey("sk", item);
        for (int attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
            Optional<ObjectNode> stored = get(pk, sk);
            boolean written;
            if (stored.isEmpty()) {
                written = putIfAbsent(item);
            } else if (stored.get().path("version").isIntegralNumber()) {
                written = putIfVersion(item, stored.get().get("version").longValue());
            } else {
                // An item written without a version (by another tool): claim it while it still has none.
                written = conditionalPut(PutItemRequest.builder().tableName(tableName)
                        .item(toItem(item, 1))
                        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#version)")
                        .expressionAttributeNames(Map.of("#version", "version"))
                        .build());
            }
            if (written) {
                return;
            }
        }
        throw new IllegalStateException("item pk=" + pk + " sk=" + sk + " in " + tableName
                + " kept changing; gave up after " + PUT_ATTEMPTS + " attempts");
    }

    @Override
    public boolean putIfAbsent(ObjectNode item) {
        requireKey("pk", item);
        requireKey("sk", item);
        return conditionalPut(PutItemRequest.builder().tableName(tableName)
                .item(toItem(item, 1))
                .conditionExpression("attribute_not_exists(pk)")
                .build());
    }

    @Override
    public boolean putIfVersion(ObjectNode item, long expectedVersion) {
        requireKey("pk", item);
        requireKey("sk", item);
        return conditionalPut(PutItemRequest.builder().tableName(tableName)
                .item(toItem(item, expectedVersion + 1))
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))
                .build());
    }

    @Override
    public void delete(String pk, String sk) {
        try {
            dynamoDb.deleteItem(d -> d.tableName(tableName).key(key(pk, sk)));
        } catch (SdkException e) {
            throw unavailable("DeleteItem", e);
        }
    }

    private StoreUnavailableException unavailable(String operation, SdkException cause) {
        return new StoreUnavailableException("DynamoDB " + operation + " on table " + tableName + " failed", cause);
    }

    /**
     * True when written. Each conditional put carries a token of its own ({@value #WRITE_TOKEN}): a failed condition
     * against an item with this put's token is this put's own write — the SDK retried a put whose first attempt landed
     * but whose answer was lost (a 5xx, a timeout), and the retry failed its condition against it. DynamoDB returns
     * the item it checked ({@code ALL_OLD}) to tell. (Comparing the items would not do: two writers incrementing one
     * counter write equal items.)
     */
    private boolean conditionalPut(PutItemRequest request) {
        AttributeValue token = AttributeValue.fromS(UUID.randomUUID().toString());
        Map<String, AttributeValue> item = new LinkedHashMap<>(request.item());
        item.put(WRITE_TOKEN, token);
        try {
            dynamoDb.putItem(request.toBuilder().item(item)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return e.hasItem() && token.equals(e.item().get(WRITE_TOKEN));
        } catch (SdkException e) {
            throw unavailable("PutItem", e);
        }
    }

    /** A stored item as the port gives it: without the write token. */
    private static ObjectNode stored(Map<String, AttributeValue> item) {
        ObjectNode json = toJson(item);
        json.remove(WRITE_TOKEN);
        return json;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        requireKey("pk", pk);
        requireKey("sk", sk);
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    private static String requireKey(String name, ObjectNode item) {
        JsonNode value = item.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("item has no string key attribute '" + name + "'");
        }
        return requireKey(name, value.textValue());
    }

    private static String requireKey(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("key attribute '" + name + "' is empty");
        }
        return value;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** The item's attributes with {@code version} replaced by the given value. */
    static Map<String, AttributeValue> toItem(ObjectNode item, long version) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        item.properties().forEach(e -> attributes.put(e.getKey(), toAttribute(e.getValue())));
        attributes.put("version", AttributeValue.fromN(Long.toString(version)));
        return attributes;
    }

    static AttributeValue toAttribute(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> AttributeValue.fromS(node.textValue());
            case NUMBER -> AttributeValue.fromN(numberText(node));
            case BOOLEAN -> AttributeValue.fromBool(node.booleanValue());
            case NULL, MISSING -> AttributeValue.fromNul(true);
            case ARRAY -> {
                List<AttributeValue> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toAttribute(element)));
                yield AttributeValue.fromL(list);
            }
            case OBJECT -> {
                Map<String, AttributeValue> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), toAttribute(e.getValue())));
                yield AttributeValue.fromM(map);
            }
            case BINARY -> AttributeValue.fromB(SdkBytes.fromByteArray(binary(node)));
            case POJO -> throw new IllegalArgumentException("cannot store a POJO node in DynamoDB: " + node);
        };
    }

    private static String numberText(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("DynamoDB cannot store the number " + d);
            }
        }
        // BigDecimal.valueOf(double) is the shortest decimal that round-trips, so 0.81 stays 0.81.
        return node.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable binary node", e);
        }
    }

    static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode json = JSON.objectNode();
        item.forEach((name, value) -> json.set(name, toJsonNode(value)));
        return json;
    }

    static JsonNode toJsonNode(AttributeValue value) {
        return switch (value.type()) {
            case S -> JSON.textNode(value.s());
            case N -> number(value.n());
            case BOOL -> JSON.booleanNode(value.bool());
            case NUL -> JSON.nullNode();
            case L -> {
                ArrayNode array = JSON.arrayNode();
                value.l().forEach(element -> array.add(toJsonNode(element)));
                yield array;
            }
            case M -> toJson(value.m());
            case SS -> {
                ArrayNode array = JSON.arrayNode();
                value.ss().forEach(array::add);
                yield array;
            }
            case NS -> {
                ArrayNode array = JSON.arrayNode();
                value.ns().forEach(n -> array.add(number(n)));
                yield array;
            }
            case B -> JSON.textNode(Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BS -> {
                ArrayNode array = JSON.arrayNode();
                value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
                yield array;
            }
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalStateException("unknown DynamoDB attribute type: " + value);
        };
    }

    static JsonNode number(String text) {
        BigDecimal decimal = new BigDecimal(text);
        if (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0) {
            BigInteger integer = decimal.toBigIntegerExact();
            if (integer.bitLength() < 32) {
                return JSON.numberNode(integer.intValue());
            }
            if (integer.bitLength() < 64) {
                return JSON.numberNode(integer.longValue());
            }
            return JSON.numberNode(integer);
        }
        double d = decimal.doubleValue();
        if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(decimal) == 0) {
            return JSON.numberNode(d);
        }
        return JSON.numberNode(decimal);
    }
}
