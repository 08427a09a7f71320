package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanCompilerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final PlanCompiler compiler = new PlanCompiler();

    private JsonNode compile(ExecutionPlan plan) throws Exception {
        return MAPPER.readTree(compiler.compile(plan));
    }

    private static List<String> stateNames(JsonNode states) {
        List<String> names = new ArrayList<>();
        states.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ExecutionPlan plan(PlanStep... steps) {
        return new ExecutionPlan("blog_post", Strategy.SEQUENTIAL, List.of(steps), "none", 0.7, List.of());
    }

    private static PlanStep step(String id, String agent, String fallback, boolean required, List<String> dependsOn) {
        return new PlanStep(id, agent, dependsOn, fallback, required, null, Map.of());
    }

    @Test
    void defaultPlan_hasOneTaskPerStepPlusFallbacksAndTheSkipEnd() throws Exception {
        JsonNode asl = compile(DefaultPlans.defaultPlan());

        assertThat(asl.get("StartAt").asText()).isEqualTo("planner");
        assertThat(stateNames(asl.get("States"))).containsExactly(
                "planner", "researcher", "researcher_fallback", "writer", "editor", "editor_fallback", "editor_skipped",
                "seo", "seo_fallback", "seo_skipped", "distribution", "distribution_skipped");
        assertThat(asl.get("States").get("distribution").get("End").asBoolean()).isTrue();
        assertThat(asl.get("States").get("distribution_skipped").get("Type").asText()).isEqualTo("Succeed");
    }

    @Test
    void task_invokesTheAgentLambdaWithTheAgentEventBuiltFromPaths() throws Exception {
        JsonNode writer = compile(TestPlans.parallel()).get("States").get("writer");

        assertThat(writer.get("Type").asText()).isEqualTo("Task");
        assertThat(writer.get("Resource").asText()).isEqualTo("arn:aws:states:::lambda:invoke");
        assertThat(writer.at("/Parameters/FunctionName").asText()).isEqualTo("${WriterFunctionArn}");
        JsonNode payload = writer.at("/Parameters/Payload");
        assertThat(stateNames(payload)).containsExactly("workflow_id.$", "campaign_id.$", "execution_id.$",
                "step_id", "agent", "replaces", "parameters", "results.$", "error");
        assertThat(payload.get("workflow_id.$").asText()).isEqualTo("$.workflow_id");
        assertThat(payload.get("campaign_id.$").asText()).isEqualTo("$.campaign_id");
        assertThat(payload.get("execution_id.$").asText()).isEqualTo("$$.Execution.Name");
        assertThat(payload.get("results.$").asText()).isEqualTo("$.results");
        assertThat(payload.get("replaces").isNull()).isTrue();
        assertThat(payload.get("error").isNull()).isTrue();
        assertThat(payload.get("parameters")).isEqualTo(MAPPER.readTree("{\"target_words\":900,\"tone\":\"practical\"}"));
        assertThat(writer.get("ResultPath").asText()).isEqualTo("$.results.writer");
    }

    @Test
    void resultSelector_keepsOnlyTheSmallAgentResultFields() throws Exception {
        JsonNode selector = compile(DefaultPlans.defaultPlan()).at("/States/researcher/ResultSelector");

        assertThat(MAPPER.convertValue(selector, Map.class)).containsExactly(
                Map.entry("step_id.$", "$.Payload.step_id"), Map.entry("agent.$", "$.Payload.agent"),
                Map.entry("status.$", "$.Payload.status"), Map.entry("checkpoint_id.$", "$.Payload.checkpoint_id"),
                Map.entry("quality_score.$", "$.Payload.quality_score"), Map.entry("summary.$", "$.Payload.summary"));
    }

    @Test
    void everyPathInTheDefinition_referencesOnlyTheSmallWorkflowState() throws Exception {
        // Claim check: Tasks may read ids, results (references) and errors, never content or the whole input.
        String asl = compiler.compile(TestPlans.parallel());
        List<String> paths = new ArrayList<>();
        MAPPER.readTree(asl).findParents("ResultPath").forEach(p -> paths.add(p.get("ResultPath").asText()));
        collectPathValues(MAPPER.readTree(asl), paths);

        assertThat(paths).isNotEmpty().allSatisfy(path -> assertThat(path).matches(
                "\\$\\.(workflow_id|campaign_id|results|results\\.[a-z_]+|errors\\.[a-z_]+)"
                        + "|\\$\\$\\.Execution\\.Name|\\$\\.Payload\\.[a-z_]+|\\$\\[\\d]\\.results\\.[a-z_]+"));
        assertThat(asl).doesNotContain("content", "draft", "$$.Execution.Input");
    }

    private static void collectPathValues(JsonNode node, List<String> paths) {
        node.fields().forEachRemaining(e -> {
            if (e.getKey().endsWith(".$")) {
                paths.add(e.getValue().asText());
            }
            collectPathValues(e.getValue(), paths);
        });
        node.elements().forEachRemaining(child -> {
            if (child.isContainerNode()) {
                collectPathValues(child, paths);
            }
        });
    }

    @Test
    void retry_coversTransientLambdaErrorsAndStoreOutagesOnlyWithJitteredBackoff() throws Exception {
        JsonNode states = compile(DefaultPlans.defaultPlan()).get("States");
        JsonNode retry = states.at("/planner/Retry");

        assertThat(retry).isEqualTo(MAPPER.readTree("""
                [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                  "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                  "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0, "MaxDelaySeconds": 10,
                  "JitterStrategy": "FULL"},
                 {"ErrorEquals": ["com.campaignflow.functions.ports.StoreUnavailableException"],
                  "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0, "MaxDelaySeconds": 10,
                  "JitterStrategy": "FULL"}]"""));
        // every agent Task, fallbacks included, retries alike before its Catch sees the error
        states.properties().stream().filter(e -> e.getValue().path("Type").asText().equals("Task"))
                .forEach(e -> assertThat(e.getValue().get("Retry")).as(e.getKey()).isEqualTo(retry));
    }

    @Test
    void stepWithFallback_catchesEverythingIntoErrorsAndRunsTheFallbackIntoTheSameResult() throws Exception {
        JsonNode states = compile(DefaultPlans.defaultPlan()).get("States");

        assertThat(states.at("/researcher/Catch")).isEqualTo(MAPPER.readTree("""
                [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.errors.researcher", "Next": "researcher_fallback"}]"""));
        JsonNode fallback = states.get("researcher_fallback");
        assertThat(fallback.at("/Parameters/FunctionName").asText()).isEqualTo("${BasicResearchFunctionArn}");
        assertThat(fallback.at("/Parameters/Payload/step_id").asText()).isEqualTo("researcher");
        assertThat(fallback.at("/Parameters/Payload/agent").asText()).isEqualTo("basic_research");
        assertThat(fallback.at("/Parameters/Payload/replaces").asText()).isEqualTo("researcher");
        assertThat(fallback.at("/Parameters/Payload/error.$").asText()).isEqualTo("$.errors.researcher");
        assertThat(fallback.at("/Parameters/Payload").has("error")).isFalse();
        assertThat(fallback.get("ResultPath").asText()).isEqualTo("$.results.researcher");
        assertThat(fallback.get("Next").asText()).isEqualTo("writer");
        assertThat(fallback.has("Catch")).as("a required step's fallback is its last resort").isFalse();
        assertThat(states.at("/seo_fallback/Parameters/FunctionName").asText()).isEqualTo("${BasicQaFunctionArn}");
    }

    @Test
    void requiredStepWithoutFallback_hasNoCatchSoItsFailureFailsTheExecution() throws Exception {
        JsonNode states = compile(DefaultPlans.defaultPlan()).get("States");

        assertThat(states.get("writer").has("Catch")).isFalse();
        assertThat(states.get("planner").has("Catch")).isFalse();
        assertThat(states.get("writer").has("Retry")).isTrue();
    }

    @Test
    void optionalStep_failureContinuesWithTheNextStepOrEndsInItsSkipState() throws Exception {
        JsonNode states = compile(DefaultPlans.defaultPlan()).get("States");

        assertThat(states.at("/editor_fallback/Catch/0/Next").asText()).isEqualTo("editor_skipped");
        assertThat(states.at("/editor_fallback/Catch/0/ResultPath").asText()).isEqualTo("$.errors.editor_fallback");
        // the skip is a result the later steps read: they count the step as failed and done
        assertThat(states.at("/editor_skipped/Type").asText()).isEqualTo("Pass");
        assertThat(states.at("/editor_skipped/ResultPath").asText()).isEqualTo("$.results.editor");
        assertThat(states.at("/editor_skipped/Result/status").asText()).isEqualTo(PlanCompiler.SKIPPED_STATUS);
        assertThat(states.at("/editor_skipped/Result/checkpoint_id").isNull()).isTrue();
        assertThat(states.at("/editor_skipped/Next").asText()).isEqualTo("seo");
        assertThat(states.at("/distribution/Catch/0/Next").asText()).isEqualTo("distribution_skipped");
        assertThat(states.at("/distribution/Catch/0/ResultPath").asText()).isEqualTo("$.errors.distribution");
    }

    @Test
    void aResumeIntoTheParallelPhase_keepsTheResultsItsInputCarriesThroughTheParallelState() throws Exception {
        // the steps left after researcher_a and researcher_c were done (a retry of researcher_b)
        ExecutionPlan full = TestPlans.parallel();
        List<String> done = List.of("planner", "researcher_a", "researcher_c");
        List<PlanStep> left = full.steps().stream().filter(s -> !done.contains(s.stepId()))
                .map(s -> new PlanStep(s.stepId(), s.agent(), s.dependsOn().stream().filter(d -> !done.contains(d))
                        .toList(), s.fallback(), s.required(), s.parallelGroup(), s.parameters(), s.replaces()))
                .toList();
        ExecutionPlan remaining = new ExecutionPlan(full.contentType(), full.strategy(), left, full.degradationLevel(),
                full.qualityThreshold(), full.limitations());

        JsonNode parallel = MAPPER.readTree(compiler.compile(remaining, done)).at("/States/research");

        // the Parallel's result replaces $.results: whatever it does not name is gone for the writer
        assertThat(MAPPER.convertValue(parallel.get("ResultSelector"), Map.class)).containsExactly(
                Map.entry("planner.$", "$[0].results.planner"),
                Map.entry("researcher_a.$", "$[0].results.researcher_a"),
                Map.entry("researcher_c.$", "$[0].results.researcher_c"),
                Map.entry("researcher_b.$", "$[0].results.researcher_b"));
        assertThat(compiler.compile(remaining)).as("no carried results: a different machine")
                .isNotEqualTo(compiler.compile(remaining, done));
    }

    @Test
    void parallelPlan_fansResearchersOutInOneParallelStateAndRebuildsResults() throws Exception {
        JsonNode asl = compile(TestPlans.parallel());
        JsonNode states = asl.get("States");

        assertThat(stateNames(states)).containsExactly("planner", "research", "writer", "editor", "editor_fallback",
                "editor_skipped", "seo", "seo_fallback", "seo_skipped", "distribution", "distribution_skipped");
        assertThat(states.at("/planner/Next").asText()).isEqualTo("research");
        JsonNode parallel = states.get("research");
        assertThat(parallel.get("Type").asText()).isEqualTo("Parallel");
        assertThat(parallel.get("Next").asText()).isEqualTo("writer");
        assertThat(parallel.has("Catch")).isFalse();
        assertThat(parallel.get("ResultPath").asText()).isEqualTo("$.results");
        assertThat(MAPPER.convertValue(parallel.get("ResultSelector"), Map.class)).containsExactly(
                Map.entry("planner.$", "$[0].results.planner"),
                Map.entry("researcher_a.$", "$[0].results.researcher_a"),
                Map.entry("researcher_b.$", "$[1].results.researcher_b"),
                Map.entry("researcher_c.$", "$[2].results.researcher_c"));

        JsonNode branches = parallel.get("Branches");
        assertThat(branches).hasSize(3);
        List<String> focuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "researcher_" + "abc".charAt(i);
            JsonNode branch = branches.get(i);
            assertThat(branch.get("StartAt").asText()).isEqualTo(id);
            assertThat(stateNames(branch.get("States"))).containsExactly(id, id + "_fallback");
            JsonNode task = branch.get("States").get(id);
            assertThat(task.at("/Parameters/FunctionName").asText()).isEqualTo("${ResearcherFunctionArn}");
            assertThat(task.at("/Catch/0/Next").asText()).isEqualTo(id + "_fallback");
            assertThat(task.get("End").asBoolean()).isTrue();
            assertThat(branch.get("States").get(id + "_fallback").get("End").asBoolean()).isTrue();
            focuses.add(task.at("/Parameters/Payload/parameters/focus").asText());
        }
        assertThat(focuses).containsExactly("market", "audience", "competitors");
    }

    @Test
    void optionalStepInAParallelBranch_endsItsBranchWithASkippedResultInsteadOfFailingTheParallel() throws Exception {
        JsonNode branch = compile(TestPlans.parallelWithOptionalResearch()).at("/States/research/Branches/1/States");

        assertThat(stateNames(branch)).containsExactly("researcher_b", "researcher_b_fallback", "researcher_b_skipped");
        assertThat(branch.at("/researcher_b/Catch/0/Next").asText()).isEqualTo("researcher_b_fallback");
        assertThat(branch.at("/researcher_b_fallback/Catch/0/Next").asText()).isEqualTo("researcher_b_skipped");
        assertThat(branch.at("/researcher_b_fallback/Catch/0/ResultPath").asText())
                .isEqualTo("$.errors.researcher_b_fallback");
        JsonNode skipped = branch.get("researcher_b_skipped");
        assertThat(skipped.get("Type").asText()).isEqualTo("Pass");
        assertThat(skipped.get("ResultPath").asText()).isEqualTo("$.results.researcher_b");
        assertThat(skipped.get("End").asBoolean()).isTrue();
        assertThat(stateNames(skipped.get("Result"))).containsExactlyElementsOf(PlanCompiler.RESULT_FIELDS);
        assertThat(skipped.at("/Result/status").asText()).isEqualTo("skipped");
        assertThat(skipped.at("/Result/checkpoint_id").isNull()).isTrue();
    }

    @Test
    void degradedPlan_invokesTheReplacementDirectlyAndTellsItWhatItReplaces() throws Exception {
        JsonNode states = compile(TestPlans.degraded()).get("States");

        assertThat(stateNames(states)).containsExactly("planner", "researcher", "writer", "editor", "editor_skipped", "seo",
                "seo_skipped");
        JsonNode editor = states.get("editor");
        assertThat(editor.at("/Parameters/FunctionName").asText()).isEqualTo("${BasicQaFunctionArn}");
        assertThat(editor.at("/Parameters/Payload/agent").asText()).isEqualTo("basic_qa");
        assertThat(editor.at("/Parameters/Payload/replaces").asText()).isEqualTo("editor");
        assertThat(editor.at("/Parameters/Payload/error").isNull()).isTrue();
        assertThat(editor.get("ResultPath").asText()).isEqualTo("$.results.editor");
        assertThat(states.at("/researcher/Parameters/FunctionName").asText()).isEqualTo("${BasicResearchFunctionArn}");
        assertThat(states.get("researcher").has("Catch")).isFalse();
    }

    @Test
    void compile_isDeterministicWhateverTheParameterMapOrder() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("alpha", 1);
        forward.put("beta", Map.of("z", 1, "a", 2));
        Map<String, Object> backward = new LinkedHashMap<>();
        backward.put("beta", Map.of("a", 2, "z", 1));
        backward.put("alpha", 1);

        String first = compiler.compile(plan(new PlanStep("writer", "writer", List.of(), null, true, null, forward)));
        String second = compiler.compile(plan(new PlanStep("writer", "writer", List.of(), null, true, null, backward)));

        assertThat(first).isEqualTo(second).contains("\"alpha\": 1,\n");
        assertThat(first.indexOf("\"alpha\"")).isLessThan(first.indexOf("\"beta\""));
    }

    @Test
    void nestedParameterValues_keepListsAndNulls() throws Exception {
        Map<String, Object> style = new HashMap<>();
        style.put("voice", null);
        style.put("channels", List.of("x", "linkedin"));
        PlanStep writer = new PlanStep("writer", "writer", List.of(), null, true, null, Map.of("style", style));

        JsonNode parameters = compile(plan(writer)).at("/States/writer/Parameters/Payload/parameters");

        assertThat(parameters).isEqualTo(MAPPER.readTree("{\"style\": {\"channels\": [\"x\", \"linkedin\"], \"voice\": null}}"));
    }

    @Test
    void definitionHash_isTheSha256PrefixAndChangesWithTheDefinition() {
        String asl = compiler.compile(DefaultPlans.defaultPlan());

        assertThat(PlanCompiler.definitionHash(asl)).hasSize(16).matches("[0-9a-f]{16}")
                .isEqualTo(PlanCompiler.definitionHash(compiler.compile(DefaultPlans.defaultPlan())))
                .isNotEqualTo(PlanCompiler.definitionHash(compiler.compile(TestPlans.parallel())));
        assertThat(PlanCompiler.definitionHash("abc")).isEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void functionPlaceholder_isTheTemplateLogicalIdArn() {
        assertThat(PlanCompiler.functionPlaceholder("planner")).isEqualTo("${PlannerFunctionArn}");
        assertThat(PlanCompiler.functionPlaceholder("seo")).isEqualTo("${SeoFunctionArn}");
        assertThat(PlanCompiler.functionPlaceholder("basic_research")).isEqualTo("${BasicResearchFunctionArn}");
        assertThat(PlanCompiler.functionPlaceholder("basic_qa")).isEqualTo("${BasicQaFunctionArn}");
    }

    @Test
    void compile_rejectsAnUnknownAgentNamingTheStep() {
        assertThatThrownBy(() -> compiler.compile(plan(step("writer", "ghostwriter", null, true, List.of()))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("step writer").hasMessageContaining("ghostwriter");
    }

    @Test
    void compile_rejectsADependencyOnALaterOrUnknownStep() {
        assertThatThrownBy(() -> compiler.compile(plan(
                step("writer", "writer", null, true, List.of("researcher")),
                step("researcher", "researcher", null, true, List.of()))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("step writer: dependsOn researcher, which is not an earlier step");
    }

    @Test
    void compile_rejectsDuplicateStepIdsAndStateNameClashes() {
        assertThatThrownBy(() -> compiler.compile(plan(
                step("writer", "writer", null, true, List.of()), step("writer", "editor", null, true, List.of()))))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("used twice");
        assertThatThrownBy(() -> compiler.compile(plan(
                step("editor", "editor", "basic_qa", true, List.of()),
                step("editor_fallback", "seo", null, true, List.of()))))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("editor_fallback");
    }

    @Test
    void compile_rejectsStepIdsThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> compiler.compile(plan(step("writer.x", "writer", null, true, List.of()))))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("stepId must match");
    }

    @Test
    void compile_rejectsParameterKeysThatStepFunctionsWouldEvaluateAsPaths() {
        PlanStep step = new PlanStep("writer", "writer", List.of(), null, true, null,
                Map.of("style", Map.of("tone.$", "$$.Execution.Input")));

        assertThatThrownBy(() -> compiler.compile(plan(step)))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("step writer: parameters.style: key tone.$");
    }

    @Test
    void compile_rejectsSplitParallelGroupsAndDependenciesInsideAGroup() {
        assertThatThrownBy(() -> compiler.compile(plan(
                new PlanStep("a", "researcher", List.of(), null, true, "research", Map.of()),
                new PlanStep("w", "writer", List.of(), null, true, null, Map.of()),
                new PlanStep("b", "researcher", List.of(), null, true, "research", Map.of()))))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("must be consecutive");
        assertThatThrownBy(() -> compiler.compile(plan(
                new PlanStep("a", "researcher", List.of(), null, true, "research", Map.of()),
                new PlanStep("b", "researcher", List.of("a"), null, true, "research", Map.of()))))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("same parallel group");
    }

    @Test
    void compile_rejectsAParallelGroupAfterASkippableStep() {
        assertThatThrownBy(() -> compiler.compile(plan(
                new PlanStep("planner", "planner", List.of(), null, false, null, Map.of()),
                new PlanStep("a", "researcher", List.of(), null, true, "research", Map.of()),
                new PlanStep("b", "researcher", List.of(), null, true, "research", Map.of()))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("cannot follow optional steps that may be skipped: [planner]");
    }

    @Test
    void compile_rejectsAnEmptyPlan() {
        assertThatThrownBy(() -> compiler.compile(plan()))
                .isInstanceOf(InvalidPlanException.class).hasMessage("plan has no steps");
    }
}
