package com.campaignflow.functions.planning;

import static com.campaignflow.functions.domain.HealthStatus.CRITICAL;
import static com.campaignflow.functions.domain.HealthStatus.DEGRADED;
import static com.campaignflow.functions.domain.HealthStatus.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class MasterPlannerTest {

    static final List<String> CONTENT_TYPES = MinimalViableWorkflow.CONTENT_TYPES;

    private final MasterPlanner planner = new MasterPlanner(new DegradationAssessor(Health.CLOCK));

    private static CampaignRequest request(String contentType, String strategy,
                                           Map<String, Map<String, Object>> agentParameters) {
        return new CampaignRequest("camp-1", "Northwind builds analytics", "product managers", "explain funnels",
                "normal", contentType, strategy, List.of("analytics"), agentParameters);
    }

    private static CampaignRequest blogPost() {
        return request("blog_post", "sequential", Map.of());
    }

    private static PlanStep step(ExecutionPlan plan, String stepId) {
        return plan.steps().stream().filter(s -> s.stepId().equals(stepId)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + stepId + " in " + plan.steps()));
    }

    @Test
    void healthyBlogPost_isTheDefaultPlanAndCompilesToTheDeployedDefinition() {
        ExecutionPlan plan = planner.plan(blogPost(), Health.allHealthy().map());

        assertThat(plan).isEqualTo(DefaultPlans.defaultPlan());
        assertThat(new PlanCompiler().compile(plan)).isEqualTo(new PlanCompiler().compile(DefaultPlans.defaultPlan()));
    }

    @Test
    void healthyPlan_chainsStepsInDependencyOrderWithTheirFallbacks() {
        ExecutionPlan plan = planner.plan(blogPost(), Map.of());

        assertThat(plan.steps()).extracting(PlanStep::stepId)
                .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        assertThat(step(plan, "writer").dependsOn()).containsExactly("researcher");
        assertThat(step(plan, "researcher").fallback()).isEqualTo("basic_research");
        assertThat(step(plan, "editor").fallback()).isEqualTo("basic_qa");
        assertThat(step(plan, "writer").fallback()).isNull();
        assertThat(step(plan, "writer").required()).isTrue();
        assertThat(step(plan, "distribution").required()).isFalse();
        assertThat(plan.degradationLevel()).isEqualTo("none");
        assertThat(plan.limitations()).isEmpty();
    }

    @Test
    void agentParametersFromTheRequest_stayOutOfTheDefinition_soCampaignsShareTheDeployedStateMachine() {
        ExecutionPlan withParameters = planner.plan(request("blog_post", "sequential", Map.of(
                "writer", Map.of("tone", "practical", "target_words", 900),
                "basic_qa", Map.of("strict", true))), Map.of());

        assertThat(withParameters).isEqualTo(planner.plan(request("blog_post", "sequential", Map.of()), Map.of()));
        assertThat(step(withParameters, "writer").parameters()).isEmpty();
    }

    @Test
    void parallelStrategy_fansOutThreeResearchersWithTheirFocus() {
        ExecutionPlan plan = planner.plan(request("blog_post", "parallel",
                Map.of("researcher", Map.of("depth", 2, "focus", "ignored"))), Map.of());

        assertThat(plan.strategy()).isEqualTo(Strategy.PARALLEL);
        assertThat(plan.steps()).extracting(PlanStep::stepId).containsExactly("planner", "researcher_a",
                "researcher_b", "researcher_c", "writer", "editor", "seo", "distribution");
        assertThat(plan.steps().subList(1, 4)).allSatisfy(s -> {
            assertThat(s.agent()).isEqualTo("researcher");
            assertThat(s.parallelGroup()).isEqualTo("research");
            assertThat(s.fallback()).isEqualTo("basic_research");
            assertThat(s.dependsOn()).containsExactly("planner");
        }).extracting(s -> s.parameters().get("focus")).containsExactly("market", "audience", "competitors");
        assertThat(step(plan, "writer").dependsOn()).containsExactly("researcher_a", "researcher_b", "researcher_c");
        assertThat(new PlanCompiler().compile(plan)).contains("\"Type\": \"Parallel\"");
    }

    @Test
    void unavailableEditorAndSeo_arePlannedAsBasicQaUpFront() {
        ExecutionPlan plan = planner.plan(blogPost(),
                Health.allHealthy().with("editor", UNAVAILABLE).with("seo", UNAVAILABLE).map());

        PlanStep editor = step(plan, "editor");
        assertThat(editor.agent()).isEqualTo("basic_qa");
        assertThat(editor.replaces()).isEqualTo("editor");
        assertThat(editor.fallback()).isNull();
        assertThat(step(plan, "seo").agent()).isEqualTo("basic_qa");
        assertThat(step(plan, "seo").replaces()).isEqualTo("seo");
        assertThat(plan.degradationLevel()).isEqualTo("severe");
        assertThat(plan.limitations()).anySatisfy(l -> assertThat(l)
                .contains("editor is unavailable (expected back after 2026-11-26T01:01:30Z)")
                .contains("basic_qa"));
        assertThat(plan.limitations()).last().isEqualTo(MinimalViableWorkflow.forContentType("blog_post").limitations());
        String asl = new PlanCompiler().compile(plan);
        assertThat(asl).doesNotContain("${EditorFunctionArn}", "${SeoFunctionArn}");
    }

    @Test
    void unavailableResearcherInAParallelPlan_runsBasicResearchOnEveryBranch() {
        ExecutionPlan plan = planner.plan(request("blog_post", "parallel", Map.of()),
                Health.allHealthy().with("researcher", UNAVAILABLE).map());

        assertThat(plan.steps().subList(1, 4)).allSatisfy(s -> {
            assertThat(s.agent()).isEqualTo("basic_research");
            assertThat(s.replaces()).isEqualTo("researcher");
        });
        assertThat(plan.degradationLevel()).isEqualTo("moderate");
    }

    @Test
    void unavailableOptionalAgentWithoutFallback_isLeftOutAndTheChainCloses() {
        ExecutionPlan plan = planner.plan(request("email", "sequential", Map.of()),
                Health.allHealthy().with("distribution", UNAVAILABLE).map());

        assertThat(plan.steps()).extracting(PlanStep::stepId)
                .containsExactly("planner", "researcher", "writer", "editor", "seo");
        assertThat(plan.limitations()).first().asString().contains("distribution step is left out")
                .contains("an email campaign can be completed without it");
        assertThat(plan.limitations()).last().asString().startsWith("A minimal email is planned");
    }

    @Test
    void anUnavailableEditorOrSeo_isReplacedByBasicQa_forEveryContentType() {
        for (String contentType : MinimalViableWorkflow.CONTENT_TYPES) {
            ExecutionPlan plan = planner.plan(request(contentType, "sequential", Map.of()),
                    Health.allHealthy().with("editor", UNAVAILABLE).with("seo", UNAVAILABLE).map());

            assertThat(plan.steps()).as(contentType).extracting(PlanStep::stepId)
                    .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(List.of(step(plan, "editor"), step(plan, "seo"))).as(contentType).allSatisfy(s -> {
                assertThat(s.agent()).isEqualTo("basic_qa");
                assertThat(s.replaces()).isIn("editor", "seo");
            });
        }
    }

    @Test
    void socialMediaLeavesOutAnUnavailableEditorOnlyWhenBasicQaIsUnavailableToo() {
        ExecutionPlan plan = planner.plan(request("social_media", "sequential", Map.of()),
                Health.allHealthy().with("editor", UNAVAILABLE).with("basic_qa", UNAVAILABLE).map());

        assertThat(plan.steps()).extracting(PlanStep::agent)
                .containsExactly("planner", "researcher", "writer", "seo", "distribution");
        assertThat(plan.qualityThreshold()).isEqualTo(0.60);
    }

    @Test
    void aDegradedAgentThatStillRuns_isToldWithoutClaimingAMinimalWorkflow() {
        ExecutionPlan plan = planner.plan(blogPost(), Health.allHealthy().with("writer", CRITICAL)
                .with("basic_research", UNAVAILABLE).map());

        assertThat(plan.steps()).extracting(PlanStep::agent)
                .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        assertThat(plan.limitations()).hasSize(2).noneMatch(l -> l.startsWith("A minimal"));
        assertThat(plan.limitations()).anySatisfy(l -> assertThat(l).startsWith("The writer is critical"));
        assertThat(plan.limitations()).anySatisfy(l -> assertThat(l).startsWith("The researcher runs without its"
                + " basic_research fallback"));
    }

    @Test
    void unavailableFallback_leavesThePrimaryWithoutSafetyNet() {
        ExecutionPlan plan = planner.plan(blogPost(), Health.allHealthy().with("basic_qa", UNAVAILABLE).map());

        assertThat(step(plan, "editor").agent()).isEqualTo("editor");
        assertThat(step(plan, "editor").fallback()).isNull();
        assertThat(step(plan, "seo").fallback()).isNull();
        assertThat(plan.limitations()).anySatisfy(l -> assertThat(l).contains("editor runs without its basic_qa fallback"));
    }

    @Test
    void degradedOrCriticalAgents_stillRunWithTheirFallbacks() {
        ExecutionPlan plan = planner.plan(blogPost(),
                Health.allHealthy().with("researcher", CRITICAL).with("seo", DEGRADED).map());

        assertThat(step(plan, "researcher").agent()).isEqualTo("researcher");
        assertThat(step(plan, "researcher").fallback()).isEqualTo("basic_research");
        assertThat(plan.degradationLevel()).isEqualTo("minimal");
        assertThat(plan.limitations()).contains(
                "The researcher is critical (5 recent failures); basic_research takes over if it fails.",
                "The seo is degraded (5 recent failures); basic_qa takes over if it fails.");
    }

    @Test
    void openBreakerPastItsRecoveryTime_getsAProbeRun() {
        ExecutionPlan plan = planner.plan(blogPost(),
                Health.allHealthy().with("writer", UNAVAILABLE, Health.NOW.minusSeconds(5)).map());

        assertThat(step(plan, "writer").agent()).isEqualTo("writer");
    }

    @Test
    void unavailableWriter_refusesTheCampaignWithRetryAfterItsRecovery() {
        assertThatThrownBy(() -> planner.plan(blogPost(),
                Health.allHealthy().with("writer", UNAVAILABLE, Health.NOW.plusMillis(89_001)).map()))
                .isInstanceOfSatisfying(CampaignRefusedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isEqualTo(90);
                    assertThat(e.unavailableAgents()).containsExactly("writer");
                    assertThat(e.reason()).startsWith("A blog_post campaign cannot run now: it needs the writer")
                            .contains("Try again in 90 seconds");
                });
        assertThatThrownBy(() -> planner.plan(request("email", "sequential", Map.of()),
                Health.allHealthy().with("writer", UNAVAILABLE).map()))
                .isInstanceOfSatisfying(CampaignRefusedException.class,
                        e -> assertThat(e.reason()).startsWith("An email campaign cannot run now"));
    }

    @Test
    void unavailableCheckpointStore_refusesEveryCampaign_andEveryResume_untilItsRecovery() {
        var health = Health.allHealthy().with("checkpoint_store", UNAVAILABLE, Health.NOW.plusSeconds(30)).map();

        assertThatThrownBy(() -> planner.plan(blogPost(), health))
                .isInstanceOfSatisfying(CampaignRefusedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isEqualTo(30);
                    assertThat(e.unavailableAgents()).containsExactly("checkpoint_store");
                    assertThat(e.reason()).contains("checkpoint store is unavailable (5 recent failures)")
                            .contains("Try again in 30 seconds");
                });
        ExecutionPlan remaining = planner.plan(blogPost(), Health.allHealthy().map());
        assertThatThrownBy(() -> planner.refuseIfBlocked(remaining, health))
                .isInstanceOf(CampaignRefusedException.class);
    }

    @Test
    void requiredAgentAndItsFallbackUnavailable_refusesUntilTheFirstOfThemRecovers() {
        Health health = Health.allHealthy()
                .with("researcher", UNAVAILABLE, Health.NOW.plusSeconds(300))
                .with("basic_research", UNAVAILABLE, Health.NOW.plusSeconds(120));

        assertThatThrownBy(() -> planner.plan(blogPost(), health.map()))
                .isInstanceOfSatisfying(CampaignRefusedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isEqualTo(120);
                    assertThat(e.unavailableAgents()).containsExactly("researcher", "basic_research");
                    assertThat(e.reason()).contains("the researcher or its fallback basic_research");
                });
    }

    @Test
    void aResumeIsRefused_whenTheAgentItsStoredStepRuns_isDown_thoughTheRolesPrimaryIsBack() {
        // planned while the researcher was down: basic_research runs the step, with no fallback left
        ExecutionPlan planned = planner.plan(blogPost(), Health.allHealthy()
                .with("researcher", UNAVAILABLE, Health.NOW.plusSeconds(300)).map());
        assertThat(step(planned, "researcher").agent()).isEqualTo("basic_research");
        assertThat(step(planned, "researcher").fallback()).isNull();

        var now = Health.allHealthy().with("basic_research", UNAVAILABLE, Health.NOW.plusSeconds(60)).map();

        assertThatThrownBy(() -> planner.refuseIfBlocked(planned, now))
                .isInstanceOfSatisfying(CampaignRefusedException.class,
                        e -> assertThat(e.reason()).contains("researcher"));
        planner.refuseIfBlocked(planned, Health.allHealthy().map()); // nothing down: no refusal
    }

    @Test
    void optionalResearchDownWithItsFallback_isSkippedForSocialMedia() {
        ExecutionPlan plan = planner.plan(request("social_media", "sequential", Map.of()), Health.allHealthy()
                .with("researcher", UNAVAILABLE).with("basic_research", UNAVAILABLE).map());

        assertThat(plan.steps()).extracting(PlanStep::stepId).doesNotContain("researcher");
        assertThat(step(plan, "writer").dependsOn()).containsExactly("planner");
    }

    @Test
    void severalBlockers_retryAfterTheLatest_andAnOpenCircuitWithoutARecoveryEstimateIsDueItsProbe() {
        Health health = Health.allHealthy()
                .with("planner", UNAVAILABLE, Health.NOW.plusSeconds(90))
                .with("writer", UNAVAILABLE, Health.NOW.plusSeconds(30));

        assertThatThrownBy(() -> planner.plan(blogPost(), health.map()))
                .isInstanceOfSatisfying(CampaignRefusedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isEqualTo(90);
                    assertThat(e.unavailableAgents()).containsExactly("planner", "writer");
                });
        // a record stored without recovery_time: the breaker lets a probe through, so planning does not refuse on it
        health.with("planner", UNAVAILABLE, null);
        assertThatThrownBy(() -> planner.plan(blogPost(), health.map()))
                .isInstanceOfSatisfying(CampaignRefusedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isEqualTo(30);
                    assertThat(e.unavailableAgents()).containsExactly("writer");
                });
    }

    @ParameterizedTest
    @FieldSource("CONTENT_TYPES")
    void everyContentType_plansAndCompilesHealthyDegradedAndParallel(String contentType) {
        Health degraded = Health.allHealthy().with("editor", UNAVAILABLE).with("seo", UNAVAILABLE)
                .with("distribution", UNAVAILABLE);
        PlanCompiler compiler = new PlanCompiler();

        for (String strategy : List.of("sequential", "parallel")) {
            ExecutionPlan healthy = planner.plan(request(contentType, strategy, Map.of()), Map.of());
            ExecutionPlan reduced = planner.plan(request(contentType, strategy, Map.of()), degraded.map());

            assertThat(healthy.contentType()).isEqualTo(contentType);
            assertThat(healthy.qualityThreshold())
                    .isEqualTo(MinimalViableWorkflow.forContentType(contentType).qualityThreshold());
            assertThat(compiler.compile(healthy)).isNotBlank();
            assertThat(compiler.compile(reduced)).doesNotContain("${EditorFunctionArn}", "${SeoFunctionArn}",
                    "${DistributionFunctionArn}");
            assertThat(reduced.limitations()).isNotEmpty();
        }
    }
}
