package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.ProgressMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressRelayTest {

    @TempDir
    Path dataDir;

    private final List<ProgressMessage> published = new ArrayList<>();

    @Test
    void relaysEachCompleteNewLine_once_andWaitsForALineStillBeingWritten() throws IOException {
        Path file = Files.createDirectories(dataDir.resolve("progress")).resolve("camp-1.jsonl");
        append(file, line("camp-1", "planner", 17, 1));
        ProgressRelay relay = new ProgressRelay(dataDir, published::add, new PrintStream(OutputStream.nullOutputStream()));

        append(file, line("camp-1", "researcher", 33, 2));
        String writer = line("camp-1", "writer", 50, 3);
        append(file, writer.substring(0, 20));
        relay.poll();
        relay.poll();

        assertThat(published).extracting(ProgressMessage::currentAgent).containsExactly("researcher");
        assertThat(published.getFirst().progress()).isEqualTo(33);
        assertThat(published.getFirst().sequence()).isEqualTo(2);

        append(file, writer.substring(20));
        append(dataDir.resolve("progress").resolve("camp-2.jsonl"), line("camp-2", "planner", 17, 1));
        relay.poll();

        assertThat(published).extracting(ProgressMessage::currentAgent)
                .containsExactlyInAnyOrder("researcher", "writer", "planner");
        assertThat(published).extracting(ProgressMessage::campaignId).contains("camp-2");
    }

    private static String line(String campaign, String agent, int progress, long sequence) {
        return "{\"type\":\"agent_progress\",\"campaign_id\":\"" + campaign + "\",\"current_agent\":\"" + agent
                + "\",\"progress\":" + progress + ",\"checkpoint_created\":true,\"degradation_level\":\"none\","
                + "\"message\":\"" + agent + " completed\",\"sequence\":" + sequence + "}\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
