package com.campaignflow.functions.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.store.local.FileBlobStore;
import com.campaignflow.functions.testing.ChildJvms;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs writing checkpoints of one workflow into one data directory: numbers and metadata stay consistent. */
class CheckpointCrossProcessTest {

    @Test
    void twoProcesses_allocateUniqueNumbersAndLoseNoMetadataEntry(@TempDir Path dataDir) throws Exception {
        ChildJvms.runToSuccess(CheckpointWriterProcess.class, dataDir, List.of("a", "b"), 15, Duration.ofSeconds(60));

        CheckpointManager manager = new CheckpointManager(new FileBlobStore(dataDir), Clock.systemUTC(), CheckpointPolicy.DEFAULT);
        List<CheckpointEntry> entries = manager.list("wf-shared");
        assertThat(entries).hasSize(30);
        assertThat(new HashSet<>(entries.stream().map(CheckpointEntry::stepId).toList())).hasSize(30);
        assertThat(entries.get(29).checkpointId()).isEqualTo("wf-shared/checkpoint_030");
        var metadata = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dataDir.resolve("checkpoints/wf-shared/metadata.json").toFile());
        assertThat(metadata.path("checkpoints")).hasSize(30);
    }
}
