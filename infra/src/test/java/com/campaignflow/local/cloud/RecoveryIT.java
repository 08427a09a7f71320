package com.campaignflow.local.cloud;

import static com.campaignflow.local.cloud.CampaignPathsIT.successfulAgents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery on the local cloud: Step Functions redrive of a failed execution after a restart of the whole cloud, and
 * resume from a checkpoint with retry and skip.
 */
class RecoveryIT {

    @TempDir
    Path dataDir;

    @Test
    void failedWriter_failsTheCampaign_andRedriveAfterARestartCompletesItWithoutRerunningEarlierAgents() {
        String executionArn;
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "writer:always")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-redrive", "sequential"));
            assertThat(created.status()).isEqualTo(202);
            executionArn = created.body().get("workflow_execution_id").asText();
            workflowId = created.body().get("workflow_id").asText();
            JsonNode failed = bed.awaitResult("camp-redrive", executionArn);

            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("success").asBoolean()).isFalse();
            assertThat(failed.has("error")).isTrue();
            assertThat(successfulAgents(bed.performance("camp-redrive"))).containsExactly("planner", "researcher");
        }
        // The operator removes the fault (a new cloud on the same data directory) and redrives.
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer redriven = bed.post("/workflows/" + workflowId + "/redrive",
                    CloudTestbed.JSON.createObjectNode());
            assertThat(redriven.status()).as("%s", redriven.body()).isBetween(200, 299);
            assertThat(redriven.body().get("workflow_execution_id").asText()).isEqualTo(executionArn);
            JsonNode result = bed.awaitResult("camp-redrive", executionArn);

            assertThat(result.get("status").asText()).isEqualTo("completed");
            List<String> agents = successfulAgents(bed.performance("camp-redrive"));
            assertThat(agents).containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(Collections.frequency(agents, "planner")).isEqualTo(1);
            assertThat(Collections.frequency(agents, "researcher")).isEqualTo(1);
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        }
    }

    @Test
    void aFallbackThatFailedToo_andSucceedsOnTheRedrive_leavesTheCampaignCompletedDegraded_namingIt() {
        String executionArn;
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,basic_research:always")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-fallback-redrive", "sequential"));
            executionArn = created.body().get("workflow_execution_id").asText();
            workflowId = created.body().get("workflow_id").asText();
            JsonNode failed = bed.awaitResult("camp-fallback-redrive", executionArn);
            assertThat(failed.get("degradations").get(0).get("replaced_by").asText()).isEqualTo("none (fallback failed too)");
        }
        // the fallback works again, the researcher still does not
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always")) {
            bed.post("/workflows/" + workflowId + "/redrive", CloudTestbed.JSON.createObjectNode());
            JsonNode result = bed.awaitResult("camp-fallback-redrive", executionArn);

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("degradations")).singleElement().satisfies(d -> {
                assertThat(d.get("step_id").asText()).isEqualTo("researcher");
                assertThat(d.get("replaced_by").asText()).isEqualTo("basic_research");
            });
            assertThat(texts(result.get("limitations")))
                    .anySatisfy(l -> assertThat(l).startsWith("researcher: researcher was replaced by basic_research"));
        }
    }

    @Test
    void resumeWithRetryFromTheSecondCheckpoint_rerunsTheResearcherAndTheRest() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            String workflowId = completedCampaign(bed, "camp-retry");
            String checkpoint = bed.checkpoints(workflowId).get(1).get("checkpoint_id").asText();

            JsonNode result = resume(bed, "camp-retry", checkpoint, "retry");

            assertThat(result.get("status").asText()).isEqualTo("completed");
            List<String> agents = successfulAgents(bed.performance("camp-retry"));
            assertThat(Collections.frequency(agents, "planner")).isEqualTo(1);
            assertThat(Collections.frequency(agents, "researcher")).isEqualTo(2);
            assertThat(Collections.frequency(agents, "distribution")).isEqualTo(2);
            assertThat(bed.checkpoints(workflowId).get(1).get("status").asText()).isEqualTo("recovered");
        }
    }

    @Test
    void rerunOfOneResearchBranch_runsThatBranchAndTheStepsAfterThePhase_notItsSiblings() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-branch", "parallel"));
            JsonNode first = bed.awaitResult("camp-branch", created.body().get("workflow_execution_id").asText());
            assertThat(first.get("status").asText()).isEqualTo("completed");

            CloudTestbed.Answer rerun = bed.post("/campaigns/camp-branch/rerun", CloudTestbed.JSON.createObjectNode()
                    .set("agents", CloudTestbed.JSON.createArrayNode().add("researcher_b")));
            assertThat(rerun.status()).as("%s", rerun.body()).isBetween(200, 299);
            JsonNode result = bed.awaitResult("camp-branch", rerun.body().get("workflow_execution_id").asText());

            assertThat(result.get("status").asText()).isEqualTo("completed");
            List<String> steps = new java.util.ArrayList<>();
            bed.performance("camp-branch").forEach(r -> {
                if (r.path("success_status").asBoolean()) {
                    steps.add(r.path("step_id").asText());
                }
            });
            assertThat(Collections.frequency(steps, "researcher_a")).isEqualTo(1);
            assertThat(Collections.frequency(steps, "researcher_b")).isEqualTo(2);
            assertThat(Collections.frequency(steps, "researcher_c")).isEqualTo(1);
            assertThat(Collections.frequency(steps, "writer")).isEqualTo(2);
            // the writer of the rerun still had all three branches' research
            assertThat(result.get("intermediate_results").get("writer").get("research_steps").asInt()).isEqualTo(3);
        }
    }

    @Test
    void retryingOneResearchBranchThatCannotRunNow_keepsThePlannerAndTheOtherBranchesForTheWriter() {
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            var request = CloudTestbed.request("camp-branch-down", "parallel");
            request.put("content_type", "social_media"); // research is optional: a failed branch is skipped
            CloudTestbed.Answer created = bed.post("/campaigns", request);
            assertThat(bed.awaitResult("camp-branch-down", created.body().get("workflow_execution_id").asText())
                    .get("status").asText()).isEqualTo("completed");
            workflowId = created.body().get("workflow_id").asText();
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,basic_research:always")) {
            String branchB = null;
            for (JsonNode entry : bed.checkpoints(workflowId)) {
                String id = entry.get("checkpoint_id").asText();
                if (bed.checkpointObject(id).path("step_id").asText().equals("researcher_b")) {
                    branchB = id;
                }
            }
            assertThat(branchB).isNotNull();

            JsonNode result = resume(bed, "camp-branch-down", branchB, "retry");

            // A resume into the research phase runs its Parallel state, whose result replaces $.results: the results
            // the resume was seeded with (planner, researcher_a, researcher_c) must come through it to the writer.
            // The retried branch failed with its fallback; the writer still had the research it did before, carried
            // in the checkpoint resumed from, so the content is whole and not degraded.
            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(result.get("intermediate_results").fieldNames()).toIterable()
                    .contains("planner", "researcher_a", "researcher_b", "researcher_c", "writer");
            assertThat(texts(result.get("agents_executed"))).contains("planner", "researcher", "writer");
            assertThat(result.get("intermediate_results").get("writer").get("research_steps").asInt()).isEqualTo(3);
            List<String> failedRuns = new java.util.ArrayList<>();
            bed.performance("camp-branch-down").forEach(r -> {
                if (!r.path("success_status").asBoolean()) {
                    failedRuns.add(r.path("step_id").asText() + ":" + r.path("agent_name").asText());
                }
            });
            assertThat(failedRuns).contains("researcher_b:researcher", "researcher_b:basic_research");
            assertThat(bed.get("/campaigns/camp-branch-down").body().get("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void resumeWithSkipFromTheThirdCheckpoint_skipsTheEditorAndRunsTheRest() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            String workflowId = completedCampaign(bed, "camp-skip");
            double completeQuality = bed.get("/campaigns/camp-skip").body().at("/result/quality_score").asDouble();
            JsonNode third = bed.checkpoints(workflowId).get(2);
            assertThat(third.get("agent_name").asText()).isEqualTo("writer");

            JsonNode result = resume(bed, "camp-skip", third.get("checkpoint_id").asText(), "skip");

            assertThat(result.get("quality_score").asDouble()).as("content without editing scores lower")
                    .isLessThan(completeQuality).isPositive();

            assertThat(result.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(result.get("degradations")).singleElement().satisfies(d -> {
                assertThat(d.get("step_id").asText()).isEqualTo("editor");
                assertThat(d.get("replaced_by").asText()).isEqualTo("none (step skipped)");
                assertThat(d.get("reason").asText()).contains("skipped when resuming from " + third.get("checkpoint_id").asText());
            });
            assertThat(texts(result.get("limitations"))).anySatisfy(l -> assertThat(l).startsWith("editor: editor was skipped"));
            List<String> agents = successfulAgents(bed.performance("camp-skip"));
            assertThat(Collections.frequency(agents, "writer")).isEqualTo(1);
            assertThat(Collections.frequency(agents, "editor")).isEqualTo(1);
            assertThat(Collections.frequency(agents, "seo")).isEqualTo(2);
            assertThat(Collections.frequency(agents, "distribution")).isEqualTo(2);
            assertThat(texts(result.get("agents_executed"))).doesNotContain("editor").contains("seo", "distribution");
            // the resumed execution's messages count the skipped editor as done and carry the level the skip raised
            List<JsonNode> messages = bed.progressMessages("camp-skip");
            assertThat(messages.subList(messages.size() - 2, messages.size()))
                    .extracting(m -> m.get("current_agent").asText(), m -> m.get("progress").asInt(),
                            m -> m.get("degradation_level").asText())
                    .containsExactly(tuple("seo", 83, "minimal"), tuple("distribution", 100, "minimal"));
            assertThat(bed.get("/campaigns/camp-skip").body().get("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void skippingTheLowestScoringStep_doesNotRaiseTheQualityScore() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            String workflowId = completedCampaign(bed, "camp-skip-seo");
            JsonNode complete = bed.get("/campaigns/camp-skip-seo").body().get("result");
            JsonNode fourth = bed.checkpoints(workflowId).get(3);
            assertThat(fourth.get("agent_name").asText()).isEqualTo("editor");

            JsonNode result = resume(bed, "camp-skip-seo", fourth.get("checkpoint_id").asText(), "skip");

            assertThat(result.get("degradations")).singleElement()
                    .satisfies(d -> assertThat(d.get("step_id").asText()).isEqualTo("seo"));
            // SEO scores below the other agents: dropping it from the mean raised the score above the full campaign's
            assertThat(result.get("quality_score").asDouble()).isLessThan(complete.get("quality_score").asDouble());
        }
    }

    @Test
    void retryThatFailsAgain_leavesTheStepToRunAgain_asItsFirstFailureWould() {
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            workflowId = completedCampaign(bed, "camp-retry-fails");
            // the last checkpoint offers only what a resume from it accepts: retry the distribution
            JsonNode last = bed.checkpoints(workflowId).get(5);
            assertThat(bed.checkpointObject(last.get("checkpoint_id").asText()).get("available_actions"))
                    .extracting(JsonNode::asText).containsExactly("retry");
        }
        String writerCheckpoint;
        String failedCheckpoint;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "writer:always")) {
            writerCheckpoint = bed.checkpoints(workflowId).get(2).get("checkpoint_id").asText();
            JsonNode failed = resume(bed, "camp-retry-fails", writerCheckpoint, "retry");

            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(texts(failed.get("agents_executed"))).containsExactly("planner", "researcher");
            assertThat(failed.get("intermediate_results").fieldNames()).toIterable().containsExactly("planner", "researcher");
            failedCheckpoint = bed.checkpoints(workflowId).get(6).get("checkpoint_id").asText();
            JsonNode stored = bed.checkpointObject(failedCheckpoint);
            assertThat(stored.get("type").asText()).isEqualTo("error_recovery");
            assertThat(stored.get("state_data").get("completed_agents")).extracting(JsonNode::asText)
                    .containsExactly("planner", "researcher");
            // continue runs the failed writer again, as retry does; the writer is required, so no skip
            assertThat(stored.get("available_actions")).extracting(JsonNode::asText).containsExactly("continue", "retry");
            assertThat(stored.get("resume_instructions").asText()).doesNotContain("skip");
            CloudTestbed.Answer skip = bed.post("/workflows/resume/" + failedCheckpoint,
                    CloudTestbed.JSON.createObjectNode().put("action", "skip"));
            assertThat(skip.status()).isEqualTo(409);
            assertThat(skip.body().get("message").asText()).contains("writer").contains("cannot be skipped");
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = resume(bed, "camp-retry-fails", failedCheckpoint, "continue");

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(Collections.frequency(successfulAgents(bed.performance("camp-retry-fails")), "writer")).isEqualTo(2);
        }
    }

    @Test
    void resumeThatRunsTheReplacedAgentsForReal_leavesNoDegradationInTheResult() {
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always,seo:always")) {
            JsonNode degraded = bed.runCampaign(CloudTestbed.request("camp-undo", "sequential"));
            assertThat(degraded.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(degraded.get("degradation_events").asInt()).isEqualTo(2);
            workflowId = CloudTestbed.workflowIdOf(degraded.get("workflow_execution_id").asText());
        }
        // The operator clears the faults and resumes after the writer: the editor and SEO now run for real.
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode writer = bed.checkpoints(workflowId).get(2);
            assertThat(writer.get("agent_name").asText()).isEqualTo("writer");

            JsonNode result = resume(bed, "camp-undo", writer.get("checkpoint_id").asText(), "continue");

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(result.get("degradation_events").asInt()).isZero();
            assertThat(result.has("degradations")).isFalse();
            assertThat(texts(result.get("limitations"))).noneSatisfy(l -> assertThat(l).startsWith("editor: "))
                    .noneSatisfy(l -> assertThat(l).startsWith("seo: "));
            assertThat(texts(result.get("agents_executed")))
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            JsonNode status = bed.get("/campaigns/camp-undo").body();
            assertThat(status.get("status").asText()).isEqualTo("completed");
            assertThat(status.get("degradation_level").asText()).isEqualTo("none");
            // and so do the progress messages once the SEO, the last step that was replaced, has run for real
            List<JsonNode> messages = bed.progressMessages("camp-undo");
            assertThat(messages.subList(messages.size() - 3, messages.size()))
                    .extracting(m -> m.get("current_agent").asText(), m -> m.get("degradation_level").asText())
                    .containsExactly(tuple("editor", "minimal"), tuple("seo", "none"), tuple("distribution", "none"));
        }
    }

    @Test
    void resumesFromCheckpointsBeforeAndAfterADegradation_reportWhatTheContentTheyHoldHasGoneThrough() {
        String workflowId;
        JsonNode degraded;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always")) {
            degraded = bed.runCampaign(CloudTestbed.request("camp-chain", "sequential"));
            assertThat(degraded.get("status").asText()).isEqualTo("completed_degraded");
            workflowId = CloudTestbed.workflowIdOf(degraded.get("workflow_execution_id").asText());
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            String editorFailed = checkpointOf(bed, workflowId, "editor", "error_recovery", 0);
            String seoOnBasicQa = checkpointOf(bed, workflowId, "seo", "automatic", 0);
            // the editor runs for real
            JsonNode edited = resume(bed, "camp-chain", editorFailed, "retry");
            assertThat(edited.get("status").asText()).isEqualTo("completed");
            assertThat(texts(edited.get("agents_executed"))).contains("editor").doesNotContain("basic_qa");
            String seoOnTheEditor = checkpointOf(bed, workflowId, "seo", "automatic", 1);

            // back to the first run's SEO checkpoint: its content holds basic_qa's editing, not the editor's
            JsonNode back = resume(bed, "camp-chain", seoOnBasicQa, "retry");

            assertThat(back.get("intermediate_results").get("editor").has("checklist")).isTrue();
            assertThat(back.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(texts(back.get("agents_executed"))).contains("basic_qa").doesNotContain("editor");
            assertThat(back.get("degradations")).extracting(d -> d.get("step_id").asText(),
                    d -> d.get("replaced_by").asText()).containsExactly(tuple("editor", "basic_qa"));
            assertThat(texts(back.get("limitations"))).anySatisfy(l -> assertThat(l).startsWith("editor: "));
            // the agents are deterministic: the same content as the first run's, scored from the same runs' scores
            assertThat(back.get("quality_score").asDouble()).isEqualTo(degraded.get("quality_score").asDouble());

            // and forward again to the content the editor edited
            JsonNode forward = resume(bed, "camp-chain", seoOnTheEditor, "retry");

            assertThat(forward.get("status").asText()).isEqualTo("completed");
            assertThat(forward.has("degradations")).isFalse();
            assertThat(texts(forward.get("agents_executed"))).contains("editor").doesNotContain("basic_qa");
            assertThat(forward.get("quality_score").asDouble()).isEqualTo(edited.get("quality_score").asDouble());
        }
    }

    /** The id of the {@code nth} (from 0) checkpoint of {@code agent} and {@code type} in the listing. */
    private static String checkpointOf(CloudTestbed bed, String workflowId, String agent, String type, int nth) {
        List<String> ids = new java.util.ArrayList<>();
        bed.checkpoints(workflowId).forEach(c -> {
            if (c.get("agent_name").asText().equals(agent) && c.get("type").asText().equals(type)) {
                ids.add(c.get("checkpoint_id").asText());
            }
        });
        assertThat(ids).as("%s %s checkpoints", agent, type).hasSizeGreaterThan(nth);
        return ids.get(nth);
    }

    @Test
    void skippingARequiredAgent_isRefusedWithAMessageNamingIt() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            String workflowId = completedCampaign(bed, "camp-no-skip");
            String second = bed.checkpoints(workflowId).get(1).get("checkpoint_id").asText();

            CloudTestbed.Answer refused = bed.post("/workflows/resume/" + second,
                    CloudTestbed.JSON.createObjectNode().put("action", "skip"));

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("message").asText()).contains("writer").contains("required")
                    .contains("cannot be skipped");
            assertThat(bed.checkpoints(workflowId)).hasSize(6);
        }
    }

    @Test
    void theActionsEachListedCheckpointOffers_areTheResumesTheApiTakes() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            for (String strategy : List.of("sequential", "parallel")) {
                String campaignId = "camp-offers-" + strategy;
                CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request(campaignId, strategy));
                bed.awaitResult(campaignId, created.body().get("workflow_execution_id").asText());
                List<JsonNode> listed = new ArrayList<>();
                bed.checkpoints(created.body().get("workflow_id").asText()).forEach(listed::add);
                assertThat(listed).hasSize("parallel".equals(strategy) ? 8 : 6);
                assertThat(texts(listed.getLast().get("available_actions"))).containsExactly("retry");
                // newest first, one accepted resume each (the last action offered): the resumes' own checkpoints stay
                // below the workflow's cap of 50, which would delete the oldest ones not yet resumed from
                for (JsonNode checkpoint : listed.reversed()) {
                    String id = checkpoint.get("checkpoint_id").asText();
                    List<String> offered = texts(checkpoint.get("available_actions"));
                    assertThat(offered).as(id).contains("retry");
                    assertThat(checkpoint.get("resume_instructions").asText()).as(id).isNotBlank();
                    for (String action : List.of("continue", "retry", "skip")) {
                        if (!offered.contains(action)) {
                            CloudTestbed.Answer refused = bed.post("/workflows/resume/" + id,
                                    CloudTestbed.JSON.createObjectNode().put("action", action));
                            assertThat(refused.status()).as("%s from %s: %s", action, id, refused.body()).isEqualTo(409);
                        }
                    }
                    assertThat(resume(bed, campaignId, id, offered.getLast()).get("status").asText()).as(id)
                            .startsWith("completed");
                }
            }
        }
    }

    @Test
    void rerunOfAStepThatFailedInALaterRun_keepsTheContentThatRunWrote() {
        String workflowId;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            workflowId = completedCampaign(bed, "camp-rerun-latest");
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always,basic_qa:always")) {
            String writer = bed.checkpoints(workflowId).get(2).get("checkpoint_id").asText();
            ObjectNode body = CloudTestbed.JSON.createObjectNode().put("action", "retry");
            body.putObject("parameters").putObject("writer").put("target_words", 300);
            CloudTestbed.Answer resumed = bed.post("/workflows/resume/" + writer, body);
            JsonNode shorter = bed.awaitResult("camp-rerun-latest", resumed.body().get("workflow_execution_id").asText());
            assertThat(shorter.get("intermediate_results").get("writer").get("article").get("word_count").asInt())
                    .isLessThan(450);
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = rerun(bed, "camp-rerun-latest", "editor");

            assertThat(result.get("status").asText()).isEqualTo("completed");
            // the editor now runs on the 300-word draft of the run it failed in, not the first run's 900 words
            assertThat(result.get("intermediate_results").get("writer").get("article").get("word_count").asInt())
                    .isLessThan(450);
            assertThat(result.get("intermediate_results").get("editor").get("article").get("word_count").asInt())
                    .isLessThan(450);
        }
    }

    @Test
    void skippingAStepTheRunAlreadySkipped_saysTheSameOfItInLimitationsAndDegradations() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "editor:always,basic_qa:always")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-skip-twice", "sequential"));
            JsonNode first = bed.awaitResult("camp-skip-twice", created.body().get("workflow_execution_id").asText());
            assertThat(texts(first.get("limitations"))).singleElement().asString().contains("its fallback basic_qa failed too");
            JsonNode editorFailed = bed.checkpoints(created.body().get("workflow_id").asText()).get(3);
            assertThat(editorFailed.get("type").asText()).isEqualTo("error_recovery");

            JsonNode skipped = resume(bed, "camp-skip-twice", editorFailed.get("checkpoint_id").asText(), "skip");

            String reason = "skipped when resuming from " + editorFailed.get("checkpoint_id").asText();
            assertThat(skipped.get("degradations")).singleElement()
                    .satisfies(d -> assertThat(d.get("reason").asText()).isEqualTo(reason));
            assertThat(texts(skipped.get("limitations"))).containsExactly("editor: editor was skipped (" + reason + ")");
        }
    }

    private static String completedCampaign(CloudTestbed bed, String campaignId) {
        CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request(campaignId, "sequential"));
        assertThat(created.status()).isEqualTo(202);
        JsonNode result = bed.awaitResult(campaignId, created.body().get("workflow_execution_id").asText());
        assertThat(result.get("status").asText()).isEqualTo("completed");
        return created.body().get("workflow_id").asText();
    }

    @Test
    void rerunsOfResearchBranches_keepEachBranchsNewestOutput_andRunEveryBranchTheyName() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:once")) {
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-reruns", "parallel"));
            JsonNode first = bed.awaitResult("camp-reruns", created.body().get("workflow_execution_id").asText());
            assertThat(degradedSteps(first)).containsExactlyInAnyOrder("researcher_a", "researcher_b", "researcher_c");

            assertThat(degradedSteps(rerun(bed, "camp-reruns", "researcher_b")))
                    .containsExactlyInAnyOrder("researcher_a", "researcher_c");
            // researcher_a's latest checkpoint is from the first execution: researcher_b's newer output must be kept
            assertThat(degradedSteps(rerun(bed, "camp-reruns", "researcher_a"))).containsExactly("researcher_c");
            // a rerun naming two branches runs both
            JsonNode last = rerun(bed, "camp-reruns", "researcher_b", "researcher_c");
            assertThat(degradedSteps(last)).isEmpty();
            assertThat(last.get("status").asText()).isEqualTo("completed");
            List<String> researchers = new java.util.ArrayList<>();
            bed.performance("camp-reruns").forEach(r -> {
                if (r.path("success_status").asBoolean() && r.path("agent_name").asText().equals("researcher")) {
                    researchers.add(r.path("step_id").asText());
                }
            });
            assertThat(researchers).containsExactlyInAnyOrder("researcher_b", "researcher_a", "researcher_b",
                    "researcher_c");
        }
    }

    @Test
    void resumingFromABranchWhoseSiblingsWereSkipped_accountsForEveryBranch_andReachesProgress100() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "researcher:always,basic_research:always")) {
            var request = CloudTestbed.request("camp-skipped-research", "parallel");
            request.put("content_type", "social_media"); // research is optional: each failed branch is skipped
            CloudTestbed.Answer created = bed.post("/campaigns", request);
            JsonNode first = bed.awaitResult("camp-skipped-research",
                    created.body().get("workflow_execution_id").asText());
            assertThat(first.get("status").asText()).isEqualTo("completed_degraded");
            String workflowId = created.body().get("workflow_id").asText();
            List<String> fallbackFailures = new java.util.ArrayList<>();
            for (JsonNode entry : bed.checkpoints(workflowId)) {
                if (entry.get("agent_name").asText().equals("basic_research")) {
                    fallbackFailures.add(entry.get("checkpoint_id").asText());
                }
            }
            assertThat(fallbackFailures).hasSize(3);

            // from the last branch's error_recovery checkpoint: the others were skipped already (a branch the run
            // skipped before it is carried as skipped, not as held by this checkpoint, which does not hold it)
            JsonNode resumed = resume(bed, "camp-skipped-research", fallbackFailures.get(2), "continue");

            assertThat(resumed.get("status").asText()).isEqualTo("completed_degraded");
            assertThat(bed.get("/campaigns/camp-skipped-research").body().get("progress").asInt()).isEqualTo(100);
            JsonNode list = bed.checkpoints(workflowId);
            JsonNode newest = bed.checkpointObject(list.get(list.size() - 1).get("checkpoint_id").asText());
            List<String> accounted = new java.util.ArrayList<>();
            newest.at("/state_data/completed_agents").forEach(a -> accounted.add(a.asText()));
            newest.at("/state_data/failed_agents").forEach(a -> accounted.add(a.asText()));
            assertThat(accounted).contains("researcher_a", "researcher_b", "researcher_c", "writer", "distribution");
        }
    }

    private static List<String> degradedSteps(JsonNode result) {
        List<String> steps = new java.util.ArrayList<>();
        result.path("degradations").forEach(d -> steps.add(d.get("step_id").asText()));
        return steps;
    }

    private static JsonNode rerun(CloudTestbed bed, String campaignId, String... agents) {
        ArrayNode named = CloudTestbed.JSON.createArrayNode();
        for (String agent : agents) {
            named.add(agent);
        }
        CloudTestbed.Answer rerun = bed.post("/campaigns/" + campaignId + "/rerun",
                CloudTestbed.JSON.createObjectNode().set("agents", named));
        assertThat(rerun.status()).as("%s", rerun.body()).isBetween(200, 299);
        return bed.awaitResult(campaignId, rerun.body().get("workflow_execution_id").asText());
    }

    private static JsonNode resume(CloudTestbed bed, String campaignId, String checkpointId, String action) {
        ObjectNode body = CloudTestbed.JSON.createObjectNode().put("action", action);
        CloudTestbed.Answer resumed = bed.post("/workflows/resume/" + checkpointId, body);
        assertThat(resumed.status()).as("%s", resumed.body()).isBetween(200, 299);
        return bed.awaitResult(campaignId, resumed.body().get("workflow_execution_id").asText());
    }

    private static List<String> texts(JsonNode array) {
        return CampaignPathsIT.texts(array);
    }
}
