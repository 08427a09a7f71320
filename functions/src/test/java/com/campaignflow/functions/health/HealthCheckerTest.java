package com.campaignflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.faults.FaultInjector;
import com.campaignflow.functions.faults.FaultSpecParser;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.MutableClock;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");
    private final HealthService health = new HealthService(new InMemoryDocumentTable(), CircuitBreaker.standard(), clock);

    private static Agent agent(String name, Function<AgentInput, AgentOutput> body) {
        return new Agent() {
            public String name() {
                return name;
            }

            public AgentOutput run(AgentInput input) {
                return body.apply(input);
            }
        };
    }

    private static AgentOutput ok(String name) {
        return new AgentOutput(JsonNodeFactory.instance.objectNode().put("by", name), 0.9, name);
    }

    @Test
    void check_probesAgentsInPipelineOrderWithEarlierOutputs_andSkipsWhenInputIsMissing() {
        Map<String, Agent> agents = new HashMap<>();
        agents.put("researcher", agent("researcher", i -> {
            throw new AgentFailedException("down");
        }));
        agents.put("basic_research", agent("basic_research", i -> ok("basic_research")));
        agents.put("writer", agent("writer", i -> {
            assertThat(i.previousOutputs()).containsKey("basic_research");
            return ok("writer");
        }));
        agents.put("editor", agent("editor", i -> ok("editor")));

        List<ProbeResult> results = new HealthChecker(health, () -> agents, Map.of("checkpoint_store", () -> { }), null).check();

        assertThat(results).extracting(ProbeResult::service, ProbeResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("checkpoint_store", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("researcher", ProbeResult.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("basic_research", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("writer", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("editor", ProbeResult.Outcome.PASSED));
        assertThat(health.get("researcher").healthStatus()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void check_probesTheDependenciesSideBySide_soAStoreThatHangsDoesNotDelayTheOthers() {
        // each probe passes only once every probe has begun: probed one after another, the first would time out
        CountDownLatch allBegun = new CountDownLatch(3);
        DependencyProbe waitsForTheOthers = () -> {
            allBegun.countDown();
            if (!allBegun.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other probes did not begin");
            }
        };
        Map<String, DependencyProbe> dependencies = Map.of("checkpoint_store", waitsForTheOthers,
                "campaigns_table", waitsForTheOthers, "service_health_table", waitsForTheOthers);

        List<ProbeResult> results = new HealthChecker(health, Map::of, dependencies, null).check();

        assertThat(results).extracting(ProbeResult::service, ProbeResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("campaigns_table", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("checkpoint_store", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("service_health_table", ProbeResult.Outcome.PASSED));
    }

    @Test
    void check_meetsTheInjectedFaultsAsAgentRunsDo_soAGameDayOutageStaysOpen() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("planner", "down");
        }
        Map<String, Agent> agents = Map.of("planner", agent("planner", i -> ok("planner")));
        FaultInjector faults = new FaultInjector(FaultSpecParser.parse("planner:always"), new InMemoryDocumentTable(),
                d -> { }, new java.util.Random(1), clock);
        HealthChecker checker = new HealthChecker(health, () -> agents, Map.of(), faults);
        clock.advance(Duration.ofSeconds(30));

        assertThat(checker.check()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
            assertThat(r.detail()).contains("injected fault");
        });
        assertThat(health.get("planner").healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);
        assertThat(health.get("planner").failureCount()).isEqualTo(6);
    }

    @Test
    void check_closesARecoveredCircuitOnlyAfterItsRecoveryTime() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("planner", "down");
        }
        Map<String, Agent> agents = Map.of("planner", agent("planner", i -> ok("planner")));
        HealthChecker checker = new HealthChecker(health, () -> agents, Map.of(), null);

        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.SKIPPED);
        assertThat(health.get("planner").healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);

        clock.advance(Duration.ofSeconds(30));
        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.PASSED);
        assertThat(health.get("planner").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aStoreWhoseCircuitIsOpen_isProbedAnyway_andClosesAtTheFirstCheckAfterItIsBack() {
        for (int i = 0; i < 16; i++) { // a few steps retried through an outage: recovery time at the 10-minute cap
            health.recordFailure("checkpoint_store", "S3 PutObject failed");
        }
        boolean[] down = {true};
        HealthChecker checker = new HealthChecker(health, Map::of, Map.of("checkpoint_store", () -> {
            if (down[0]) {
                throw new IllegalStateException("connection refused");
            }
        }), null);

        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.FAILED);
        down[0] = false;
        clock.advance(Duration.ofMinutes(1));

        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.PASSED);
        assertThat(health.get("checkpoint_store").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(health.isAvailable("checkpoint_store")).isTrue();
    }

    @Test
    void check_updatesTheLastCheckOfHealthyServices_soAMonitorSeesTheChecksRun() {
        HealthChecker checker = new HealthChecker(health, Map::of, Map.of("campaigns_table", () -> { }), null);
        checker.check();
        clock.advance(Duration.ofMinutes(1));

        checker.check();

        assertThat(health.get("campaigns_table").lastCheck()).isEqualTo(clock.instant());
        assertThat(health.get("campaigns_table").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void check_recordsAFailingDependency() {
        HealthChecker checker = new HealthChecker(health, Map::of, Map.of("campaigns_table", () -> {
            throw new IllegalStateException("table missing");
        }), null);

        assertThat(checker.check()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
            assertThat(r.detail()).contains("table missing");
        });
        assertThat(health.get("campaigns_table").failureCount()).isEqualTo(1);
    }

    @Test
    void aFailingWritersProbe_doesNotLeaveTheAgentsAfterItUnprobed_theyGetItsReferenceOutput() {
        Map<String, Agent> agents = new HashMap<>();
        for (String name : List.of("researcher", "writer", "editor", "seo", "basic_qa", "distribution")) {
            agents.put(name, agent(name, i -> ok(name)));
        }
        agents.put("editor", agent("editor", i -> {
            assertThat(i.previousOutputs().get("writer").path("by").asText()).isEqualTo("writer");
            return ok("editor");
        }));
        FaultInjector faults = new FaultInjector(FaultSpecParser.parse("writer:always"), new InMemoryDocumentTable(),
                d -> { }, new java.util.Random(1), clock);

        List<ProbeResult> results = new HealthChecker(health, () -> agents, Map.of(), faults).check();

        assertThat(results).extracting(ProbeResult::service, ProbeResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("researcher", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("writer", ProbeResult.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("editor", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("seo", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("basic_qa", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("distribution", ProbeResult.Outcome.PASSED));
        assertThat(results.get(2).detail()).contains("reference output of writer");
        assertThat(health.snapshot()).containsKeys("editor", "seo", "basic_qa", "distribution");
    }

    @Test
    void aProbeWithoutAnAnswerInTime_isNoFailure_andTheAgentsAfterItAreStillProbed() {
        Map<String, Agent> agents = new HashMap<>();
        for (String name : List.of("researcher", "writer", "editor", "seo", "distribution")) {
            agents.put(name, agent(name, i -> ok(name)));
        }
        health.recordFailure("seo", "timeout in a campaign"); // one failure before: the probe must not add a second
        AgentProbe.Runner slowSeo = (name, outputs) -> {
            if (name.equals("seo")) {
                throw new AgentProbe.NoAnswerInTimeException("seo function SeoFunction did not answer the probe within"
                        + " the probe's bound (10 s)", null);
            }
            return AgentProbe.inProcess(agents, null).probe(name, outputs);
        };

        List<ProbeResult> results = new HealthChecker(health, agents::keySet, slowSeo, Map.of(), () -> agents).check();

        assertThat(results).extracting(ProbeResult::service, ProbeResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("researcher", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("writer", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("editor", ProbeResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("seo", ProbeResult.Outcome.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("distribution", ProbeResult.Outcome.PASSED));
        assertThat(results.get(3).detail()).contains("did not answer").endsWith("not counted as a failure");
        assertThat(health.get("seo").failureCount()).isEqualTo(1);
        assertThat(health.get("seo").healthStatus()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void aCircuitDueWithinSecondsOfTheCheck_isProbedNow_notAPeriodLater() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("planner", "down");
        }
        Map<String, Agent> agents = Map.of("planner", agent("planner", i -> ok("planner")));
        HealthChecker checker = new HealthChecker(health, () -> agents, Map.of(), null);
        java.time.Instant recovery = health.get("planner").recoveryTime();

        clock.advance(java.time.Duration.between(clock.instant(), recovery.minus(HealthChecker.DUE_WITHIN).minusMillis(1)));
        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.SKIPPED);
        clock.advance(java.time.Duration.between(clock.instant(), recovery.minusMillis(300))); // a moment early
        assertThat(checker.check()).extracting(ProbeResult::outcome).containsExactly(ProbeResult.Outcome.PASSED);
        assertThat(health.get("planner").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(health.isAvailable("planner")).isTrue();
    }
}
