package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The campaign state machines the project commits and generates are definitions this engine accepts. */
class GeneratedDefinitionsTest {

    @Test
    void theCommittedCampaignWorkflowIsValid() throws IOException {
        String asl = Files.readString(Path.of("..", "statemachine", "campaign-workflow.asl.json"));

        assertThat(DefinitionValidator.problems(asl)).isEmpty();
    }

    @Test
    void compiledPlans_defaultAndParallelResearchers_areValid() {
        PlanCompiler compiler = new PlanCompiler();
        for (ExecutionPlan plan : List.of(DefaultPlans.defaultPlan(), parallelResearch(true), parallelResearch(false))) {
            String asl = compiler.compile(plan);

            assertThat(DefinitionValidator.problems(asl)).as(asl).isEmpty();
        }
    }

    /** Three researchers fanned out in one Parallel (each branch with its fallback and skip states). */
    private static ExecutionPlan parallelResearch(boolean required) {
        List<String> researchers = List.of("researcher_a", "researcher_b", "researcher_c");
        return new ExecutionPlan(required ? "blog_post" : "social_media", Strategy.PARALLEL, List.of(
                new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
                new PlanStep("researcher_a", "researcher", List.of("planner"), "basic_research", required, "research",
                        Map.of("focus", "market")),
                new PlanStep("researcher_b", "researcher", List.of("planner"), "basic_research", required, "research",
                        Map.of("focus", "audience")),
                new PlanStep("researcher_c", "researcher", List.of("planner"), "basic_research", required, "research",
                        Map.of("focus", "competitors")),
                new PlanStep("writer", "writer", researchers, null, true, null, Map.of()),
                new PlanStep("editor", "editor", List.of("writer"), "basic_qa", false, null, Map.of()),
                new PlanStep("seo", "seo", List.of("editor"), "basic_qa", false, null, Map.of())),
                "none", 0.7, List.of());
    }
}
