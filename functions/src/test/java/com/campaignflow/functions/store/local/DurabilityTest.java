package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {

    private static final Path SHM = Path.of("/dev/shm");

    @TempDir
    Path disk;

    @Test
    void onADisk_syncedWritesStaySynced() {
        assumeFalse(Durability.inMemoryFileSystem(disk), "the temp directory is on a memory file system here");

        assertThat(Durability.SYNCED.on(disk)).isEqualTo(Durability.SYNCED);
        assertThat(Durability.PROCESS_SAFE.on(disk)).isEqualTo(Durability.PROCESS_SAFE);
    }

    @Test
    void onTmpfs_writesSkipTheFsyncThatWouldDoNothing() throws Exception {
        assumeTrue(Files.isDirectory(SHM) && Files.isWritable(SHM) && Durability.inMemoryFileSystem(SHM),
                "no writable tmpfs at /dev/shm");
        Path dir = Files.createTempDirectory(SHM, "durability-test-");
        try {
            assertThat(Durability.SYNCED.on(dir)).isEqualTo(Durability.PROCESS_SAFE);
            // a data directory not created yet is judged by the file system it will be created on
            assertThat(Durability.SYNCED.on(dir.resolve("data/checkpoints"))).isEqualTo(Durability.PROCESS_SAFE);
            assertThat(Durability.PROCESS_SAFE.on(dir)).isEqualTo(Durability.PROCESS_SAFE);
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void createDirectories_makesEveryMissingLevel_andLeavesExistingOnesAlone() throws Exception {
        for (Durability d : Durability.values()) {
            Path nested = disk.resolve(d.name()).resolve("checkpoints/wf-a");
            d.createDirectories(nested);
            assertThat(nested).isDirectory();

            Path file = Files.writeString(nested.resolve("kept.txt"), "x");
            d.createDirectories(nested); // already there: nothing changes
            assertThat(file).hasContent("x");
            // a file where a directory should be is an error, not a directory made
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.createDirectories(file.resolve("below")))
                    .isInstanceOf(java.nio.file.FileSystemException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.createDirectories(file))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        }
    }
}
