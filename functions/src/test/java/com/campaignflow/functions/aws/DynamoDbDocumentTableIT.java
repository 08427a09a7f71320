package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.progress.ProgressLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@ExtendWith(AwsEmulator.class)
class DynamoDbDocumentTableIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DynamoDbClient dynamoDb;
    private String tableName;
    private DynamoDbDocumentTable table;

    @BeforeEach
    void createTable() {
        dynamoDb = AwsEmulator.clients().dynamoDb();
        tableName = "ServiceHealth-" + UUID.randomUUID();
        // The same key schema as every table in template.yaml.
        dynamoDb.createTable(c -> c.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        table = new DynamoDbDocumentTable(dynamoDb, tableName);
    }

    @Test
    void everyJsonType_roundTripsExactly() throws Exception {
        ObjectNode item = (ObjectNode) JSON.readTree("""
                {"pk": "service#researcher", "sk": "#",
                 "text": "héllo", "empty": "", "small": 7, "negative": -12, "long": 9007199254740993,
                 "huge": 123456789012345678901234567890, "ratio": 0.81, "tiny": 1.0E-7,
                 "precise": 3.14159265358979323846264338327950288,
                 "yes": true, "no": false, "nothing": null,
                 "list": [1, "two", null, [3], {"four": 4.5}], "emptyList": [],
                 "map": {"nested": {"deeper": ["x"]}, "flag": true}, "emptyMap": {}}""");
        table.put(item);

        ObjectNode stored = table.get("service#researcher", "#").orElseThrow();

        ObjectNode expected = item.deepCopy();
        expected.put("version", 1);
        // Jackson parsed the 36-digit literal as a double; the table keeps every digit it was given.
        assertThat(stored.get("precise").decimalValue())
                .isEqualByComparingTo(BigDecimal.valueOf(item.get("precise").doubleValue()));
        stored.remove("precise");
        expected.remove("precise");
        assertThat(stored).isEqualTo(expected);
        assertThat(stored.get("huge").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(stored.get("long").longValue()).isEqualTo(9007199254740993L);
        assertThat(stored.get("ratio").doubleValue()).isEqualTo(0.81);
    }

    @Test
    void numbersAreStoredAsDynamoDbNumbers_andNullAsNull() {
        table.put(item("campaign#c1", "#").put("progress", 40).put("score", 0.5).putNull("error"));

        var raw = dynamoDb.getItem(g -> g.tableName(tableName).key(java.util.Map.of(
                "pk", AttributeValue.fromS("campaign#c1"), "sk", AttributeValue.fromS("#")))).item();

        assertThat(raw.get("progress").n()).isEqualTo("40");
        assertThat(raw.get("score").n()).isEqualTo("0.5");
        assertThat(raw.get("error").nul()).isTrue();
        assertThat(raw.get("version").n()).isEqualTo("1");
    }

    @Test
    void aTableThatIsGone_isAStoreThatIsUnavailable_namingTheTable() {
        DynamoDbDocumentTable gone = new DynamoDbDocumentTable(dynamoDb, "no-such-table-" + UUID.randomUUID());
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("pk", "service_health").put("sk", "writer");

        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> gone.get("service_health", "writer"),
                () -> gone.query("service_health"), gone::scan, () -> gone.putIfAbsent(item),
                () -> gone.delete("service_health", "writer"))) {
            assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("no-such-table-");
        }
    }

    @Test
    void get_missingItem_isEmpty() {
        assertThat(table.get("nobody", "#")).isEmpty();
    }

    @Test
    void put_incrementsTheStoredVersion() {
        table.put(item("service#writer", "#").put("failure_count", 0));
        table.put(item("service#writer", "#").put("failure_count", 1));

        ObjectNode stored = table.get("service#writer", "#").orElseThrow();
        assertThat(stored.get("version").longValue()).isEqualTo(2);
        assertThat(stored.get("failure_count").intValue()).isEqualTo(1);
    }

    @Test
    void putIfAbsent_secondWriteLoses() {
        assertThat(table.putIfAbsent(item("idem#k1", "#").put("owner", "first"))).isTrue();
        assertThat(table.putIfAbsent(item("idem#k1", "#").put("owner", "second"))).isFalse();

        assertThat(table.get("idem#k1", "#").orElseThrow().get("owner").asText()).isEqualTo("first");
    }

    @Test
    void putIfVersion_succeedsOnTheStoredVersion_andFailsOnAStaleOrMissingOne() {
        table.putIfAbsent(item("service#seo", "#").put("health_status", "healthy"));

        assertThat(table.putIfVersion(item("service#seo", "#").put("health_status", "degraded"), 1)).isTrue();
        assertThat(table.putIfVersion(item("service#seo", "#").put("health_status", "critical"), 1)).isFalse();
        assertThat(table.putIfVersion(item("service#missing", "#"), 1)).isFalse();

        ObjectNode stored = table.get("service#seo", "#").orElseThrow();
        assertThat(stored.get("health_status").asText()).isEqualTo("degraded");
        assertThat(stored.get("version").longValue()).isEqualTo(2);
        assertThat(table.get("service#missing", "#")).isEmpty();
    }

    @Test
    void concurrentOptimisticIncrements_loseNoUpdate() throws Exception {
        table.putIfAbsent(item("counter#c", "#").put("count", 0));
        int threads = 6;
        int incrementsEach = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(incrementer(incrementsEach)));
            }
            for (Future<Integer> worker : workers) {
                worker.get();
            }
            ObjectNode stored = table.get("counter#c", "#").orElseThrow();
            assertThat(stored.get("count").intValue()).isEqualTo(threads * incrementsEach);
            assertThat(stored.get("version").longValue()).isEqualTo(1 + threads * incrementsEach);
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<Integer> incrementer(int times) {
        return () -> {
            int conflicts = 0;
            for (int i = 0; i < times; i++) {
                while (true) {
                    ObjectNode current = table.get("counter#c", "#").orElseThrow();
                    long version = current.get("version").longValue();
                    ObjectNode next = current.deepCopy().put("count", current.get("count").intValue() + 1);
                    if (table.putIfVersion(next, version)) {
                        break;
                    }
                    conflicts++;
                }
            }
            return conflicts;
        };
    }

    @Test
    void progressLog_numbersMessagesFromAgentsAtOnce_andReplaysThemWithoutItsHead() throws Exception {
        ProgressLog log = new ProgressLog(table, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Long>> sequences = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sequences.add(pool.submit(() -> {
                    long sequence = log.nextSequence("camp-1", 0);
                    log.append(new ProgressMessage(ProgressMessage.AGENT_PROGRESS, "camp-1", "writer", 50, true, "none",
                            "writer completed", sequence));
                    return sequence;
                }));
            }
            List<Long> given = new ArrayList<>();
            for (Future<Long> f : sequences) {
                given.add(f.get());
            }
            assertThat(given).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.since("camp-1", 0, 100)).extracting(m -> m.path("sequence").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(log.lastSequence("camp-1", 0)).isEqualTo(12);
    }

    @Test
    void query_returnsOnePartitionOrderedBySortKey() {
        table.put(item("campaign#c1", "conn-b"));
        table.put(item("campaign#c1", "conn-a"));
        table.put(item("campaign#c1", "conn-c"));
        table.put(item("campaign#c2", "conn-a"));

        List<String> sortKeys = table.query("campaign#c1").stream().map(i -> i.get("sk").asText()).toList();

        assertThat(sortKeys).containsExactly("conn-a", "conn-b", "conn-c");
    }

    @Test
    void queryAndScan_followEveryPage() {
        String padding = "x".repeat(50_000); // 30 items of ~50 KB exceed DynamoDB's 1 MB page
        for (int i = 0; i < 30; i++) {
            table.put(item("perf#wf-1", "run-%02d".formatted(i)).put("padding", padding));
        }
        table.put(item("perf#wf-2", "run-00"));

        assertThat(table.query("perf#wf-1")).hasSize(30);
        assertThat(table.scan()).hasSize(31);
    }

    @Test
    void delete_removesTheItem() {
        table.put(item("connection#abc", "#"));
        table.delete("connection#abc", "#");
        assertThat(table.get("connection#abc", "#")).isEmpty();
    }

    @Test
    void itemsWithoutStringKeys_areRefused() {
        assertThatThrownBy(() -> table.put(JSON.createObjectNode().put("sk", "#")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pk'");
        assertThatThrownBy(() -> table.putIfAbsent(JSON.createObjectNode().put("pk", "a").put("sk", 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sk'");
    }

    @Test
    void exactDecimals_survive() {
        table.put(item("perf#exact", "#").put("precise", new BigDecimal("3.14159265358979323846264338327950288")));

        assertThat(table.get("perf#exact", "#").orElseThrow().get("precise").decimalValue())
                .isEqualByComparingTo("3.14159265358979323846264338327950288");
    }

    @Test
    void numberMapping_keepsIntegersIntegral_andDecimalsExact() {
        JsonNode big = DynamoDbDocumentTable.number("100000000000000000000000000000000000001");
        assertThat(big.isBigInteger()).isTrue();
        assertThat(DynamoDbDocumentTable.number("1E+3").intValue()).isEqualTo(1000);
        assertThat(DynamoDbDocumentTable.number("0.1").isDouble()).isTrue();
        assertThat(DynamoDbDocumentTable.number("0.1000000000000000000001").isBigDecimal()).isTrue();
    }

    private static ObjectNode item(String pk, String sk) {
        return JSON.createObjectNode().put("pk", pk).put("sk", sk);
    }
}
