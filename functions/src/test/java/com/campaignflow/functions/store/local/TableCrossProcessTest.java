package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.testing.ChildJvms;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs writing one table log: no conditional write is lost, across the compactions their writes cause. */
class TableCrossProcessTest {

    @Test
    void twoProcesses_incrementOneItemAndAddTheirOwn_withoutLosingAWrite(@TempDir Path root) throws Exception {
        FileDocumentTable table = new FileDocumentTable(root, "shared", Durability.PROCESS_SAFE);
        ObjectNode counter = new ObjectMapper().createObjectNode();
        counter.put("pk", "counter");
        counter.put("sk", "#");
        counter.put("value", 0);
        table.put(counter);

        ChildJvms.runToSuccess(TableWriterProcess.class, root, List.of("a", "b"), 60, Duration.ofSeconds(120));

        // this process's own copy of the table follows what the others wrote, compactions included
        ObjectNode end = table.get("counter", "#").orElseThrow();
        assertThat(end.path("value").asInt()).isEqualTo(120);
        assertThat(end.path("version").asLong()).isEqualTo(121);
        assertThat(table.query("writer#a")).hasSize(60);
        assertThat(table.query("writer#b")).hasSize(60);
        // 120 versions of a 20 KB item were written; compaction kept the log near the live size
        assertThat(Files.size(root.resolve("shared").resolve(TableLog.FILE))).isLessThan(TableLog.COMPACT_MIN_BYTES * 2);
    }
}
