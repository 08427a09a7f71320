package com.campaignflow.local.sfn.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> reopen() {
        List<String> seen = new ArrayList<>();
        Journal.open(dir, 1 << 20, true, r -> seen.add(new String(r, StandardCharsets.UTF_8))).close();
        return seen;
    }

    private Path lastSegment() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    @Test
    void concurrentAppendsAreAllDurableAndReplayedInOrderPerWriter() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            done.add(journal.append(bytes("{\"n\":" + i + "}")));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        journal.close();

        List<String> seen = reopen();
        assertThat(seen).hasSize(200);
        assertThat(seen.get(0)).isEqualTo("{\"n\":0}");
        assertThat(seen.get(199)).isEqualTo("{\"n\":199}");
    }

    @Test
    void unsyncedAppendsComplete_andAreReplayedInOrderWithTheSyncedOnes() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            done.add(journal.append(bytes("{\"n\":" + i + "}"), i % 10 == 9));
        }
        done.add(journal.append(bytes("{\"n\":\"tail, never synced\"}"), false));
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        journal.close();

        List<String> seen = reopen();
        assertThat(seen).hasSize(31);
        assertThat(seen.get(12)).isEqualTo("{\"n\":12}");
        assertThat(seen.get(30)).isEqualTo("{\"n\":\"tail, never synced\"}");
    }

    @Test
    void aRecordWithABadChecksumEndsTheFileAndIsCountedAsTorn() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.append(bytes("{\"a\":1}")).join();
        journal.append(bytes("{\"b\":2}")).join();
        journal.close();
        Path segment = lastSegment();
        byte[] data = Files.readAllBytes(segment);
        data[data.length - 2] ^= 0x40; // flip a bit in the last record's payload
        Files.write(segment, data);

        List<String> seen = new ArrayList<>();
        Journal reopened = Journal.open(dir, 1 << 20, true, r -> seen.add(new String(r, StandardCharsets.UTF_8)));
        reopened.close();

        assertThat(seen).containsExactly("{\"a\":1}");
        assertThat(reopened.recovery().tornTails()).isEqualTo(1);
    }

    @Test
    void compactionReplacesSegmentsWithASnapshotThatReplaysTheSame() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.append(bytes("{\"old\":1}")).join();
        journal.compact(List.of(bytes("{\"state\":\"all\"}"))).join();
        journal.append(bytes("{\"new\":2}")).join();
        journal.close();

        assertThat(reopen()).containsExactly("{\"state\":\"all\"}", "{\"new\":2}");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("wal-")).count())
                    .as("the segment before the snapshot is gone").isLessThanOrEqualTo(3);
        }
    }
}
