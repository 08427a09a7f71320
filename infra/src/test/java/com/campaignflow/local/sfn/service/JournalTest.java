package com.campaignflow.local.sfn.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private long files(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    @Test
    void concurrentCommitsAreAllReplayed_inOrderPerWriter() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 50; i++) {
                    journal.write(bytes("{\"w\":" + writer + ",\"n\":" + i + "}"), i % 2 == 0);
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        journal.close();

        List<String> seen = reopen();
        assertThat(seen).hasSize(200);
        for (int w = 0; w < 4; w++) {
            String prefix = "{\"w\":" + w + ",";
            assertThat(seen.stream().filter(r -> r.startsWith(prefix)).toList())
                    .as("writer %d's records in the order it wrote them", w)
                    .isEqualTo(java.util.stream.IntStream.range(0, 50).mapToObj(i -> prefix + "\"n\":" + i + "}").toList());
        }
    }

    @Test
    void unsyncedCommits_areWrittenAndReplayedInOrderWithTheSyncedOnes() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        for (int i = 0; i < 30; i++) {
            journal.write(bytes("{\"n\":" + i + "}"), i % 10 == 9);
        }
        journal.commit(journal.append(bytes("{\"n\":\"tail, never synced\"}")), false);
        // written before commit returns: visible in the file without a close
        assertThat(new String(Files.readAllBytes(lastSegment()), StandardCharsets.UTF_8)).contains("never synced");
        journal.close();

        List<String> seen = reopen();
        assertThat(seen).hasSize(31);
        assertThat(seen.get(12)).isEqualTo("{\"n\":12}");
        assertThat(seen.get(30)).isEqualTo("{\"n\":\"tail, never synced\"}");
    }

    @Test
    void aCommitWritesEveryRecordQueuedBeforeIt() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.append(bytes("{\"a\":1}"));
        long second = journal.append(bytes("{\"b\":2}"));
        journal.append(bytes("{\"c\":3}")); // queued after: not waited for, written with the batch
        journal.commit(second, true);

        assertThat(new String(Files.readAllBytes(lastSegment()), StandardCharsets.UTF_8)).contains("{\"a\":1}")
                .contains("{\"b\":2}");
        journal.close();
        assertThat(reopen()).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void aCommitFromAnInterruptedThread_leavesTheJournalWritable() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        Thread aborted = Thread.ofVirtual().unstarted(() -> {
            Thread.currentThread().interrupt(); // as an aborted execution's thread is
            journal.write(bytes("{\"aborted\":1}"), true);
        });
        aborted.start();
        aborted.join();
        journal.write(bytes("{\"after\":2}"), true);
        journal.close();

        assertThat(reopen()).containsExactly("{\"aborted\":1}", "{\"after\":2}");
    }

    @Test
    void aRecordOnDiskBeforeAWriteFailed_isCommitted_whileLaterOnesAreRefused() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        String segment = lastSegment().getFileName().toString();
        long next = Long.parseLong(segment.replaceAll("\\D", "")) + 1;
        Path onFullDisk = Files.createSymbolicLink(dir.resolve("wal-%012d.log".formatted(next)), full);
        long started = journal.append(bytes("{\"start\":1}")); // its caller has not committed yet
        journal.roll(); // writes and syncs it; the next segment is on the full disk
        long after = journal.append(bytes("{\"after\":2}"));
        assertThatThrownBy(() -> journal.commit(after, true)).hasRootCauseInstanceOf(java.io.IOException.class);

        journal.commit(started, true); // on disk before the failure: done, not refused
        assertThatThrownBy(() -> journal.append(bytes("{}"))).hasMessageContaining("failed");
        journal.close();
        Files.delete(onFullDisk);
        assertThat(reopen()).containsExactly("{\"start\":1}");
    }

    @Test
    void appendsAfterClose_areRefused() {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.close();
        assertThatThrownBy(() -> journal.append(bytes("{}"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aRecordWithABadChecksumEndsTheFileAndIsCountedAsTorn() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.write(bytes("{\"a\":1}"), true);
        journal.write(bytes("{\"b\":2}"), true);
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
    void aDamagedRecordWithIntactOnesAfterIt_isCorruption_andTheJournalRefusesToOpen() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.write(bytes("{\"a\":1}"), true);
        journal.write(bytes("{\"b\":2}"), true);
        journal.write(bytes("{\"c\":3}"), true);
        journal.close();
        Path segment = lastSegment();
        byte[] data = Files.readAllBytes(segment);
        int second = 8 + "{\"a\":1}".length();
        for (byte[] damage : new byte[][] {{0x40, 0}, {0, 0x7f}}) { // a payload bit; the length field
            byte[] copy = data.clone();
            copy[second + 8 + 2] ^= damage[0];
            copy[second] ^= damage[1];
            Files.write(segment, copy);

            assertThatThrownBy(() -> Journal.open(dir, 1 << 20, true, r -> { }))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("is corrupt at offset " + second)
                    .hasMessageContaining("restore the file from a backup");
        }
    }

    @Test
    void compactionReplacesSegmentsWithASnapshotThatReplaysTheSame() throws Exception {
        Journal journal = Journal.open(dir, 1 << 20, true, r -> { });
        journal.write(bytes("{\"old\":1}"), true);
        long segment = journal.roll();
        journal.write(bytes("{\"new\":2}"), true); // appends go on while the snapshot is written
        journal.writeSnapshot(segment, List.of(bytes("{\"state\":\"all\"}")));
        journal.close();

        assertThat(files("wal-")).as("the segment before the snapshot is gone").isEqualTo(1);
        assertThat(files("snapshot-")).isEqualTo(1);
        assertThat(reopen()).containsExactly("{\"state\":\"all\"}", "{\"new\":2}");
    }

    @Test
    void compactionIsDue_onceTheSegmentsSinceTheSnapshotOutgrowBothTheLimitAndTheSnapshot() throws Exception {
        byte[] record = bytes("{\"pad\":\"" + "x".repeat(82) + "\"}"); // 100 bytes framed with its header
        Journal journal = Journal.open(dir, 1_000, true, r -> { });
        for (int i = 0; i < 10; i++) {
            journal.write(record, false);
        }
        assertThat(journal.needsCompaction()).as("1,000 bytes: at the limit").isFalse();
        journal.write(record, false);
        assertThat(journal.needsCompaction()).as("past the limit, no snapshot yet").isTrue();

        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            live.add(record);
        }
        journal.writeSnapshot(journal.roll(), live); // a 3,000-byte state
        for (int i = 0; i < 30; i++) {
            journal.write(record, false);
        }
        assertThat(journal.needsCompaction()).as("as much as the snapshot since it").isFalse();
        journal.write(record, false);
        assertThat(journal.needsCompaction()).as("more than the snapshot since it").isTrue();
        journal.close();

        Journal reopened = Journal.open(dir, 1_000, true, r -> { });
        assertThat(reopened.needsCompaction()).as("the segments read at startup count").isTrue();
        reopened.close();
    }
}
