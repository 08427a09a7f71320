package com.campaignflow.statemachine.compiler;

import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import java.util.List;
import java.util.Map;

/** Plans the compiler tests use besides the default one. */
final class TestPlans {

    private TestPlans() {
    }

    /** Researchers A/B/C fanned out between the planner and the writer. */
    static ExecutionPlan parallel() {
        return parallel("blog_post", true);
    }

    /** As {@link #parallel()} for a content type whose research is optional (social_media). */
    static ExecutionPlan parallelWithOptionalResearch() {
        return parallel("social_media", false);
    }

    private static ExecutionPlan parallel(String contentType, boolean researchRequired) {
        List<String> researchers = List.of("researcher_a", "researcher_b", "researcher_c");
        return new ExecutionPlan(contentType, Strategy.PARALLEL, List.of(
                new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
                new PlanStep("researcher_a", "researcher", List.of("planner"), "basic_research", researchRequired,
                        "research", Map.of("focus", "market")),
                new PlanStep("researcher_b", "researcher", List.of("planner"), "basic_research", researchRequired,
                        "research", Map.of("focus", "audience")),
                new PlanStep("researcher_c", "researcher", List.of("planner"), "basic_research", researchRequired,
                        "research", Map.of("focus", "competitors")),
                new PlanStep("writer", "writer", researchers, null, true, null,
                        Map.of("tone", "practical", "target_words", 900)),
                new PlanStep("editor", "editor", List.of("writer"), "basic_qa", false, null, Map.of()),
                new PlanStep("seo", "seo", List.of("editor"), "basic_qa", false, null, Map.of()),
                new PlanStep("distribution", "distribution", List.of("seo"), null, false, null,
                        Map.of("channels", List.of("linkedin", "newsletter")))),
                "none", 0.7, List.of());
    }

    /** Editor and SEO were unavailable at planning time: basic_qa runs in their place, distribution skipped. */
    static ExecutionPlan degraded() {
        return new ExecutionPlan("blog_post", Strategy.SEQUENTIAL, List.of(
                new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
                new PlanStep("researcher", "basic_research", List.of("planner"), null, true, null, Map.of(), "researcher"),
                new PlanStep("writer", "writer", List.of("researcher"), null, true, null, Map.of()),
                new PlanStep("editor", "basic_qa", List.of("writer"), null, false, null, Map.of(), "editor"),
                new PlanStep("seo", "basic_qa", List.of("editor"), null, false, null, Map.of(), "seo")),
                "severe", 0.6, List.of("editing and SEO by basic QA"));
    }

    static Map<String, ExecutionPlan> all() {
        return Map.of("default", DefaultPlans.defaultPlan(), "parallel", parallel(), "degraded", degraded(),
                "parallel_optional_research", parallelWithOptionalResearch());
    }
}
