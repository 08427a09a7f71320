package com.campaignflow.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.campaigns.CampaignRepository;
import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.faults.FaultInjector;
import com.campaignflow.functions.faults.FaultSpecParser;
import com.campaignflow.functions.faults.InjectedFaultException;
import com.campaignflow.functions.health.CircuitBreaker;
import com.campaignflow.functions.health.DegradationEvent;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.functions.monitoring.PerformanceRepository;
import com.campaignflow.functions.progress.ProgressLog;
import com.campaignflow.functions.store.local.ForwardingBlobStore;
import com.campaignflow.functions.store.local.InMemoryBlobStore;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.Fixtures;
import com.campaignflow.functions.testing.Fixtures.ScriptedAgent;
import com.campaignflow.functions.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.ArrayList;
import com.campaignflow.functions.faults.Sleeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WF = "wf-camp-1";

    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");
    private final CheckpointManager checkpoints = new CheckpointManager(new InMemoryBlobStore(), clock, CheckpointPolicy.DEFAULT);
    private final CampaignRepository campaigns = new CampaignRepository(new InMemoryDocumentTable(), clock);
    private final HealthService health = new HealthService(new InMemoryDocumentTable(), CircuitBreaker.standard(), clock);
    private final PerformanceRepository performance = new PerformanceRepository(new InMemoryDocumentTable());
    private final List<ProgressMessage> published = new CopyOnWriteArrayList<>();
    private final ProgressLog progressLog = new ProgressLog(new InMemoryDocumentTable(), clock);
    private final Map<String, ScriptedAgent> agents = new HashMap<>();

    @BeforeEach
    void campaign() {
        campaigns.create(Fixtures.campaign("camp-1", 5));
        for (String name : List.of("planner", "researcher", "writer", "editor", "seo", "basic_research", "basic_qa")) {
            agents.put(name, ScriptedAgent.ok(name));
        }
    }

    private AgentRuntime runtime(FaultInjector faults) {
        return new AgentRuntime(Map.copyOf(agents), checkpoints, campaigns, health, performance, faults,
                published::add, progressLog, clock);
    }

    private AgentRuntime runtime() {
        return runtime(FaultInjector.none());
    }

    private static AgentTask task(String step, String agent, JsonNode results) {
        return new AgentTask(WF, "camp-1", "exec-1", step, agent, null, Map.of(), results, null);
    }

    private static ObjectNode results(Map<String, AgentResult> byStep) {
        ObjectNode results = JSON.createObjectNode();
        byStep.forEach((step, r) -> results.set(step, JSON.valueToTree(Map.of("checkpoint_id", r.checkpointId()))));
        return results;
    }

    @Test
    void completedStep_writesACumulativeAutomaticCheckpointAndRecordsEverything() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        AgentResult researcher = runtime().handle(task("researcher", "researcher", results(Map.of("planner", planner))));

        assertThat(researcher).isEqualTo(new AgentResult("researcher", "researcher", "completed",
                WF + "/checkpoint_002", 0.8, "researcher finished researcher"));
        Checkpoint c = checkpoints.read(researcher.checkpointId());
        assertThat(c.type()).isEqualTo(CheckpointType.AUTOMATIC);
        assertThat(c.stateData().completedAgents()).containsExactly("planner", "researcher");
        assertThat(c.stateData().intermediateData().properties()).extracting(Map.Entry::getKey)
                .containsExactly("planner", "researcher");
        assertThat(c.stateData().currentProgress()).isEqualTo(40);
        assertThat(c.resumeInstructions()).isEqualTo("Continue from researcher output: next writer (writer), editor (editor),"
                + " seo (seo)");
        assertThat(agents.get("researcher").lastInput.previousOutputs()).containsOnlyKeys("planner");
        assertThat(agents.get("researcher").lastInput.request().companyContext()).startsWith("Northwind Analytics");
        assertThat(agents.get("writer").runs.get()).isZero();

        assertThat(performance.forCampaign("camp-1")).extracting(p -> p.agentName() + ":" + p.successStatus() + ":" + p.checkpointId())
                .containsExactly("planner:true:" + WF + "/checkpoint_001", "researcher:true:" + WF + "/checkpoint_002");
        assertThat(performance.forCampaign("camp-1").get(1).checkpointSizeBytes()).isPositive();
        assertThat(health.get("researcher").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(published).extracting(ProgressMessage::sequence, ProgressMessage::progress, ProgressMessage::currentAgent)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 20, "planner"),
                        org.assertj.core.groups.Tuple.tuple(2L, 40, "researcher"));
    }

    @Test
    void agentParameters_comeFromTheRequestOverriddenByTheStep() {
        AgentTask writer = new AgentTask(WF, "camp-1", "exec-1", "writer", "writer", null,
                Map.of("tone", "formal"), null, null);

        runtime().handle(writer);

        assertThat(agents.get("writer").lastInput.parameters())
                .containsEntry("tone", "formal").containsEntry("target_words", 900);
    }

    @Test
    void reinvocation_ofACompletedStep_returnsTheSameCheckpointWithoutRunningTheAgent() {
        AgentResult first = runtime().handle(task("planner", "planner", null));
        AgentResult again = runtime().handle(task("planner", "planner", null));

        assertThat(again).isEqualTo(first);
        assertThat(agents.get("planner").runs.get()).isEqualTo(1);
        assertThat(checkpoints.list(WF)).hasSize(1);
    }

    /** The end of the process (killed, Lambda timeout): escapes every catch of the runtime. */
    private static final class ProcessKilled extends Error {
    }

    @Test
    void retryOfARunKilledRightAfterItsCheckpoint_makesTheRecordsItMissed_once_withTheRunsDuration() {
        agents.put("planner", new ScriptedAgent("planner", in -> {
            clock.advance(java.time.Duration.ofMillis(1234));
            return ScriptedAgent.ok("planner").run(in);
        }));
        // the first run's performance record is where its process dies
        InMemoryDocumentTable dying = new InMemoryDocumentTable();
        PerformanceRepository diesOnRecord = new PerformanceRepository(new com.campaignflow.functions.ports.DocumentTable() {
            public java.util.Optional<ObjectNode> get(String pk, String sk) { return dying.get(pk, sk); }
            public List<ObjectNode> query(String pk) { return dying.query(pk); }
            public List<ObjectNode> scan() { return dying.scan(); }
            public void put(ObjectNode item) { throw new ProcessKilled(); }
            public boolean putIfAbsent(ObjectNode item) { return dying.putIfAbsent(item); }
            public boolean putIfVersion(ObjectNode item, long v) { return dying.putIfVersion(item, v); }
            public void delete(String pk, String sk) { dying.delete(pk, sk); }
        });
        AgentRuntime killed = new AgentRuntime(Map.copyOf(agents), checkpoints, campaigns, health, diesOnRecord,
                FaultInjector.none(), published::add, progressLog, clock);
        assertThatThrownBy(() -> killed.handle(task("planner", "planner", null))).isInstanceOf(ProcessKilled.class);
        assertThat(checkpoints.list(WF)).hasSize(1);
        assertThat(performance.forCampaign("camp-1")).isEmpty();

        AgentResult retried = runtime().handle(task("planner", "planner", null));
        runtime().handle(task("planner", "planner", null)); // a further retry finds it all recorded

        assertThat(agents.get("planner").runs.get()).isEqualTo(1);
        assertThat(retried.checkpointId()).isEqualTo(WF + "/checkpoint_001");
        assertThat(performance.forCampaign("camp-1")).singleElement().satisfies(p -> {
            assertThat(p.checkpointId()).isEqualTo(WF + "/checkpoint_001");
            assertThat(p.executionTimeMillis()).isEqualTo(1234);
            assertThat(p.successStatus()).isTrue();
            assertThat(p.qualityScore()).isEqualTo(0.8);
            assertThat(p.checkpointSizeBytes()).isEqualTo(checkpoints.list(WF).get(0).sizeBytes());
        });
        // the killed run died before its progress message; the retry that recorded the run published it
        assertThat(published).extracting(ProgressMessage::progress, ProgressMessage::currentAgent)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(20, "planner"));
    }

    @Test
    void parallelResearch_writerReadsEveryBranchAndAMergedResearcher() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        ObjectNode afterPlanner = results(Map.of("planner", planner));
        List<AgentResult> branches = List.of("researcher_a", "researcher_b", "researcher_c").stream()
                .map(step -> runtime().handle(task(step, "researcher", afterPlanner))).toList();
        ObjectNode state = afterPlanner.deepCopy();
        var research = state.putArray("research");
        branches.forEach(b -> research.add(Json.MAPPER.valueToTree(b)));

        AgentResult writer = runtime().handle(task("writer", "writer", state));

        var inputs = agents.get("writer").lastInput.previousOutputs();
        assertThat(inputs).containsKeys("planner", "researcher_a", "researcher_b", "researcher_c", "researcher");
        assertThat(inputs.get("researcher").path("notes")).extracting(JsonNode::asText)
                .containsExactly("note from researcher_a", "note from researcher_b", "note from researcher_c");
        assertThat(checkpoints.read(writer.checkpointId()).stateData().completedAgents())
                .containsExactlyInAnyOrder("planner", "researcher_a", "researcher_b", "researcher_c", "writer");
    }

    @Test
    void sequentialSteps_readOnlyTheLatestCheckpoint_whichIncludesTheEarlierOnes() {
        ReadCountingStore store = new ReadCountingStore();
        CheckpointManager counted = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        List<String> steps = List.of("planner", "researcher", "writer", "editor", "seo");
        for (String step : steps) {
            // each step runs in a fresh process (another Lambda): nothing cached from the writes
            CheckpointManager reader = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);
            store.reads.clear();
            done.put(step, new AgentRuntime(Map.copyOf(agents), reader, campaigns, health, performance,
                    FaultInjector.none(), published::add, progressLog, clock)
                    .handle(task(step, step, results(done))));
            assertThat(store.reads).as("checkpoints read by " + step)
                    .containsExactlyElementsOf(step.equals("planner") ? List.of()
                            : List.of("checkpoints/" + done.values().stream().toList().get(done.size() - 2).checkpointId()
                                    + ".json.gz"));
        }

        var seo = agents.get("seo").lastInput.previousOutputs();
        assertThat(seo).containsOnlyKeys("planner", "researcher", "writer", "editor");
        Checkpoint last = counted.read(done.get("seo").checkpointId());
        assertThat(last.stateData().completedAgents()).containsExactlyElementsOf(steps);
        assertThat(last.stateData().includedCheckpoints()).containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002",
                WF + "/checkpoint_003", WF + "/checkpoint_004");
    }

    @Test
    void checkpointsWrittenBeforeTheyNamedWhatTheyInclude_areAllRead() {
        // a run that began on an older version: its checkpoints have no includes_checkpoints
        ReadCountingStore store = new ReadCountingStore();
        CheckpointManager writer = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        List<String> completed = new java.util.ArrayList<>();
        ObjectNode data = JSON.createObjectNode();
        for (String step : List.of("planner", "researcher")) {
            completed.add(step);
            data.set(step, JSON.createObjectNode().put("by", step));
            var entry = writer.create(new com.campaignflow.functions.checkpoints.NewCheckpoint(WF, "camp-1", "exec-1",
                    step, step, "agent_" + step + "_completed", CheckpointType.AUTOMATIC,
                    com.campaignflow.functions.checkpoints.CheckpointStatus.ACTIVE,
                    new com.campaignflow.functions.checkpoints.StateData(List.copyOf(completed), List.of(),
                            data.deepCopy(), 40), "continue", List.of("continue"), 0.8, step + " done", 5));
            done.put(step, new AgentResult(step, step, "completed", entry.checkpointId(), 0.8, step + " done"));
        }
        store.reads.clear();
        AgentResult w = new AgentRuntime(Map.copyOf(agents), new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT),
                campaigns, health, performance, FaultInjector.none(), published::add, progressLog, clock)
                .handle(task("writer", "writer", results(done)));

        assertThat(store.reads).hasSize(2);
        assertThat(agents.get("writer").lastInput.previousOutputs()).containsOnlyKeys("planner", "researcher");
        assertThat(checkpoints(store).read(w.checkpointId()).stateData().includedCheckpoints())
                .containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002");
    }

    @Test
    void parallelBranches_areEachRead_butTheCheckpointTheyAllIncludeIsNot() {
        ReadCountingStore store = new ReadCountingStore();
        AgentResult planner = runtime(store).handle(task("planner", "planner", null));
        ObjectNode afterPlanner = results(Map.of("planner", planner));
        List<AgentResult> branches = List.of("researcher_a", "researcher_b", "researcher_c").stream()
                .map(step -> runtime(store).handle(task(step, "researcher", afterPlanner))).toList();
        ObjectNode state = afterPlanner.deepCopy();
        var research = state.putArray("research");
        branches.forEach(b -> research.add(Json.MAPPER.valueToTree(b)));
        store.reads.clear();

        runtime(store).handle(task("writer", "writer", state));

        assertThat(store.reads).containsExactlyInAnyOrder(branches.stream()
                .map(b -> "checkpoints/" + b.checkpointId() + ".json.gz").toArray(String[]::new));
        assertThat(agents.get("writer").lastInput.previousOutputs())
                .containsKeys("planner", "researcher_a", "researcher_b", "researcher_c", "researcher");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "same process: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void twoRunsOfOneStepAtOnce_leaveOneCheckpoint_andBothReturnIt(boolean sameProcess) throws Exception {
        ReadCountingStore store = new ReadCountingStore();
        java.util.concurrent.CyclicBarrier bothRunning = new java.util.concurrent.CyclicBarrier(2);
        ScriptedAgent ok = ScriptedAgent.ok("planner");
        agents.put("planner", new ScriptedAgent("planner", in -> {
            try {
                bothRunning.await(10, java.util.concurrent.TimeUnit.SECONDS); // both are past the idempotency check
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return ok.run(in);
        }));
        CheckpointManager shared = checkpoints(store);
        java.util.concurrent.Callable<AgentResult> invocation = () -> new AgentRuntime(Map.copyOf(agents),
                sameProcess ? shared : checkpoints(store), campaigns, health, performance, FaultInjector.none(),
                published::add, progressLog, clock).handle(task("planner", "planner", null));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(invocation);
            var second = pool.submit(invocation);
            AgentResult a = first.get(10, java.util.concurrent.TimeUnit.SECONDS);
            AgentResult b = second.get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(a).isEqualTo(b);
            assertThat(a.checkpointId()).isEqualTo(WF + "/checkpoint_001");
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("checkpoints/" + WF + "/checkpoint_")).as("the second run's checkpoint removed")
                .containsExactly("checkpoints/" + WF + "/checkpoint_001.json.gz");
        assertThat(checkpoints(store).list(WF)).extracting(CheckpointEntry::checkpointId)
                .containsExactly(WF + "/checkpoint_001");
        assertThat(performance.forCampaign("camp-1")).as("one run recorded").hasSize(1);
        assertThat(published).as("one progress message").hasSize(1);
    }

    /** A runtime with its own checkpoint manager over {@code store}: as a separate Lambda, it caches nothing read. */
    private AgentRuntime runtime(ReadCountingStore store) {
        return new AgentRuntime(Map.copyOf(agents), checkpoints(store), campaigns, health, performance,
                FaultInjector.none(), published::add, progressLog, clock);
    }

    private CheckpointManager checkpoints(ReadCountingStore store) {
        return new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);
    }

    /** An in-memory store that lists the checkpoint objects read (not metadata.json). */
    private static final class ReadCountingStore extends ForwardingBlobStore {
        final List<String> reads = new CopyOnWriteArrayList<>();

        ReadCountingStore() {
            super(new InMemoryBlobStore());
        }

        @Override
        public java.util.Optional<Blob> get(String key) {
            if (key.endsWith(".json.gz")) {
                reads.add(key);
            }
            return super.get(key);
        }
    }

    @Test
    void failingAgent_recordsFailureWritesAnErrorRecoveryCheckpointAndRethrows() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        agents.put("researcher", new ScriptedAgent("researcher", in -> {
            throw new AgentFailedException("no usable sources");
        }));

        assertThatThrownBy(() -> runtime().handle(task("researcher", "researcher", results(Map.of("planner", planner)))))
                .isInstanceOf(AgentFailedException.class).hasMessage("no usable sources");

        CheckpointEntry recovery = checkpoints.list(WF).get(1);
        assertThat(recovery.type()).isEqualTo(CheckpointType.ERROR_RECOVERY);
        assertThat(recovery.status()).isEqualTo(CheckpointStatus.FAILED);
        Checkpoint c = checkpoints.read(recovery.checkpointId());
        assertThat(c.stateData().completedAgents()).containsExactly("planner");
        assertThat(c.stateData().failedAgents()).containsExactly("researcher");
        assertThat(c.stateData().intermediateData().has("planner")).isTrue();
        assertThat(c.availableActions()).as("continue runs the failed step again, as retry does; it is required")
                .containsExactly("continue", "retry");
        assertThat(c.resumeInstructions()).startsWith("Retry researcher (researcher failed: AgentFailedException: no usable"
                + " sources); after it: next writer (writer)");
        assertThat(health.get("researcher").failureCount()).isEqualTo(1);
        assertThat(performance.forCampaign("camp-1")).last().satisfies(p -> {
            assertThat(p.successStatus()).isFalse();
            assertThat(p.checkpointId()).isEqualTo(recovery.checkpointId());
        });
        assertThat(published).last().satisfies(m -> assertThat(m.message()).contains("researcher failed"));
        // a retry of the failed step runs the agent again: only completed steps are replayed
        assertThat(checkpoints.findByExecutionAndStep(WF, "exec-1", "researcher")).isEmpty();
    }

    @Test
    void aFailedRequiredStepsCheckpoint_offersWhatAResumeAccepts_continueAndRetry_notSkip() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        AgentResult researcher = runtime().handle(task("researcher", "researcher", results(Map.of("planner", planner))));
        agents.put("writer", new ScriptedAgent("writer", in -> {
            throw new AgentFailedException("model unavailable");
        }));

        assertThatThrownBy(() -> runtime().handle(task("writer", "writer",
                results(Map.of("planner", planner, "researcher", researcher)))));

        Checkpoint c = checkpoints.read(checkpoints.list(WF).getLast().checkpointId());
        assertThat(c.availableActions()).containsExactly("continue", "retry");
        assertThat(c.resumeInstructions()).isEqualTo("Retry writer (writer failed: AgentFailedException: model"
                + " unavailable); after it: next editor (editor), seo (seo)");
    }

    @Test
    void aFailedOptionalStepsCheckpoint_offersSkipToo() {
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        for (String step : List.of("planner", "researcher", "writer")) {
            done.put(step, runtime().handle(task(step, step, results(done))));
        }
        agents.put("editor", new ScriptedAgent("editor", in -> {
            throw new AgentFailedException("style guide missing");
        }));

        assertThatThrownBy(() -> runtime().handle(task("editor", "editor", results(done))));

        Checkpoint c = checkpoints.read(checkpoints.list(WF).getLast().checkpointId());
        assertThat(c.availableActions()).containsExactly("continue", "retry", "skip");
        assertThat(c.resumeInstructions()).isEqualTo("Retry editor (editor failed: AgentFailedException: style guide"
                + " missing) or skip it; after it: next seo (seo)");
    }

    @Test
    void theLastStepsCheckpoint_saysNothingIsLeftToRun() {
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        for (String step : List.of("planner", "researcher", "writer", "editor", "seo")) {
            done.put(step, runtime().handle(task(step, step, results(done))));
        }

        Checkpoint last = checkpoints.read(done.get("seo").checkpointId());
        assertThat(last.resumeInstructions()).isEqualTo("Continue from seo output: nothing is left to run, the campaign"
                + " is complete");
        assertThat(last.availableActions()).containsExactly("retry");
    }

    @Test
    void fallbackRun_recordsTheDegradationAndMarksTheStepFailed_withoutDoubleCountingThePrimary() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        agents.put("researcher", new ScriptedAgent("researcher", in -> {
            throw new AgentFailedException("no usable sources");
        }));
        ObjectNode state = results(Map.of("planner", planner));
        assertThatThrownBy(() -> runtime().handle(task("researcher", "researcher", state)));
        ObjectNode error = JSON.createObjectNode().put("Error", "AgentFailedException").put("Cause", "no usable sources");

        AgentResult fallback = runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "researcher", "basic_research",
                "researcher", Map.of(), state, error));

        assertThat(fallback.agent()).isEqualTo("basic_research");
        Checkpoint c = checkpoints.read(fallback.checkpointId());
        assertThat(c.stateData().completedAgents()).containsExactly("planner", "researcher");
        assertThat(c.stateData().failedAgents()).containsExactly("researcher");
        assertThat(health.get("researcher").failureCount()).isEqualTo(1);
        assertThat(health.degradationEvents("camp-1")).singleElement().satisfies(e -> {
            assertThat(e.agent()).isEqualTo("researcher");
            assertThat(e.replacedBy()).isEqualTo("basic_research");
            assertThat(e.reason()).isEqualTo("AgentFailedException: no usable sources");
        });
        var campaign = campaigns.get("camp-1").orElseThrow();
        assertThat(campaign.degradationLevel()).isEqualTo("minimal");
        assertThat(campaign.limitations()).singleElement().asString().contains("researcher was replaced by basic_research");
        assertThat(published).last().satisfies(m -> assertThat(m.degradationLevel()).isEqualTo("minimal"));
    }

    @Test
    void aFallbackThatFailsToo_isNotReportedAsTheReplacement() {
        ObjectNode plan = Fixtures.planSummary(5).deepCopy();
        plan.withArray("steps").forEach(step -> {
            if (step.path("step_id").asText().equals("editor")) {
                ((ObjectNode) step).put("fallback", "basic_qa");
            }
        });
        campaigns.update("camp-1", c -> c.withPlanSummary(plan));
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        for (String step : List.of("planner", "researcher", "writer")) {
            done.put(step, runtime().handle(task(step, step, results(done))));
        }
        agents.put("editor", new ScriptedAgent("editor", in -> {
            throw new AgentFailedException("style guide unreachable");
        }));
        agents.put("basic_qa", new ScriptedAgent("basic_qa", in -> {
            throw new AgentFailedException("no checks left");
        }));
        ObjectNode state = results(done);
        assertThatThrownBy(() -> runtime().handle(task("editor", "editor", state)));
        ObjectNode error = JSON.createObjectNode().put("Error", "AgentFailedException").put("Cause", "style guide unreachable");

        assertThatThrownBy(() -> runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "editor", "basic_qa", "editor",
                Map.of(), state, error))).isInstanceOf(AgentFailedException.class);

        // one line about the step, saying what happened: not "editor was replaced by basic_qa"
        assertThat(campaigns.get("camp-1").orElseThrow().limitations()).singleElement().asString()
                .isEqualTo("editor: editor was not replaced: its fallback basic_qa failed too (AgentFailedException: no"
                        + " checks left) and the optional step was skipped");
        assertThat(health.degradationEvents("camp-1")).extracting(DegradationEvent::replacedBy)
                .containsExactlyInAnyOrder("basic_qa", DegradationEvent.SKIPPED);
        // both about the editor, the step's own agent: a client grouping by agent sees one degraded agent
        assertThat(health.degradationEvents("camp-1")).extracting(DegradationEvent::agent).containsOnly("editor");
    }

    @Test
    void aRequiredStepsFallbackThatFailsToo_leavesTheStepNotReplaced_inItsLatestEvent() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        agents.put("basic_research", new ScriptedAgent("basic_research", in -> {
            throw new AgentFailedException("no sources either");
        }));
        ObjectNode state = results(Map.of("planner", planner));
        ObjectNode error = JSON.createObjectNode().put("Error", "AgentFailedException").put("Cause", "search down");

        assertThatThrownBy(() -> runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "researcher", "basic_research",
                "researcher", Map.of(), state, error))).isInstanceOf(AgentFailedException.class);

        assertThat(health.degradationEvents("camp-1")).extracting(DegradationEvent::replacedBy)
                .containsExactly("basic_research", DegradationEvent.NOT_REPLACED);
        assertThat(health.degradationEvents("camp-1")).last().satisfies(e -> {
            assertThat(e.agent()).isEqualTo("researcher");
            assertThat(e.reason()).isEqualTo("basic_research failed too: AgentFailedException: no sources either");
        });
        assertThat(campaigns.get("camp-1").orElseThrow().limitations()).singleElement().asString()
                .isEqualTo("researcher: researcher was not replaced: its fallback basic_research failed too"
                        + " (AgentFailedException: no sources either)");
    }

    /** The campaign's plan: planner, then researcher_a and researcher_b side by side, then the writer. */
    private void usePlanWithTwoResearchBranches(boolean branchesRequired) {
        ObjectNode plan = JSON.createObjectNode().put("step_count", 4);
        var steps = plan.putArray("steps");
        steps.addObject().put("step_id", "planner").put("agent", "planner").put("required", true);
        for (String branch : List.of("researcher_a", "researcher_b")) {
            steps.addObject().put("step_id", branch).put("agent", "researcher").put("required", branchesRequired)
                    .put("parallel_group", "research").putArray("depends_on").add("planner");
        }
        steps.addObject().put("step_id", "writer").put("agent", "writer").put("required", true)
                .putArray("depends_on").add("researcher_a").add("researcher_b");
        campaigns.update("camp-1", c -> c.withPlanSummary(plan));
    }

    @Test
    void aBranchOfAParallelPhase_countsTheStepsBeforeThePhaseAndItsOwn_alsoWhenSeededWithItsSiblings() {
        usePlanWithTwoResearchBranches(true);
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        done.put("planner", runtime().handle(task("planner", "planner", null)));
        done.put("researcher_b", runtime().handle(task("researcher_b", "researcher", results(done))));

        // a resume into the phase hands researcher_a its sibling's result too: planner and its own, 2 of 4
        AgentResult a = runtime().handle(task("researcher_a", "researcher", results(done)));

        assertThat(checkpoints.read(a.checkpointId()).stateData().currentProgress()).isEqualTo(50);
        assertThat(checkpoints.read(done.get("researcher_b").checkpointId()).stateData().currentProgress()).isEqualTo(50);
        assertThat(published).last().satisfies(m -> assertThat(m.progress()).isEqualTo(50));
        // after the phase, every branch counts
        done.put("researcher_a", a);
        AgentResult writer = runtime().handle(task("writer", "writer", results(done)));
        assertThat(checkpoints.read(writer.checkpointId()).stateData().currentProgress()).isEqualTo(100);
    }

    @Test
    void aBranchsCheckpoint_offersOnlyWhatAResumeAcceptsOnceItsSiblingsEnded_notASkipOfAStillRunningSibling() {
        usePlanWithTwoResearchBranches(false);
        Map<String, AgentResult> done = new java.util.LinkedHashMap<>();
        done.put("planner", runtime().handle(task("planner", "planner", null)));

        // researcher_b is still running when researcher_a checkpoints; a resume (after the execution ended) takes
        // researcher_b's output, and a skip would then be of the required writer
        AgentResult a = runtime().handle(task("researcher_a", "researcher", results(done)));

        assertThat(checkpoints.read(a.checkpointId()).availableActions()).containsExactly("continue", "retry");

        // a failed branch can still be skipped: it is the step its checkpoint is about
        agents.put("researcher", new ScriptedAgent("researcher", in -> {
            throw new AgentFailedException("no sources");
        }));
        assertThatThrownBy(() -> runtime().handle(task("researcher_b", "researcher", results(done))));
        Checkpoint failed = checkpoints.read(checkpoints.list(WF).getLast().checkpointId());
        assertThat(failed.availableActions()).containsExactly("continue", "retry", "skip");
    }

    @Test
    void checkpointStoreFailingOnRead_countsAgainstItsCircuit_asAFailedWriteDoes() {
        AgentResult planner = runtime().handle(task("planner", "planner", null));
        ForwardingBlobStore down = new ForwardingBlobStore(new InMemoryBlobStore()) {
            @Override
            public java.util.Optional<Blob> get(String key) {
                throw new java.io.UncheckedIOException("cannot read blob " + key, new java.io.IOException("I/O error"));
            }

            @Override
            public List<String> list(String prefix) {
                throw new java.io.UncheckedIOException("cannot list " + prefix, new java.io.IOException("I/O error"));
            }
        };
        AgentRuntime runtime = new AgentRuntime(Map.copyOf(agents), new CheckpointManager(down, clock,
                CheckpointPolicy.DEFAULT), campaigns, health, performance, FaultInjector.none(), published::add,
                progressLog, clock);

        for (int i = 1; i <= 5; i++) {
            assertThatThrownBy(() -> runtime.handle(task("researcher", "researcher", results(Map.of("planner", planner)))))
                    .isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(health.get(AgentRuntime.CHECKPOINT_STORE).failureCount()).isEqualTo(i);
        }
        assertThat(health.isAvailable(AgentRuntime.CHECKPOINT_STORE)).as("open: campaigns are refused up front").isFalse();
        assertThat(health.get("researcher").failureCount()).as("the agent never ran").isZero();
    }

    @Test
    void aMissingCheckpoint_isNoFailureOfTheStore() {
        ObjectNode gone = JSON.createObjectNode();
        gone.set("planner", JSON.createObjectNode().put("checkpoint_id", WF + "/checkpoint_009"));

        assertThatThrownBy(() -> runtime().handle(task("researcher", "researcher", gone)))
                .isInstanceOf(com.campaignflow.functions.checkpoints.CheckpointNotFoundException.class);

        assertThat(health.get(AgentRuntime.CHECKPOINT_STORE).failureCount()).isZero();
    }

    @Test
    void fallbackAfterATimeout_recordsThePrimaryFailureItNeverRecorded() {
        ObjectNode timeout = JSON.createObjectNode().put("Error", "States.Timeout").put("Cause", "");

        runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "editor", "basic_qa", "editor", Map.of(), null, timeout));

        assertThat(health.get("editor").failureCount()).isEqualTo(1);
        assertThat(health.get("editor").healthStatus()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void fallbackAfterAStoreOutage_recordsTheDegradation_butNoFailureOfThePrimaryAgent() {
        ObjectNode storeDown = JSON.createObjectNode()
                .put("Error", "com.campaignflow.functions.ports.StoreUnavailableException")
                .put("Cause", "{\"errorMessage\":\"S3 PutObject failed: connection refused\"}");

        runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "editor", "basic_qa", "editor", Map.of(), null, storeDown));

        assertThat(health.get("editor").failureCount()).as("the editor did its work; storing it failed").isZero();
        assertThat(health.degradationEvents("camp-1")).singleElement()
                .satisfies(e -> assertThat(e.replacedBy()).isEqualTo("basic_qa"));
    }

    @Test
    void plannedReplacement_recordsTheDegradation_butNoFailureOfThePrimaryItNeverCalled() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("researcher", "down");
        }
        var before = health.get("researcher");

        runtime().handle(new AgentTask(WF, "camp-1", "exec-1", "researcher", "basic_research", "researcher", Map.of(),
                null, null));

        assertThat(health.get("researcher").failureCount()).isEqualTo(before.failureCount());
        assertThat(health.get("researcher").recoveryTime()).isEqualTo(before.recoveryTime());
        assertThat(health.degradationEvents("camp-1")).singleElement().satisfies(e -> {
            assertThat(e.replacedBy()).isEqualTo("basic_research");
            assertThat(e.reason()).isEqualTo("researcher was unavailable when the campaign was planned");
        });
    }

    @Test
    void injectedFault_failsTheRunAsAnAgentFailure() {
        FaultInjector faults = new FaultInjector(FaultSpecParser.parse("writer:once"), new InMemoryDocumentTable(),
                d -> { }, new Random(1), clock);

        assertThatThrownBy(() -> runtime(faults).handle(task("writer", "writer", null)))
                .isInstanceOf(InjectedFaultException.class);
        assertThat(agents.get("writer").runs.get()).isZero();
        assertThat(checkpoints.list(WF)).extracting(CheckpointEntry::type).containsExactly(CheckpointType.ERROR_RECOVERY);

        AgentResult retried = runtime(faults).handle(task("writer", "writer", null));
        assertThat(retried.status()).isEqualTo("completed");
    }

    @Test
    void openCircuit_failsFastWithoutRunningTheAgent() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("seo", "down");
        }

        assertThatThrownBy(() -> runtime().handle(task("seo", "seo", null)))
                .isInstanceOf(CircuitOpenException.class).hasMessageContaining("circuit of seo is open");
        assertThat(agents.get("seo").runs.get()).isZero();
        assertThat(health.get("seo").failureCount()).isEqualTo(5);
        // recorded as any failed step is: a checkpoint to retry it from, the failed run, the progress message
        assertThat(checkpoints.list(WF)).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(CheckpointType.ERROR_RECOVERY);
            assertThat(c.agentName()).isEqualTo("seo");
        });
        assertThat(performance.forCampaign("camp-1")).singleElement()
                .satisfies(p -> assertThat(p.successStatus()).isFalse());
        assertThat(published).singleElement().satisfies(m -> assertThat(m.currentAgent()).isEqualTo("seo"));
    }

    /** seo's circuit opened by five failures and past its recovery time, its probe claimed by another step. */
    private void halfOpenWithAProbeInFlight() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("seo", "down");
        }
        clock.advance(Duration.ofHours(1));
        assertThat(health.isAvailable("seo")).as("another step claims the probe").isTrue();
    }

    private AgentRuntime runtime(Sleeper sleeper) {
        return new AgentRuntime(Map.copyOf(agents), checkpoints, campaigns, health, performance, FaultInjector.none(),
                published::add, progressLog, clock, sleeper);
    }

    @Test
    void halfOpenCircuitProbedByAnotherStep_waitsForThatProbe_andRunsOnceItClosedTheCircuit() {
        halfOpenWithAProbeInFlight();
        List<Duration> waits = new ArrayList<>();

        AgentResult result = runtime(d -> {
            waits.add(d);
            health.recordSuccess("seo"); // the probing step's run succeeds meanwhile
        }).handle(task("seo", "seo", null));

        assertThat(result.status()).isEqualTo("completed");
        assertThat(agents.get("seo").runs.get()).isEqualTo(1);
        assertThat(waits).hasSize(1);
    }

    @Test
    void halfOpenCircuitProbedByAnotherStep_whoseProbeFails_failsWithoutRunningTheAgent() {
        halfOpenWithAProbeInFlight();

        assertThatThrownBy(() -> runtime(d -> health.recordFailure("seo", "still down")).handle(task("seo", "seo", null)))
                .isInstanceOf(CircuitOpenException.class).hasMessageContaining("circuit of seo is open until");
        assertThat(agents.get("seo").runs.get()).isZero();
    }

    @Test
    void halfOpenCircuitWhoseProbeOutlastsTheWait_failsNamingTheProbe_afterABoundedWait() {
        halfOpenWithAProbeInFlight();
        List<Duration> waits = new ArrayList<>();

        assertThatThrownBy(() -> runtime(waits::add).handle(task("seo", "seo", null)))
                .isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("circuit of seo is half-open and another step's run is probing it");
        assertThat(waits.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(AgentRuntime.PROBE_WAIT.toMillis());
        assertThat(agents.get("seo").runs.get()).isZero();
    }

    private void seoIsOptionalWithoutFallback() {
        ObjectNode plan = Fixtures.planSummary(5).deepCopy();
        plan.withArray("steps").forEach(step -> {
            if (step.path("step_id").asText().equals("seo")) {
                ((ObjectNode) step).put("required", false);
            }
        });
        campaigns.update("camp-1", c -> c.withPlanSummary(plan));
    }

    @Test
    void anOptionalStepWithNoFallback_whoseCircuitIsOpen_isReportedAsSkipped() {
        seoIsOptionalWithoutFallback();
        for (int i = 0; i < 5; i++) {
            health.recordFailure("seo", "down");
        }

        assertThatThrownBy(() -> runtime().handle(task("seo", "seo", null))).isInstanceOf(CircuitOpenException.class);

        assertThat(health.degradationEvents("camp-1")).singleElement().satisfies(e -> {
            assertThat(e.stepId()).isEqualTo("seo");
            assertThat(e.replacedBy()).isEqualTo(DegradationEvent.SKIPPED);
        });
        assertThat(campaigns.get("camp-1").orElseThrow().limitations()).singleElement().asString()
                .startsWith("seo: seo failed and the optional step was skipped (CircuitOpenException: circuit of seo is open");
    }

    @Test
    void anAgentStillRunningAsItsFunctionsTimeRunsOut_failsBeforeTheKill_andTheSkipIsRecorded() {
        seoIsOptionalWithoutFallback();
        java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
        agents.put("seo", new ScriptedAgent("seo", in -> {
            try {
                Thread.sleep(Duration.ofMinutes(5)); // a hung agent
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }));
        long start = System.nanoTime();

        // 800 ms left: the agent gets 600 ms, the rest is kept for recording its failure
        assertThatThrownBy(() -> runtime().handle(task("seo", "seo", null), Duration.ofMillis(800)))
                .isInstanceOf(AgentTimeoutException.class)
                .hasMessage("seo did not finish step seo in time: stopped 0.2 s before its function's timeout (0.8 s"
                        + " left when the step began) so that its failure is recorded");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(800));
        assertThat(interrupted.getCount()).as("the agent is interrupted").isZero();
        assertThat(health.get("seo").failureCount()).isEqualTo(1);
        assertThat(performance.forCampaign("camp-1")).singleElement().satisfies(p -> assertThat(p.successStatus()).isFalse());
        assertThat(checkpoints.list(WF)).singleElement().satisfies(c -> assertThat(c.type()).isEqualTo(CheckpointType.ERROR_RECOVERY));
        assertThat(health.degradationEvents("camp-1")).singleElement()
                .satisfies(e -> assertThat(e.replacedBy()).isEqualTo(DegradationEvent.SKIPPED));
        assertThat(campaigns.get("camp-1").orElseThrow().limitations()).singleElement().asString()
                .startsWith("seo: seo failed and the optional step was skipped (AgentTimeoutException: seo did not finish");
    }

    @Test
    void anAgentWithinItsTime_runsAsWithoutALimit_andItsOwnFailureKeepsItsType() {
        AgentResult planner = runtime().handle(task("planner", "planner", null), Duration.ofSeconds(60));
        assertThat(planner.status()).isEqualTo("completed");

        agents.put("researcher", new ScriptedAgent("researcher", in -> {
            throw new IllegalStateException("no sources");
        }));
        assertThatThrownBy(() -> runtime().handle(task("researcher", "researcher", results(Map.of("planner", planner))),
                Duration.ofSeconds(60))).isInstanceOf(IllegalStateException.class).hasMessage("no sources");
    }

    @Test
    void anAgentRunWithATimeLimit_seesItsFunctionsEnvironment() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        agents.put("planner", new ScriptedAgent("planner", in -> {
            seen.set(com.campaignflow.functions.config.FunctionEnvironment.get("MODEL_ENDPOINT").orElse("unset"));
            return ScriptedAgent.ok("planner").run(in);
        }));

        com.campaignflow.functions.config.FunctionEnvironment.runWith(Map.of("MODEL_ENDPOINT", "http://model.local"),
                () -> runtime().handle(task("planner", "planner", null), Duration.ofSeconds(60)));

        assertThat(seen.get()).isEqualTo("http://model.local");
    }

    @Test
    void theTimeKeptForRecording_isAQuarterOfAShortLimit_atMostThreeSeconds() {
        assertThat(AgentRuntime.reserveFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(3));
        assertThat(AgentRuntime.reserveFor(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
        assertThat(AgentRuntime.reserveFor(Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void tenMegabyteOutput_staysInTheCheckpointAndTheResultStaysTiny() throws Exception {
        String big = "word ".repeat(2 * 1024 * 1024);
        agents.put("writer", new ScriptedAgent("writer", in -> new AgentOutput(
                JSON.createObjectNode().put("draft", big), 0.7, big)));

        AgentResult result = runtime().handle(task("writer", "writer", null));

        assertThat(Json.MAPPER.writeValueAsBytes(result).length).isLessThan(1024);
        assertThat(result.summary()).hasSizeLessThanOrEqualTo(200);
        assertThat(checkpoints.read(result.checkpointId()).stateData().intermediateData().path("writer").path("draft").asText())
                .hasSize(big.length());
    }

    @Test
    void publisherFailure_doesNotFailTheStep() {
        AgentRuntime runtime = new AgentRuntime(Map.copyOf(agents), checkpoints, campaigns, health, performance,
                FaultInjector.none(), m -> {
                    throw new IllegalStateException("socket gone");
                }, progressLog, clock);

        assertThat(runtime.handle(task("planner", "planner", null)).status()).isEqualTo("completed");
    }

    @Test
    void invalidEvents_areRefusedWithAClearMessage() {
        AgentRuntime runtime = runtime();
        assertThatThrownBy(() -> runtime.handle(new AgentTask("../wf", "camp-1", "exec-1", "planner", "planner", null, null, null, null)))
                .isInstanceOf(InvalidAgentTaskException.class).hasMessageContaining("workflow id");
        assertThatThrownBy(() -> runtime.handle(new AgentTask(WF, "camp/1", "exec-1", "planner", "planner", null, null, null, null)))
                .isInstanceOf(InvalidAgentTaskException.class).hasMessageContaining("campaign id");
        assertThatThrownBy(() -> runtime.handle(new AgentTask(WF, "camp-1", "exec 1", "planner", "planner", null, null, null, null)))
                .hasMessageContaining("execution_id");
        assertThatThrownBy(() -> runtime.handle(new AgentTask(WF, "camp-1", "exec-1", "Planner!", "planner", null, null, null, null)))
                .hasMessageContaining("step_id");
        assertThatThrownBy(() -> runtime.handle(new AgentTask(WF, "camp-1", "exec-1", "poet", "poet", null, null, null, null)))
                .hasMessageContaining("agent must be an agent wire name");
        assertThatThrownBy(() -> runtime.handle(new AgentTask(WF, "camp-1", "exec-1", "planner", "distribution", null, null, null, null)))
                .hasMessageContaining("not deployed");
        ObjectNode hostile = JSON.createObjectNode();
        hostile.putObject("planner").put("checkpoint_id", "wf-camp-1/../../etc/passwd");
        assertThatThrownBy(() -> runtime.handle(task("writer", "writer", hostile))).hasMessageContaining("'..'");
        assertThat(agents.get("writer").runs.get()).isZero();
    }
}
