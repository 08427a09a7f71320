package com.campaignflow.local.cloud;

import static com.campaignflow.local.cloud.CampaignPathsIT.successfulAgents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost: the local cloud stopped while an agent runs continues the execution when it starts again on the
 * same data directory, re-running only the agent that was in flight.
 */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void cloudStoppedWhileTheWriterRuns_continuesTheCampaignAfterARestart() throws InterruptedException {
        String executionArn;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "writer:latency=20s")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-restart", "sequential"));
            assertThat(created.status()).isEqualTo(202);
            executionArn = created.body().get("workflow_execution_id").asText();
            // wait (bounded) until planner and researcher have finished (their runs recorded): the writer is then
            // in its 20 s latency
            long deadline = System.nanoTime() + CloudTestbed.CAMPAIGN_TIMEOUT.toNanos();
            while (!successfulAgents(bed.performance("camp-restart")).contains("researcher")) {
                assertThat(System.nanoTime()).as("planner and researcher did not finish").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = bed.awaitResult("camp-restart", executionArn);

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(result.get("checkpoints_created").asInt()).isEqualTo(6);
            JsonNode runs = bed.performance("camp-restart");
            List<String> agents = successfulAgents(runs);
            assertThat(Collections.frequency(agents, "planner")).as("%s", runs).isEqualTo(1);
            assertThat(Collections.frequency(agents, "researcher")).as("%s", runs).isEqualTo(1);
            assertThat(Collections.frequency(agents, "writer")).as("%s", runs).isEqualTo(1);
        }
    }
}
