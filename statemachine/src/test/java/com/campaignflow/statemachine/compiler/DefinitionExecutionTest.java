package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs generated definitions on an independent ASL interpreter (npm aws-local-stepfunctions, under infra/tools) with
 * stand-in agents, to prove the data flow: what each agent event carries, where results and errors land, how
 * fallbacks, skips and the Parallel aggregation behave. The stand-ins put what they saw into their summary.
 */
class DefinitionExecutionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void requireTools() {
        NodeTools.require("node");
        NodeTools.require("asl-validator"); // same install; keeps the missing-tools message in one place
    }

    private JsonNode run(ExecutionPlan plan, String... failingStates) throws Exception {
        Path definition = dir.resolve("definition.asl.json");
        Files.writeString(definition, new PlanCompiler().compile(plan), StandardCharsets.UTF_8);
        NodeTools.Result result = NodeTools.run("node", script().toString(), NodeTools.DIR.toString(),
                definition.toString(), String.join(",", failingStates));
        assertThat(result.exitCode()).as("node output:%n%s", result.output()).isZero();
        return MAPPER.readTree(result.output());
    }

    private static Path script() throws URISyntaxException {
        return Path.of(DefinitionExecutionTest.class.getResource("/run-definition.cjs").toURI());
    }

    /** What the stand-in agent of a step saw, decoded from its summary. */
    private static JsonNode saw(JsonNode output, String stepId) throws Exception {
        return MAPPER.readTree(output.at("/results/" + stepId + "/summary").asText());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void healthyRun_passesEachAgentTheEarlierResultsAndKeepsTheInput() throws Exception {
        JsonNode output = run(DefaultPlans.defaultPlan());

        assertThat(names(output.get("results")))
                .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        assertThat(output.get("workflow_id").asText()).isEqualTo("wf-test");
        assertThat(output.has("errors")).isFalse();
        JsonNode writer = output.at("/results/writer");
        assertThat(writer.get("agent").asText()).isEqualTo("writer");
        assertThat(writer.get("checkpoint_id").asText()).isEqualTo("wf-test/writer");
        assertThat(names(writer)).containsExactly("step_id", "agent", "status", "checkpoint_id", "quality_score", "summary");
        assertThat(saw(output, "writer").get("saw")).extracting(JsonNode::asText).containsExactly("planner", "researcher");
        assertThat(saw(output, "writer").get("execution").asText()).isEqualTo("exec-test");
        assertThat(saw(output, "writer").get("error").isNull()).isTrue();
    }

    @Test
    void failingResearcher_runsBasicResearchWithTheErrorAndTheWorkflowGoesOn() throws Exception {
        JsonNode output = run(DefaultPlans.defaultPlan(), "researcher");

        assertThat(output.at("/results/researcher/agent").asText()).isEqualTo("basic_research");
        JsonNode fallback = saw(output, "researcher");
        assertThat(fallback.get("state").asText()).isEqualTo("researcher_fallback");
        assertThat(fallback.get("replaces").asText()).isEqualTo("researcher");
        assertThat(fallback.at("/error/Error").asText()).isEqualTo("AgentFailed");
        assertThat(output.at("/errors/researcher/Cause").asText()).isEqualTo("researcher failed");
        assertThat(output.at("/results/distribution/status").asText()).isEqualTo("completed");
    }

    @Test
    void optionalStepsFailingWithTheirFallbacks_areSkippedAndRecorded() throws Exception {
        JsonNode output = run(DefaultPlans.defaultPlan(), "editor", "editor_fallback", "distribution");

        assertThat(names(output.get("results"))).containsExactly("planner", "researcher", "writer", "editor", "seo");
        assertThat(output.at("/results/editor/status").asText()).isEqualTo(PlanCompiler.SKIPPED_STATUS);
        assertThat(names(output.get("errors"))).containsExactly("editor", "editor_fallback", "distribution");
        assertThat(saw(output, "seo").get("saw")).extracting(JsonNode::asText)
                .containsExactly("planner", "researcher", "writer", "editor");
    }

    @Test
    void failingWriter_failsTheExecution() throws Exception {
        JsonNode output = run(DefaultPlans.defaultPlan(), "writer");

        assertThat(output.at("/failed/cause").asText()).contains("writer failed");
    }

    @Test
    void parallelResearch_aggregatesTheThreeBranchesBeforeTheWriter() throws Exception {
        JsonNode output = run(TestPlans.parallel(), "researcher_b");

        assertThat(names(output.get("results"))).containsExactly("planner", "researcher_a", "researcher_b",
                "researcher_c", "writer", "editor", "seo", "distribution");
        assertThat(output.at("/results/researcher_b/agent").asText()).isEqualTo("basic_research");
        assertThat(saw(output, "researcher_b").at("/parameters/focus").asText()).isEqualTo("audience");
        assertThat(saw(output, "researcher_c").get("saw")).extracting(JsonNode::asText).containsExactly("planner");
        assertThat(saw(output, "writer").get("saw")).extracting(JsonNode::asText)
                .containsExactly("planner", "researcher_a", "researcher_b", "researcher_c");
        assertThat(saw(output, "writer").at("/parameters/target_words").asInt()).isEqualTo(900);
    }

    @Test
    void branchWhoseFallbackFailsToo_failsTheExecution() throws Exception {
        JsonNode output = run(TestPlans.parallel(), "researcher_a", "researcher_a_fallback");

        assertThat(output.at("/failed/cause").asText()).contains("researcher_a_fallback failed");
    }

    @Test
    void optionalResearchBranchWhoseFallbackFailsToo_isSkippedAndTheWriterGetsTheOtherBranches() throws Exception {
        JsonNode output = run(TestPlans.parallelWithOptionalResearch(), "researcher_a", "researcher_a_fallback");

        assertThat(output.has("failed")).as("execution output %s", output).isFalse();
        assertThat(output.at("/results/researcher_a/status").asText()).isEqualTo("skipped");
        assertThat(output.at("/results/researcher_a/checkpoint_id").isNull()).isTrue();
        assertThat(output.at("/results/researcher_b/status").asText()).isEqualTo("completed");
        assertThat(saw(output, "writer").get("saw")).extracting(JsonNode::asText)
                .containsExactly("planner", "researcher_a", "researcher_b", "researcher_c");
        assertThat(output.at("/results/distribution/status").asText()).isEqualTo("completed");
    }

    @Test
    void degradedPlan_runsBasicQaInPlaceOfEditorAndSeo() throws Exception {
        JsonNode output = run(TestPlans.degraded());

        assertThat(output.at("/results/editor/agent").asText()).isEqualTo("basic_qa");
        assertThat(saw(output, "editor").get("replaces").asText()).isEqualTo("editor");
        assertThat(saw(output, "seo").get("replaces").asText()).isEqualTo("seo");
    }
}
