package com.campaignflow.functions.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.statemachine.plan.PlanStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResumeActionTest {

    /** A social post's parallel plan: three optional research branches, then the writer and the rest. */
    private static final List<PlanStep> PARALLEL_SOCIAL = List.of(
            new PlanStep("planner", "planner", List.of(), null, true, null, Map.of()),
            new PlanStep("researcher_a", "researcher", List.of("planner"), "basic_research", false, "research", Map.of()),
            new PlanStep("researcher_b", "researcher", List.of("planner"), "basic_research", false, "research", Map.of()),
            new PlanStep("researcher_c", "researcher", List.of("planner"), "basic_research", false, "research", Map.of()),
            new PlanStep("writer", "writer", List.of("researcher_a", "researcher_b", "researcher_c"), null, true, null,
                    Map.of()),
            new PlanStep("seo", "seo", List.of("writer"), "basic_qa", false, null, Map.of()),
            new PlanStep("distribution", "distribution", List.of("seo"), null, false, null, Map.of()));

    @Test
    void skipFromABranchsErrorRecoveryCheckpoint_skipsTheBranchThatFailed_notASiblingBeforeIt() {
        // researcher_c's error_recovery checkpoint: the planner done, the failed branch not
        ResumeAction.Steps steps = ResumeAction.SKIP.steps(PARALLEL_SOCIAL, "social_media", Set.of("planner"),
                "researcher_c");

        assertThat(steps.refusal()).isNull();
        assertThat(steps.skipped().stepId()).isEqualTo("researcher_c");
        assertThat(steps.pending()).extracting(PlanStep::stepId)
                .containsExactly("researcher_a", "researcher_b", "writer", "seo", "distribution");
    }

    @Test
    void skipFromAnAutomaticCheckpoint_skipsTheNextPendingStep() {
        ResumeAction.Steps steps = ResumeAction.SKIP.steps(PARALLEL_SOCIAL, "social_media",
                Set.of("planner", "researcher_a", "researcher_b", "researcher_c", "writer"), "writer");

        assertThat(steps.skipped().stepId()).isEqualTo("seo");
        assertThat(steps.pending()).extracting(PlanStep::stepId).containsExactly("distribution");
    }

    @Test
    void skipOfARequiredStep_isRefused_namingIt() {
        ResumeAction.Steps steps = ResumeAction.SKIP.steps(PARALLEL_SOCIAL, "social_media",
                Set.of("planner", "researcher_a", "researcher_b", "researcher_c"), "writer");

        assertThat(steps.refusal()).startsWith("writer (step writer) is required for a social_media");
        assertThat(steps.pending()).isEmpty();
    }
}
