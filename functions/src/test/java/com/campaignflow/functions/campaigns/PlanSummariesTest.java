package com.campaignflow.functions.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.testing.Fixtures;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanSummariesTest {

    @Test
    void summary_givesTheRecordItsStepCountAndDependencies() {
        ExecutionPlan plan = new ExecutionPlan("blog_post", Strategy.PARALLEL, List.of(
                new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
                new PlanStep("researcher_a", "researcher", List.of("planner"), "basic_research", true, "research", Map.of()),
                new PlanStep("researcher_b", "researcher", List.of("planner"), "basic_research", false, "research", Map.of()),
                new PlanStep("writer", "writer", List.of("researcher_a", "researcher_b"), null, true, null, Map.of())),
                "none", 0.7, List.of());

        CampaignRecord record = Fixtures.campaign("camp-1", 0).withPlanSummary(PlanSummaries.of(plan));

        assertThat(record.planStepCount()).isEqualTo(4);
        assertThat(record.planSummary().path("strategy").asText()).isEqualTo("parallel");
        assertThat(record.planSummary().path("steps").get(3).path("depends_on")).hasSize(2);
        assertThat(record.planSummary().path("steps").get(1).path("fallback").asText()).isEqualTo("basic_research");
    }
}
