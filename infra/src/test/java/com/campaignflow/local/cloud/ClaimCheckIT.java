package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.ContentHash;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.store.local.FileBlobStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The claim check on the local cloud: checkpoints on disk have the documented shape (docs/contracts.md), and the
 * state passed between states stays small however large the content, as the execution history read through
 * {@code SfnClient} shows.
 */
class ClaimCheckIT {

    /** Far below Step Functions' 256 KB: the state carries references and summaries only. */
    private static final int MAX_STATE_PAYLOAD = 8 * 1024;
    private static final int TEN_MB = 10 * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void checkpointFiles_decompressToTheDocumentedStructure_withAVerifiableContentHash() throws IOException {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-files", "sequential"));
            String workflowId = created.body().get("workflow_id").asText();
            bed.awaitResult("camp-files", created.body().get("workflow_execution_id").asText());

            Path folder = dataDir.resolve("checkpoints").resolve(workflowId);
            assertThat(folder.resolve("metadata.json")).isRegularFile();
            JsonNode second = gunzip(folder.resolve("checkpoint_002.json.gz"));

            assertThat(second.fieldNames()).toIterable().contains("checkpoint_id", "workflow_id", "campaign_id",
                    "execution_id", "step_id", "agent_name", "phase_name", "type", "status", "created_at", "expires_at",
                    "state_data", "resume_instructions", "available_actions", "content_hash");
            assertThat(second.get("checkpoint_id").asText()).isEqualTo(workflowId + "/checkpoint_002");
            assertThat(second.get("campaign_id").asText()).isEqualTo("camp-files");
            assertThat(second.get("agent_name").asText()).isEqualTo("researcher");
            assertThat(second.get("phase_name").asText()).isEqualTo("agent_researcher_completed");
            assertThat(second.get("type").asText()).isEqualTo("automatic");
            JsonNode state = second.get("state_data");
            assertThat(CampaignPathsIT.texts(state.get("completed_agents"))).containsExactly("planner", "researcher");
            assertThat(state.get("failed_agents")).isEmpty();
            assertThat(state.get("intermediate_data").fieldNames()).toIterable().containsExactly("planner", "researcher");
            assertThat(state.get("current_progress").asInt()).isBetween(1, 99);
            // built from the planner's checkpoint: a step handed both reads this one only
            assertThat(CampaignPathsIT.texts(state.get("includes_checkpoints")))
                    .containsExactly(second.get("workflow_id").asText() + "/checkpoint_001");
            assertThat(CampaignPathsIT.texts(second.get("available_actions"))).contains("continue", "retry");
            assertThat(second.get("content_hash").asText()).isEqualTo(ContentHash.of(state));
        }
    }

    @Test
    void tenMegabytesOfContent_keepEveryStatePayloadUnderEightKilobytes() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-large", "sequential"));
            String workflowId = created.body().get("workflow_id").asText();
            bed.awaitResult("camp-large", created.body().get("workflow_execution_id").asText());

            // The researcher's checkpoint again, its output now carrying 10 MB of source material (what a researcher
            // quoting its sources in full would produce), written through the same CheckpointManager the agents use
            // as if another execution's researcher had written it (one execution checkpoints a step once).
            CheckpointManager checkpoints = new CheckpointManager(new FileBlobStore(dataDir), Clock.systemUTC(),
                    CheckpointPolicy.DEFAULT);
            Checkpoint research = checkpoints.read(workflowId + "/checkpoint_002");
            ObjectNode intermediate = research.stateData().intermediateData().deepCopy();
            ((ObjectNode) intermediate.get("researcher")).put("source_material", largeText(TEN_MB));
            CheckpointEntry large = checkpoints.create(new NewCheckpoint(workflowId, "camp-large",
                    research.executionId() + "-large", research.stepId(), research.agentName(), research.phaseName(),
                    CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                    new StateData(research.stateData().completedAgents(), List.of(), intermediate,
                            research.stateData().currentProgress()),
                    research.resumeInstructions(), research.availableActions(), research.qualityScore(),
                    research.summary(), research.durationMillis()));

            CloudTestbed.Answer resumed = bed.post("/workflows/resume/" + large.checkpointId(),
                    CloudTestbed.JSON.createObjectNode().put("action", "continue"));
            assertThat(resumed.status()).as("%s", resumed.body()).isEqualTo(202);
            String executionArn = resumed.body().get("workflow_execution_id").asText();
            JsonNode result = bed.awaitResult("camp-large", executionArn);
            assertThat(result.get("status").asText()).isEqualTo("completed");
            // the API answer stays under Lambda's 6 MB: the researcher's result is left out, and the user is told
            JsonNode researcher = result.get("intermediate_results").get("researcher");
            assertThat(researcher.get("omitted").asBoolean()).isTrue();
            assertThat(researcher.get("size_bytes").asInt()).isGreaterThan(TEN_MB);
            assertThat(result.get("intermediate_results").get("writer").has("article")).isTrue();
            assertThat(result.get("limitations").toString()).contains("researcher result").contains("6 MB");

            // the content really travelled: the last checkpoint of the resumed run still holds the 10 MB
            Checkpoint last = checkpoints.latestValid(workflowId).orElseThrow();
            assertThat(last.agentName()).isEqualTo("distribution");
            assertThat(last.stateData().intermediateData().get("researcher").get("source_material").asText())
                    .hasSize(TEN_MB);

            Map<String, Integer> payloads = statePayloadSizes(bed, executionArn);
            assertThat(payloads).isNotEmpty();
            assertThat(payloads).allSatisfy((event, size) ->
                    assertThat(size).as("payload of %s", event).isLessThan(MAX_STATE_PAYLOAD));
        }
    }

    @Test
    void caughtFailuresKeptInTheState_carryTheErrorButNoStackTrace() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,editor:always,seo:always")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-errors", "sequential"));
            String executionArn = created.body().get("workflow_execution_id").asText();
            JsonNode result = bed.awaitResult("camp-errors", executionArn);
            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");

            String output = historyEvents(bed, executionArn).stream()
                    .filter(e -> e.executionSucceededEventDetails() != null)
                    .map(e -> e.executionSucceededEventDetails().output()).findFirst().orElseThrow();
            JsonNode errors = CloudTestbed.JSON.readTree(output).get("errors");
            assertThat(errors.fieldNames()).toIterable().containsExactlyInAnyOrder("researcher", "editor", "seo");
            assertThat(errors.get("researcher").get("Cause").asText()).contains("injected fault");
            assertThat(output).doesNotContain(".java:");
            assertThat(output.length()).isLessThan(3000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every input, output and task parameters in the execution history, by "eventId type", in bytes. */
    private static Map<String, Integer> statePayloadSizes(CloudTestbed bed, String executionArn) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (HistoryEvent e : historyEvents(bed, executionArn)) {
            List<String> payloads = new ArrayList<>();
            if (e.executionStartedEventDetails() != null) {
                payloads.add(e.executionStartedEventDetails().input());
            }
            if (e.executionSucceededEventDetails() != null) {
                payloads.add(e.executionSucceededEventDetails().output());
            }
            if (e.stateEnteredEventDetails() != null) {
                payloads.add(e.stateEnteredEventDetails().input());
            }
            if (e.stateExitedEventDetails() != null) {
                payloads.add(e.stateExitedEventDetails().output());
            }
            if (e.taskScheduledEventDetails() != null) {
                payloads.add(e.taskScheduledEventDetails().parameters());
            }
            if (e.taskSucceededEventDetails() != null) {
                payloads.add(e.taskSucceededEventDetails().output());
            }
            for (String p : payloads) {
                if (p != null) {
                    sizes.merge(e.id() + " " + e.typeAsString(), p.getBytes(StandardCharsets.UTF_8).length,
                            Math::max);
                }
            }
        }
        return sizes;
    }

    /** The execution's history with its data, read through {@code SfnClient}. */
    private static List<HistoryEvent> historyEvents(CloudTestbed bed, String executionArn) {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(bed.cloud.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(bed.awsCredentials())
                .build()) {
            List<HistoryEvent> events = new ArrayList<>();
            sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn).includeExecutionData(true))
                    .forEach(page -> events.addAll(page.events()));
            return events;
        }
    }

    private static String largeText(int length) {
        String sentence = "Warehouse-native funnels keep raw events in the customer's own warehouse. ";
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append(sentence);
        }
        out.setLength(length);
        return out.toString();
    }

    private static JsonNode gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return CloudTestbed.JSON.readTree(in);
        }
    }
}
