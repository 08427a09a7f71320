package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.testing.Concurrently;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileBlobStoreTest {

    @TempDir
    Path root;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theTempFileOfAWriteAKilledProcessLeft_isDeletedOnceOld_notAWriteInProgress() throws Exception {
        FileBlobStore store = new FileBlobStore(root);
        store.put("checkpoints/wf-a/checkpoint_001.json.gz", bytes("x"));
        Path dir = root.resolve("checkpoints/wf-a");
        Path abandoned = java.nio.file.Files.writeString(dir.resolve(".tmp-3h8bmplihjoi9.part"), "half a checkpoint");
        java.nio.file.Files.setLastModifiedTime(abandoned,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        Path inProgress = java.nio.file.Files.writeString(dir.resolve(".tmp-9zz.part"), "being written");

        assertThat(store.deleteAbandonedWrites("checkpoints/", java.time.Duration.ofMinutes(10))).isEqualTo(1);

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(store.get("checkpoints/wf-a/checkpoint_001.json.gz")).isPresent();
        assertThat(store.deleteAbandonedWrites("nothing-here/", java.time.Duration.ofMinutes(10))).isZero();
    }

    @Test
    void put_thenGet_returnsContentWithSha256Version() {
        FileBlobStore store = new FileBlobStore(root);
        store.put("checkpoints/wf-a/metadata.json", bytes("{}"));

        BlobStore.Blob blob = store.get("checkpoints/wf-a/metadata.json").orElseThrow();

        assertThat(blob.data()).isEqualTo(bytes("{}"));
        assertThat(blob.version()).isEqualTo(Hashes.sha256Hex(bytes("{}")));
        assertThat(root.resolve("checkpoints/wf-a/metadata.json")).exists();
        assertThat(store.get("checkpoints/wf-a/missing")).isEmpty();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Durability.class)
    void putIfAbsent_manyThreadsSameKey_exactlyOneWinsAndNoTempFilesRemain(Durability durability) throws Exception {
        FileBlobStore store = new FileBlobStore(root, durability);

        List<Boolean> won = Concurrently.run(16, i -> () -> store.putIfAbsent("k/x", bytes("writer-" + i)));

        assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
        int winner = won.indexOf(true);
        assertThat(store.get("k/x").orElseThrow().data()).isEqualTo(bytes("writer-" + winner));
        try (var files = Files.list(root.resolve("k"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x");
        }
    }

    @Test
    void putIfVersion_writesOnlyOverTheExpectedVersion() {
        FileBlobStore store = new FileBlobStore(root);
        store.put("a", bytes("one"));
        String v1 = store.get("a").orElseThrow().version();

        assertThat(store.putIfVersion("a", bytes("two"), v1)).isTrue();
        assertThat(store.putIfVersion("a", bytes("three"), v1)).isFalse();
        assertThat(store.putIfVersion("missing", bytes("x"), v1)).isFalse();
        assertThat(store.get("a").orElseThrow().data()).isEqualTo(bytes("two"));
    }

    @Test
    void putIfVersion_concurrentIncrements_loseNoUpdate() throws Exception {
        FileBlobStore store = new FileBlobStore(root);
        store.put("counter", bytes("0"));

        incrementTenTimesEach(8, i -> store);

        assertThat(new String(store.get("counter").orElseThrow().data(), StandardCharsets.UTF_8)).isEqualTo("80");
    }

    @Test
    void storeForRebuildableData_overwritesInPlace_andItsConditionalWritesLoseNoUpdate() throws Exception {
        FileBlobStore synced = new FileBlobStore(root);
        BlobStore rebuildable = synced.forRebuildableData();
        assertThat(rebuildable.forRebuildableData()).isSameAs(rebuildable);
        assertThat(rebuildable.putIfAbsent("counter", bytes("0"))).isTrue();
        Object inode = Files.readAttributes(root.resolve("counter"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        // writers on two store instances, as two processes would have them
        BlobStore other = new FileBlobStore(root).forRebuildableData();
        incrementTenTimesEach(8, i -> i % 2 == 0 ? rebuildable : other);

        BlobStore.Blob end = synced.get("counter").orElseThrow();
        assertThat(new String(end.data(), StandardCharsets.UTF_8)).isEqualTo("80");
        assertThat(end.version()).isEqualTo(Hashes.sha256Hex(bytes("80")));
        assertThat(Files.readAttributes(root.resolve("counter"), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(inode); // overwritten, never replaced
        rebuildable.put("counter", bytes("7")); // shorter than before: nothing of the old bytes is left
        assertThat(synced.get("counter").orElseThrow().data()).isEqualTo(bytes("7"));
        assertThat(rebuildable.putIfVersion("missing", bytes("1"), "any")).isFalse();
        assertThat(Files.exists(root.resolve("missing"))).isFalse();
    }

    @Test
    void writesAndDeletesOfManyKeys_leaveAtMostOneLockFilePerStripe() throws Exception {
        FileBlobStore store = new FileBlobStore(root);
        BlobStore rebuildable = store.forRebuildableData();
        for (int i = 0; i < 500; i++) {
            String key = "checkpoints/wf-" + i + "/checkpoint_001.json.gz";
            store.put(key, bytes("c" + i));
            rebuildable.put("checkpoints/wf-" + i + "/metadata.json", bytes("m" + i));
            rebuildable.put("checkpoints/wf-" + i + "/metadata.json", bytes("m" + i + "-again"));
            store.delete(key);
        }

        try (var files = Files.list(root.resolve(".locks"))) {
            assertThat(files.count()).isBetween(1L, (long) FileBlobStore.LOCK_STRIPES);
        }
        assertThat(store.get("checkpoints/wf-499/metadata.json").orElseThrow().data()).isEqualTo(bytes("m499-again"));
        assertThat(FileLocks.pathsInUse()).as("in-process locks left behind").isZero();
    }

    @Test
    void openingAStore_removesTheLockFilesEarlierVersionsKeptPerKey() throws Exception {
        Path locks = Files.createDirectories(root.resolve(".locks"));
        Path legacy = Files.createFile(locks.resolve(Hashes.sha256Hex(bytes("checkpoints/wf-old/checkpoint_001.json.gz"))));

        FileBlobStore store = new FileBlobStore(root);
        store.delete("checkpoints/wf-old/checkpoint_001.json.gz");

        assertThat(legacy).doesNotExist();
        try (var files = Files.list(locks)) {
            assertThat(files.map(f -> f.getFileName().toString())).allMatch(name -> name.matches("\\d\\d"));
        }
    }

    @Test
    void inPlaceWrites_doNotLockTheObjectsOwnFile_whichAnyReaderInTheProcessWouldUnlockByClosingIt() throws Exception {
        BlobStore rebuildable = new FileBlobStore(root).forRebuildableData();
        rebuildable.put("checkpoints/wf-a/metadata.json", bytes("{\"v\":1}"));

        try (var channel = java.nio.channels.FileChannel.open(root.resolve("checkpoints/wf-a/metadata.json"),
                java.nio.file.StandardOpenOption.WRITE); var held = channel.lock()) {
            rebuildable.put("checkpoints/wf-a/metadata.json", bytes("{\"v\":2}"));
        }

        assertThat(rebuildable.get("checkpoints/wf-a/metadata.json").orElseThrow().data()).isEqualTo(bytes("{\"v\":2}"));
    }

    @Test
    void list_returnsKeysUnderPrefixSortedWithoutInternalFiles() {
        FileBlobStore store = new FileBlobStore(root);
        store.put("checkpoints/wf-b/checkpoint_002.json.gz", bytes("2"));
        store.put("checkpoints/wf-b/checkpoint_001.json.gz", bytes("1"));
        store.put("checkpoints/wf-bb/checkpoint_001.json.gz", bytes("x"));
        store.put("other/file", bytes("o"));
        store.delete("other/file");

        assertThat(store.list("checkpoints/wf-b/")).containsExactly(
                "checkpoints/wf-b/checkpoint_001.json.gz", "checkpoints/wf-b/checkpoint_002.json.gz");
        assertThat(store.list("checkpoints/wf-b")).hasSize(3);
        assertThat(store.list("")).noneMatch(k -> k.contains(".locks") || k.contains(".tmp-")).hasSize(3);
        assertThat(store.list("nothing/here/")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../b", "/etc/passwd", "a//b", "a/./b", "a\\b", "C:/x", "a/\u0000b", ".hidden", ""})
    void hostileKeys_areRejected(String key) {
        FileBlobStore store = new FileBlobStore(root);

        assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blob key");
        assertThat(root.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void inMemoryStore_behavesLikeTheFileStore() {
        InMemoryBlobStore store = new InMemoryBlobStore();
        assertThat(store.putIfAbsent("p/a", bytes("1"))).isTrue();
        assertThat(store.putIfAbsent("p/a", bytes("2"))).isFalse();
        String v = store.get("p/a").orElseThrow().version();
        assertThat(store.putIfVersion("p/a", bytes("3"), v)).isTrue();
        assertThat(store.putIfVersion("p/a", bytes("4"), v)).isFalse();
        store.put("p/b", bytes("b"));
        store.put("q/c", bytes("c"));
        assertThat(store.list("p/")).containsExactly("p/a", "p/b");
        assertThatThrownBy(() -> store.get("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code writers} threads each add 1 to the number stored at "counter" ten times, with conditional writes. */
    private static void incrementTenTimesEach(int writers, java.util.function.IntFunction<BlobStore> storeOfWriter)
            throws Exception {
        Concurrently.run(writers, i -> () -> {
            BlobStore store = storeOfWriter.apply(i);
            for (int n = 0; n < 10; n++) {
                while (true) {
                    BlobStore.Blob b = store.get("counter").orElseThrow();
                    int value = Integer.parseInt(new String(b.data(), StandardCharsets.UTF_8));
                    if (store.putIfVersion("counter", bytes(Integer.toString(value + 1)), b.version())) {
                        break;
                    }
                }
            }
            return null;
        });
    }
}
