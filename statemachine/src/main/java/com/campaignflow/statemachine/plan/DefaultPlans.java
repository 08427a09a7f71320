package com.campaignflow.statemachine.plan;

import java.util.List;
import java.util.Map;

/**
 * The plan behind the deployed default state machine ({@code statemachine/campaign-workflow.asl.json}): a blog post,
 * sequential research, every agent healthy. The Master Planner produces exactly these steps for such a request
 * without agent parameters, so its compiled definition hashes to the deployed one.
 */
public final class DefaultPlans {

    private DefaultPlans() {
    }

    public static ExecutionPlan defaultPlan() {
        List<PlanStep> steps = List.of(
                new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
                new PlanStep("researcher", "researcher", List.of("planner"), "basic_research", true, null, Map.of()),
                new PlanStep("writer", "writer", List.of("researcher"), null, true, null, Map.of()),
                new PlanStep("editor", "editor", List.of("writer"), "basic_qa", false, null, Map.of()),
                new PlanStep("seo", "seo", List.of("editor"), "basic_qa", false, null, Map.of()),
                new PlanStep("distribution", "distribution", List.of("seo"), null, false, null, Map.of()));
        return new ExecutionPlan("blog_post", Strategy.SEQUENTIAL, steps, "none", 0.7, List.of());
    }
}
