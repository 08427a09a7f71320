package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.testing.Concurrently;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileDocumentTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    static Stream<Arguments> tables() {
        return Stream.of(Arguments.of("file", new FileDocumentTable(root, "items")),
                Arguments.of("memory", new InMemoryDocumentTable()));
    }

    private static ObjectNode item(String pk, String sk, int value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pk", pk);
        n.put("sk", sk);
        n.put("value", value);
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void writes_maintainVersionAndConditions(String kind, DocumentTable table) {
        assertThat(table.putIfAbsent(item("p1", "#", 1))).isTrue();
        assertThat(table.putIfAbsent(item("p1", "#", 2))).isFalse();
        assertThat(table.get("p1", "#").orElseThrow().path("version").asLong()).isEqualTo(1);

        assertThat(table.putIfVersion(item("p1", "#", 3), 1)).isTrue();
        assertThat(table.putIfVersion(item("p1", "#", 4), 1)).isFalse();
        table.put(item("p1", "#", 5));

        ObjectNode stored = table.get("p1", "#").orElseThrow();
        assertThat(stored.path("value").asInt()).isEqualTo(5);
        assertThat(stored.path("version").asLong()).isEqualTo(3);
        table.delete("p1", "#");
        assertThat(table.get("p1", "#")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void query_returnsOnePartitionOrderedBySortKey_evenForKeysWithPathCharacters(String kind, DocumentTable table) {
        table.put(item("tenant#../x/y", "2026-11-26T01:00:00Z#b", 2));
        table.put(item("tenant#../x/y", "2026-11-26T00:00:00Z#a", 1));
        table.put(item("tenant#other", "z", 9));

        assertThat(table.query("tenant#../x/y")).extracting(n -> n.path("value").asInt()).containsExactly(1, 2);
        assertThat(table.scan()).extracting(n -> n.path("value").asInt()).contains(1, 2, 9);
        assertThat(table.query("nobody")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void putIfVersion_concurrentIncrements_loseNoUpdate(String kind, DocumentTable table) throws Exception {
        table.put(item("counter", kind, 0));

        Concurrently.run(8, i -> () -> {
            for (int n = 0; n < 10; n++) {
                while (true) {
                    ObjectNode current = table.get("counter", kind).orElseThrow();
                    ObjectNode next = item("counter", kind, current.path("value").asInt() + 1);
                    if (table.putIfVersion(next, current.path("version").asLong())) {
                        break;
                    }
                }
            }
            return null;
        });

        assertThat(table.get("counter", kind).orElseThrow().path("value").asInt()).isEqualTo(80);
    }

    @org.junit.jupiter.api.Test
    void fileLayout_isOneJsonFilePerItemWithEncodedKeys() {
        FileDocumentTable table = new FileDocumentTable(root, "layout");
        table.put(item("a/../b", "x.y", 1));

        assertThat(root.resolve("layout").resolve("a%2F%2E%2E%2Fb").resolve("x%2Ey.json")).exists();
        assertThat(Files.exists(root.resolve("b"))).isFalse();
    }
}
