package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns end to end on the local cloud: real HTTP to the gateway, the API function starting the committed (or a
 * compiled plan's) state machine through SfnClient, the engine invoking the real agent handlers, checkpoints and
 * tables on disk. Faults are injected the way an operator would, through CAMPAIGNFLOW_FAULTS.
 */
class CampaignPathsIT {

    @TempDir
    Path dataDir;

    @Test
    void sequentialCampaign_runsAllSixAgentsWithACheckpointEach() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-fast", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(result.get("success").asBoolean()).isTrue();
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(result.get("checkpoints_created").asInt()).isEqualTo(6);
            assertThat(result.get("degradation_events").asInt()).isZero();
            assertThat(result.get("quality_score").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(result.get("recovery_enabled").asBoolean()).isTrue();
            assertThat(result.get("total_duration").asDouble()).isPositive();
            assertThat(result.get("intermediate_results").fieldNames()).toIterable()
                    .contains("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(result.get("workflow_execution_id").asText())
                    .startsWith(LocalCloud.STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":");
            JsonNode checkpoints = bed.checkpoints(CloudTestbed.workflowIdOf(result.get("workflow_execution_id").asText()));
            assertThat(checkpoints).hasSize(6);
            for (JsonNode c : checkpoints) {
                assertThat(c.fieldNames()).toIterable().containsExactlyInAnyOrder("checkpoint_id", "agent_name",
                        "phase_name", "type", "status", "created_at", "size_bytes", "resume_instructions", "available_actions");
            }
        }
    }

    @Test
    void theLocationOfACreatedCampaign_isWhereItsStatusIs() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-located", "sequential"));

            String location = created.headers().firstValue("Location").orElseThrow();
            assertThat(location).isEqualTo("/campaigns/camp-located");
            assertThat(bed.get(location).body().get("campaign_id").asText()).isEqualTo("camp-located");
        }
    }

    @Test
    void parallelCampaign_fansOutThreeResearchersBeforeTheWriter() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-parallel", "parallel"));

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(result.get("intermediate_results").fieldNames()).toIterable()
                    .contains("researcher_a", "researcher_b", "researcher_c", "writer");
            JsonNode runs = bed.performance("camp-parallel");
            List<String> steps = new ArrayList<>();
            runs.forEach(r -> steps.add(r.get("step_id").asText()));
            assertThat(steps).contains("researcher_a", "researcher_b", "researcher_c");
            // checkpoints are numbered in completion order: all three researchers finish before the writer
            JsonNode checkpoints = bed.checkpoints(CloudTestbed.workflowIdOf(result.get("workflow_execution_id").asText()));
            List<String> agents = new ArrayList<>();
            checkpoints.forEach(c -> agents.add(c.get("agent_name").asText()));
            assertThat(agents).hasSize(8);
            assertThat(agents.subList(1, 4)).containsOnly("researcher");
            assertThat(agents.get(4)).isEqualTo("writer");
        }
    }

    @Test
    void failingResearcher_isReplacedByBasicResearch_andTheCampaignCompletesDegraded() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always")) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-no-research", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("success").asBoolean()).isTrue();
            assertThat(result.get("degradation_events").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(result.get("degradations").get(0).get("agent").asText()).isEqualTo("researcher");
            assertThat(result.get("degradations").get(0).get("replaced_by").asText()).isEqualTo("basic_research");
            assertThat(successfulAgents(bed.performance("camp-no-research")))
                    .containsExactly("planner", "basic_research", "writer", "editor", "seo", "distribution");
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "basic_research", "writer", "editor", "seo", "distribution");
        }
    }

    @Test
    void aFallbackThatFailsToo_failsTheCampaign_andTheResultSaysNeitherRan() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,basic_research:always")) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-no-research-at-all", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("failed");
            assertThat(result.get("degradation_events").asInt()).isEqualTo(1);
            assertThat(result.get("degradations")).singleElement().satisfies(d -> {
                assertThat(d.get("agent").asText()).isEqualTo("researcher");
                assertThat(d.get("replaced_by").asText()).isEqualTo("none (fallback failed too)");
                assertThat(d.get("reason").asText()).startsWith("basic_research failed too: ");
            });
            assertThat(texts(result.get("limitations")))
                    .anySatisfy(l -> assertThat(l).startsWith("researcher: researcher was not replaced: its fallback"
                            + " basic_research failed too (")).noneMatch(l -> l.contains("was replaced by"));
        }
    }

    @Test
    void editorAndSeoDown_areReplacedByBasicQa() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always,seo:always")) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-no-qa", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("degradation_events").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(successfulAgents(bed.performance("camp-no-qa")))
                    .contains("planner", "researcher", "writer", "basic_qa", "distribution")
                    .doesNotContain("editor", "seo");
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "basic_qa", "distribution");
            List<String> replaced = new ArrayList<>();
            result.get("degradations").forEach(d -> replaced.add(d.get("agent").asText() + "->"
                    + d.get("replaced_by").asText()));
            assertThat(replaced).contains("editor->basic_qa");
        }
    }

    @Test
    void anOptionalStepSkippedMidway_staysSkippedInTheLaterCheckpoints_andTheCampaignEndsAt100() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always,basic_qa:always")) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-no-editing", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(texts(result.get("agents_executed"))).containsExactly("planner", "researcher", "writer", "seo",
                    "distribution");
            JsonNode checkpoints = bed.checkpoints(CloudTestbed.workflowIdOf(result.get("workflow_execution_id").asText()));
            JsonNode last = bed.checkpointObject(checkpoints.get(checkpoints.size() - 1).get("checkpoint_id").asText());
            assertThat(last.get("agent_name").asText()).isEqualTo("distribution");
            assertThat(last.get("status").asText()).isEqualTo("completed");
            assertThat(last.at("/state_data/current_progress").asInt()).isEqualTo(100);
            assertThat(texts(last.at("/state_data/failed_agents"))).containsExactly("editor");
            assertThat(texts(result.get("limitations"))).filteredOn(l -> l.startsWith("editor: ")).singleElement()
                    .asString().startsWith("editor: editor was not replaced: its fallback basic_qa failed too (")
                    .endsWith(" and the optional step was skipped");
            // the step's degradation, as it ended: the editor's step skipped (its fallback ran and failed)
            assertThat(result.get("degradations")).singleElement().satisfies(d -> {
                assertThat(d.get("agent").asText()).isEqualTo("editor");
                assertThat(d.get("replaced_by").asText()).isEqualTo("none (step skipped)");
                assertThat(d.get("reason").asText()).startsWith("InjectedFaultException: ");
            });
            assertThat(bed.progressMessages("camp-no-editing").getLast().get("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void failingDistribution_isSkipped_andTheResultSaysSo() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "distribution:always")) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-no-distribution", "sequential"));

            assertThat(result.get("success").asBoolean()).isTrue();
            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("degradation_events").asInt()).isEqualTo(1);
            assertThat(result.get("degradations").get(0).get("step_id").asText()).isEqualTo("distribution");
            assertThat(result.get("degradations").get(0).get("replaced_by").asText()).isEqualTo("none (step skipped)");
            assertThat(texts(result.get("limitations")))
                    .anySatisfy(l -> assertThat(l).startsWith("distribution: distribution failed and the optional step was skipped"));
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo");
            // the campaign is done: its progress says so, although its last step did not run
            assertThat(bed.get("/campaigns/camp-no-distribution").body().get("progress").asInt()).isEqualTo(100);
            assertThat(bed.progressMessages("camp-no-distribution").getLast().get("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void parallelSocialPost_whoseResearchCannotRunAtAll_isWrittenWithoutIt() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,basic_research:always")) {
            var request = CloudTestbed.request("camp-social-no-research", "parallel");
            request.put("content_type", "social_media");
            JsonNode result = bed.runCampaign(request);

            assertThat(result.get("success").asBoolean()).isTrue();
            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            List<String> skipped = new ArrayList<>();
            result.get("degradations").forEach(d -> {
                if (d.get("replaced_by").asText().equals("none (step skipped)")) {
                    skipped.add(d.get("step_id").asText());
                }
            });
            assertThat(skipped).containsExactlyInAnyOrder("researcher_a", "researcher_b", "researcher_c");
            assertThat(texts(result.get("agents_executed"))).contains("planner", "writer").doesNotContain("researcher");
            assertThat(result.get("intermediate_results").fieldNames()).toIterable()
                    .contains("writer").doesNotContain("researcher_a", "researcher_b", "researcher_c");
            // research counts once, as 0 (its three branches each skipped), beside the five agents that ran
            double sum = 0;
            for (JsonNode run : bed.performance("camp-social-no-research")) {
                if (run.get("success_status").asBoolean()) {
                    sum += run.get("quality_score").asDouble();
                }
            }
            assertThat(result.get("quality_score").asDouble()).isEqualTo(Math.round(sum / 6 * 1000) / 1000.0);
        }
    }

    @Test
    void aCampaignPlannedWhileTheWriterWasCritical_thatRanEveryAgent_isCompleted() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "writer:always")) {
            for (int i = 1; i <= 3; i++) { // three failures: critical, not yet open
                assertThat(bed.runCampaign(CloudTestbed.request("camp-writer-down-" + i, "sequential"))
                        .get("status").asText()).isEqualTo("failed");
            }
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-writer-back", "sequential"));
            assertThat(created.body().get("degradation_level").asText()).isEqualTo("moderate");
            assertThat(texts(created.body().get("limitations"))).singleElement().asString()
                    .startsWith("The writer is critical (3 recent failures)");

            JsonNode result = bed.awaitResult("camp-writer-back", created.body().get("workflow_execution_id").asText());

            assertThat(result.get("status").asText()).as("nothing was degraded").isEqualTo("completed");
            assertThat(result.get("degradation_events").asInt()).isZero();
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        }
    }

    @Test
    void aStepThePlanLeftOut_isADegradation_thoughNothingFailedInTheRun() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "distribution:always")) {
            for (int i = 1; i <= 5; i++) { // five failures open the circuit for 30 s
                assertThat(bed.runCampaign(CloudTestbed.request("camp-no-distribution-" + i, "sequential"))
                        .get("status").asText()).isEqualTo("completed_degraded");
            }
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-left-out", "sequential"));
            assertThat(texts(created.body().get("limitations")))
                    .anySatisfy(l -> assertThat(l).startsWith("The distribution step is left out")
                            .contains("a blog_post campaign can be completed without it"))
                    .anySatisfy(l -> assertThat(l).startsWith("A minimal blog post is planned"));

            JsonNode result = bed.awaitResult("camp-left-out", created.body().get("workflow_execution_id").asText());

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("degradations")).singleElement().satisfies(d -> {
                assertThat(d.get("step_id").asText()).isEqualTo("distribution");
                assertThat(d.get("replaced_by").asText()).isEqualTo("none (step skipped)");
                assertThat(d.get("reason").asText()).isEqualTo("distribution was unavailable when the campaign was planned");
            });
            assertThat(texts(result.get("agents_executed"))).containsExactly("planner", "researcher", "writer", "editor",
                    "seo");
        }
    }

    @Test
    void aCheckpointStoreOutageWhileAStepRuns_isRetried_andTheCampaignCompletesUndegraded() throws Exception {
        // the researcher's latency leaves time to take the workflow's checkpoint directory away while it runs
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:latency=1500ms")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-store-blip", "sequential"));
            String executionArn = created.body().get("workflow_execution_id").asText();
            Path workflowDir = bed.cloud.dataDir().resolve("checkpoints").resolve(CloudTestbed.workflowIdOf(executionArn));
            Path away = workflowDir.resolveSibling(workflowDir.getFileName() + ".away");
            awaitHistory(bed, executionArn, "the researcher's invocation", e -> e.type().name().equals("TaskScheduled")
                    && e.details().at("/taskScheduledEventDetails/parameters").asText().contains("\"step_id\":\"researcher\""));

            // the outage: the store cannot read or write anything of the workflow
            Files.move(workflowDir, away);
            Files.writeString(workflowDir, "not a directory");
            HistoryEvent failure = awaitHistory(bed, executionArn, "the researcher's failed checkpoint write",
                    e -> e.type().name().equals("TaskFailed"));
            Files.delete(workflowDir);
            Files.move(away, workflowDir);

            assertThat(failure.details().at("/taskFailedEventDetails/error").asText())
                    .isEqualTo("com.campaignflow.functions.ports.StoreUnavailableException");
            JsonNode result = bed.awaitResult("camp-store-blip", executionArn);
            assertThat(result.get("status").asText()).as("%s", result).isEqualTo("completed");
            assertThat(result.get("degradation_events").asInt()).isZero();
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(bed.checkpoints(CloudTestbed.workflowIdOf(executionArn))).hasSize(6);
        }
    }

    /** Waits for the first history event of the execution that matches. */
    private static HistoryEvent awaitHistory(CloudTestbed bed, String executionArn, String what,
                                             Predicate<HistoryEvent> matches) throws InterruptedException {
        long deadline = System.nanoTime() + CloudTestbed.CAMPAIGN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var found = bed.cloud.stepFunctions().history(executionArn).stream().filter(matches).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10); // polling the engine's history, bounded by CAMPAIGN_TIMEOUT
        }
        throw new AssertionError(what + " did not happen within " + CloudTestbed.CAMPAIGN_TIMEOUT);
    }

    /** The agents that ran successfully, in the order their runs were recorded. */
    static List<String> successfulAgents(JsonNode runs) {
        List<String> out = new ArrayList<>();
        runs.forEach(r -> {
            if (r.get("success_status").asBoolean()) {
                out.add(r.get("agent_name").asText());
            }
        });
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
