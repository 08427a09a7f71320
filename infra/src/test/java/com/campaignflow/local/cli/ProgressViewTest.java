package com.campaignflow.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressViewTest {

    @TempDir
    Path dataDir;

    @Test
    void aBranchThatFailsAfterASiblingCompleted_doesNotTakeTheShownProgressBack() throws IOException {
        Path file = Files.createDirectories(dataDir.resolve("progress")).resolve("camp-1.jsonl");
        Files.writeString(file, "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressView view = new ProgressView(dataDir, "camp-1", new PrintStream(err, true, StandardCharsets.UTF_8), false);

        append(file, 13, "planner completed planner");
        append(file, 25, "researcher completed researcher_b");
        append(file, 13, "researcher failed at researcher_c");
        view.poll();

        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "[ 13%] planner completed planner",
                "[ 25%] researcher completed researcher_b",
                "[ 25%] researcher failed at researcher_c");
    }

    private static void append(Path file, int progress, String message) throws IOException {
        Files.writeString(file, "{\"type\":\"agent_progress\",\"campaign_id\":\"camp-1\",\"progress\":" + progress
                + ",\"message\":\"" + message + "\",\"degradation_level\":\"none\"}\n", StandardOpenOption.APPEND);
    }
}
