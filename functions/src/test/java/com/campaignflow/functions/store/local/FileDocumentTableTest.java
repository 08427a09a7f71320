package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.testing.Concurrently;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

    @Test
    void items_liveInOneLogFile_keysWithPathCharactersNeverReachTheFileSystem() throws Exception {
        FileDocumentTable table = new FileDocumentTable(root, "layout");
        table.put(item("a/../b", "x.y", 1));

        try (Stream<Path> files = Files.list(root.resolve("layout"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(TableLog.FILE, ".lock");
        }
        assertThat(Files.exists(root.resolve("b"))).isFalse();
        assertThat(new FileDocumentTable(root, "layout").get("a/../b", "x.y")).isPresent();
    }

    @Test
    void anotherProcessesAppends_areSeenByReadsAndConditionalWrites(@TempDir Path dir) {
        FileDocumentTable mine = new FileDocumentTable(dir, "t");
        FileDocumentTable theirs = unshared(dir, "t");
        mine.put(item("p", "#", 1));

        assertThat(theirs.get("p", "#").orElseThrow().path("value").asInt()).isEqualTo(1);
        assertThat(theirs.putIfVersion(item("p", "#", 2), 1)).isTrue();
        assertThat(mine.putIfVersion(item("p", "#", 3), 1)).isFalse(); // the other process got there first
        assertThat(mine.get("p", "#").orElseThrow().path("value").asInt()).isEqualTo(2);
        theirs.delete("p", "#");
        assertThat(mine.query("p")).isEmpty();
    }

    /** Table "t" holding p/a = 1 and p/b = 2; returns its log file. */
    private static Path logWithTwoItems(Path dir) {
        FileDocumentTable table = new FileDocumentTable(dir, "t");
        table.put(item("p", "a", 1));
        table.put(item("p", "b", 2));
        return dir.resolve("t").resolve(TableLog.FILE);
    }

    @Test
    void aTableWhoseFilesAreGone_failsAsAnUnavailableStore_andServesAgainOnceTheyAreBack(@TempDir Path dir)
            throws Exception {
        FileDocumentTable table = new FileDocumentTable(dir, "t");
        table.put(item("p1", "#", 1));
        Path tableDir = dir.resolve("t");
        Path away = dir.resolve("t.away");
        Files.move(tableDir, away);
        Files.writeString(tableDir, "not a directory");

        // what the API answers 503 to and a campaign step retries (not an internal error)
        assertThatThrownBy(() -> table.put(item("p2", "#", 2))).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(tableDir.toString());

        Files.delete(tableDir);
        Files.move(away, tableDir);
        table.put(item("p2", "#", 2));
        assertThat(table.get("p1", "#")).isPresent();
        assertThat(table.get("p2", "#")).isPresent();
    }

    @Test
    void anAppendCutShortByACrash_isDroppedAndTheTableStaysWritable(@TempDir Path dir) throws Exception {
        Path log = logWithTwoItems(dir);
        byte[] whole = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(whole, whole.length - 5)); // the last line loses its end

        FileDocumentTable reopened = unshared(dir, "t");
        assertThat(reopened.query("p")).extracting(n -> n.path("value").asInt()).containsExactly(1);
        reopened.put(item("p", "c", 3));
        assertThat(unshared(dir, "t").query("p")).extracting(n -> n.path("value").asInt()).containsExactly(1, 3);
    }

    @Test
    void aDamagedCompleteLine_isReportedWithItsOffset_notSkipped(@TempDir Path dir) throws Exception {
        Path log = logWithTwoItems(dir);
        String text = Files.readString(log);
        int firstItemLine = text.indexOf('\n') + 1; // after the header line
        Files.writeString(log, text.replace("\"value\":1", "\"value\":7"));

        assertThatThrownBy(() -> unshared(dir, "t").get("p", "b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt at offset " + firstItemLine).hasMessageContaining("checksum mismatch");
    }

    @Test
    void rewritingOneItemOverAndOver_compactsTheLog_andOtherReadersFollow(@TempDir Path dir) throws Exception {
        FileDocumentTable table = new FileDocumentTable(dir, "t", Durability.PROCESS_SAFE);
        FileDocumentTable reader = unshared(dir, "t");
        table.put(item("keep", "#", 0));
        ObjectNode big = item("hot", "#", 0);
        big.put("text", "x".repeat(10_000));
        for (int i = 1; i <= 400; i++) {
            big.put("value", i);
            table.put(big);
            // another process follows every write, across compactions (whose new file may reuse an old inode)
            assertThat(reader.get("hot", "#").orElseThrow().path("value").asInt()).isEqualTo(i);
        }

        assertThat(Files.size(dir.resolve("t").resolve(TableLog.FILE))).isLessThan(TableLog.COMPACT_MIN_BYTES);
        assertThat(reader.get("hot", "#").orElseThrow().path("version").asLong()).isEqualTo(400);
        assertThat(reader.scan()).extracting(n -> n.path("pk").asText()).containsExactly("hot", "keep");
    }

    @Test
    void tablesWrittenAsOneFilePerItem_areMovedIntoTheLog(@TempDir Path dir) throws Exception {
        Path legacy = Files.createDirectories(dir.resolve("t").resolve("tenant%23a"));
        Files.writeString(legacy.resolve("x%2Ey.json"), "{\"pk\":\"tenant#a\",\"sk\":\"x.y\",\"value\":4,\"version\":3}");
        Files.writeString(legacy.resolve(".tmp-abc.part"), "{\"half");

        FileDocumentTable table = new FileDocumentTable(dir, "t");

        ObjectNode moved = table.get("tenant#a", "x.y").orElseThrow();
        assertThat(moved.path("value").asInt()).isEqualTo(4);
        assertThat(moved.path("version").asLong()).isEqualTo(3);
        assertThat(legacy).doesNotExist();
        assertThat(table.putIfVersion(item("tenant#a", "x.y", 5), 3)).isTrue();
    }

    @Test
    void itemsPastTheirTimeToLive_areDroppedWhenTheTableIsLoaded(@TempDir Path dir) {
        java.time.Clock now = java.time.Clock.fixed(java.time.Instant.parse("2026-11-26T00:00:00Z"), java.time.ZoneOffset.UTC);
        FileDocumentTable table = new FileDocumentTable(dir, "t", Durability.SYNCED, "expires_at", now);
        long epoch = now.instant().getEpochSecond();
        table.put(item("p", "old", 1).put("expires_at", epoch - 1));
        table.put(item("p", "new", 2).put("expires_at", epoch + 60));
        table.put(item("p", "text", 3).put("expires_at", "2020-01-01T00:00:00Z")); // not a number: never expires
        table.put(item("p", "none", 4));

        FileDocumentTable reloaded = new FileDocumentTable(dir, "t", Durability.SYNCED,
                d -> TableLog.openUnshared(d, "expires_at", now));
        assertThat(reloaded.query("p")).extracting(n -> n.path("sk").asText()).containsExactly("new", "none", "text");
        FileDocumentTable withoutTtl = unshared(dir, "t");
        assertThat(withoutTtl.query("p")).hasSize(4);
    }

    private static FileDocumentTable unshared(Path dir, String name) {
        return new FileDocumentTable(dir, name, Durability.SYNCED, d -> TableLog.openUnshared(d, null, java.time.Clock.systemUTC()));
    }
}
