package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResumePlannerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String WAIT_THEN_PASS = """
            {"StartAt":"Before","States":{
              "Before":{"Type":"Pass","Result":1,"ResultPath":"$.before","Next":"Nap"},
              "Nap":{"Type":"Wait","Seconds":100,"Next":"After"},
              "After":{"Type":"Pass","Result":2,"ResultPath":"$.after","End":true}}}""";

    /** Runs to the end, recording events; returns them. */
    private static List<HistoryEvent> record(StateMachineDefinition d, VirtualClock clock) {
        List<HistoryEvent> events = new ArrayList<>();
        ExecutionRunner.run(d, MAPPER.createObjectNode(), ExecutionOptions.builder().name("e").clock(clock)
                .listener(events::add).build());
        return events;
    }

    private static List<HistoryEvent> upTo(List<HistoryEvent> events, HistoryEventType last) {
        List<HistoryEvent> out = new ArrayList<>();
        for (HistoryEvent e : events) {
            out.add(e);
            if (e.type() == last) {
                return out;
            }
        }
        throw new AssertionError("no " + last);
    }

    @Test
    void crash_insideAWaitResumesWithTheTimeThatRemained() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(WAIT_THEN_PASS);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<HistoryEvent> journaled = upTo(record(d, new VirtualClock(start)), HistoryEventType.WaitStateEntered);
        Instant restart = start.plusSeconds(60);
        VirtualClock clock = new VirtualClock(restart);

        ResumePlan plan = ResumePlanner.plan(d, journaled, ResumePlanner.Mode.CRASH, restart);
        List<HistoryEvent> after = new ArrayList<>();
        ExecutionResult result = ExecutionRunner.resume(d, MAPPER.createObjectNode(), ExecutionOptions.builder()
                .name("e").clock(clock).listener(after::add).build(), plan).result().get(5, TimeUnit.SECONDS);

        assertThat(result.output().toString()).isEqualTo("{\"before\":1,\"after\":2}");
        assertThat(Duration.between(restart, clock.now())).as("40 s remained of the 100 s Wait")
                .isEqualTo(Duration.ofSeconds(40));
        assertThat(after).extracting(HistoryEvent::type).containsExactly(HistoryEventType.WaitStateExited,
                HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited,
                HistoryEventType.ExecutionSucceeded);
        assertThat(after.get(0).id()).isEqualTo(journaled.get(journaled.size() - 1).id() + 1);
    }

    @Test
    void crash_afterATaskResultWasJournaledUsesItWithoutInvokingAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register("count", event -> {
            calls.incrementAndGet();
            return MAPPER.createObjectNode().put("n", calls.get());
        });
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Count","States":{"Count":{"Type":"Task",
                  "Resource":"arn:aws:lambda:us-east-1:000000000000:function:count","ResultPath":"$.count","End":true}}}""");
        List<HistoryEvent> all = new ArrayList<>();
        ExecutionRunner.run(d, MAPPER.createObjectNode(), ExecutionOptions.builder().name("e").clock(new VirtualClock())
                .invoker(invoker).listener(all::add).build());
        List<HistoryEvent> journaled = upTo(all, HistoryEventType.LambdaFunctionSucceeded);

        ResumePlan plan = ResumePlanner.plan(d, journaled, ResumePlanner.Mode.CRASH, Instant.now());
        ExecutionResult result = ExecutionRunner.resume(d, MAPPER.createObjectNode(), ExecutionOptions.builder()
                .name("e").clock(new VirtualClock()).invoker(invoker).build(), plan).result().get(5, TimeUnit.SECONDS);

        assertThat(calls.get()).as("the journaled result is reused, the task is not invoked again").isEqualTo(1);
        assertThat(result.output().toString()).isEqualTo("{\"count\":{\"n\":1}}");
    }

    @Test
    void crash_afterAStateExitedContinuesAtItsNextStateWithItsOutput() {
        StateMachineDefinition d = StateMachineDefinition.parse(WAIT_THEN_PASS);
        List<HistoryEvent> journaled = upTo(record(d, new VirtualClock()), HistoryEventType.PassStateExited);

        ResumePlan plan = ResumePlanner.plan(d, journaled, ResumePlanner.Mode.CRASH, Instant.now());

        assertThat(plan.branches()).containsOnlyKeys("");
        ResumePlan.At at = (ResumePlan.At) plan.branches().get("");
        assertThat(at.state()).isEqualTo("Nap");
        assertThat(at.input().toString()).isEqualTo("{\"before\":1}");
        assertThat(at.reenter()).isTrue();
    }

    @Test
    void redrive_ofAParallelPlansOnlyTheUnsuccessfulBranches() throws Exception {
        String hold = "arn:aws:lambda:us-east-1:123456789012:function:hold";
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","Result":"fine","End":true}}},
                  {"StartAt":"Hold","States":{
                    "Hold":{"Type":"Task","Resource":"%s","ResultPath":null,"Next":"Boom"},
                    "Boom":{"Type":"Fail","Error":"Agent.Down"}}}]}}}""".formatted(hold));
        // The second branch fails only once the first has ended, however the branches are scheduled (a failing
        // branch stops the others: without this, a loaded machine could stop the first before it ended)
        java.util.concurrent.CountDownLatch okEnded = new java.util.concurrent.CountDownLatch(1);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker();
        invoker.register(hold, event -> {
            try {
                okEnded.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return event;
        });
        List<HistoryEvent> history = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionRunner.run(d, MAPPER.createObjectNode(), ExecutionOptions.builder().name("e").clock(new VirtualClock())
                .invoker(invoker).listener(e -> {
                    history.add(e);
                    if (e.type() == HistoryEventType.PassStateExited && "Ok".equals(e.details().path("stateExitedEventDetails").path("name").asText())) {
                        okEnded.countDown();
                    }
                }).build());
        history.sort(java.util.Comparator.comparingLong(HistoryEvent::id));

        ResumePlan plan = ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now());

        assertThat(plan.branches()).containsOnlyKeys("", "Fan/0/", "Fan/1/");
        assertThat(plan.branches().get("Fan/0/")).isInstanceOf(ResumePlan.Completed.class);
        assertThat(((ResumePlan.Completed) plan.branches().get("Fan/0/")).output().asText()).isEqualTo("fine");
        ResumePlan.At failed = (ResumePlan.At) plan.branches().get("Fan/1/");
        assertThat(failed.state()).isEqualTo("Boom");
        assertThat(failed.reenter()).isTrue();
        assertThat(((ResumePlan.At) plan.branches().get("")).state()).isEqualTo("Fan");
    }

    // ---------------------------------------------------------------- redrives, and crashes during them

    private static final String FLAKY = "arn:aws:lambda:us-east-1:000000000000:function:flaky";

    /** A Parallel whose first branch succeeds and whose second calls {@link #FLAKY}. */
    private static final String FAN = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","Result":"fine","End":true}}},
              {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s","End":true}}}]}}}""".formatted(FLAKY);

    /** A function failing its first {@code failures} calls, then answering {"call": n}; counts its calls. */
    private static InMemoryLambdaInvoker flaky(AtomicInteger calls, int failures) {
        return new InMemoryLambdaInvoker().register(FLAKY, event -> {
            int n = calls.incrementAndGet();
            if (n <= failures) {
                throw new IllegalStateException("down " + n);
            }
            return MAPPER.createObjectNode().put("call", n);
        });
    }

    /** Runs (or resumes with {@code plan}) to the end, appending its events to {@code history}, in id order. */
    private static ExecutionResult runInto(StateMachineDefinition d, JsonNodeInput input, InMemoryLambdaInvoker invoker,
            ResumePlan plan, List<HistoryEvent> history) throws Exception {
        List<HistoryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutionOptions options = ExecutionOptions.builder().name("e").clock(new VirtualClock()).invoker(invoker)
                .listener(events::add).build();
        ExecutionResult result = plan == null ? ExecutionRunner.run(d, input.json(), options)
                : ExecutionRunner.resume(d, input.json(), options, plan).result().get(5, TimeUnit.SECONDS);
        List<HistoryEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(HistoryEvent::id));
        history.addAll(sorted);
        return result;
    }

    private record JsonNodeInput(com.fasterxml.jackson.databind.JsonNode json) {
        static JsonNodeInput empty() {
            return new JsonNodeInput(MAPPER.createObjectNode());
        }
    }

    /** The ExecutionRedriven event the service journals before it runs the redrive. */
    private static void redriven(List<HistoryEvent> history) {
        long last = history.getLast().id();
        com.fasterxml.jackson.databind.node.ObjectNode details = MAPPER.createObjectNode();
        details.putObject("executionRedrivenEventDetails").put("redriveCount", 1);
        history.add(new HistoryEvent(last + 1, last, Instant.now(), HistoryEventType.ExecutionRedriven, "", 0, details));
    }

    private static List<String> entered(List<HistoryEvent> events, int from) {
        return events.subList(from, events.size()).stream().filter(e -> e.type().name().endsWith("StateEntered"))
                .map(e -> e.branch() + e.details().elements().next().path("name").asText()).toList();
    }

    @Test
    void aSecondRedrive_ofAParallel_stillRunsOnlyTheBranchThatFailed() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(FAN);
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = flaky(calls, 2);
        List<HistoryEvent> history = new ArrayList<>();
        assertThat(runInto(d, JsonNodeInput.empty(), invoker, null, history).error())
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(entered(history, 0)).contains("Fan/0/Ok");

        redriven(history);
        int firstRedrive = history.size();
        assertThat(runInto(d, JsonNodeInput.empty(), invoker,
                ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()), history).error())
                .as("fails again").isEqualTo(IllegalStateException.class.getName());
        assertThat(entered(history, firstRedrive)).containsExactly("Fan", "Fan/1/Call");

        redriven(history);
        int secondRedrive = history.size();
        ExecutionResult result = runInto(d, JsonNodeInput.empty(), invoker,
                ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()), history);

        assertThat(entered(history, secondRedrive)).as("the branch that succeeded before the first redrive is kept")
                .containsExactly("Fan", "Fan/1/Call");
        assertThat(result.output().toString()).isEqualTo("[\"fine\",{\"call\":3}]");
    }

    @Test
    void aCrash_rightAfterARedriveWasJournaled_runsTheRedrive_notTheOldFailureAgain() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s","End":true,
                  "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}]}}}""".formatted(FLAKY));
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = flaky(calls, 2);
        List<HistoryEvent> history = new ArrayList<>();
        assertThat(runInto(d, JsonNodeInput.empty(), invoker, null, history).error()).isNotNull();
        assertThat(calls.get()).as("the call and its retry").isEqualTo(2);
        redriven(history); // ... and the engine stopped before the redriven state's first event reached the disk

        int restart = history.size();
        ExecutionResult result = runInto(d, JsonNodeInput.empty(), invoker,
                ResumePlanner.plan(d, history, ResumePlanner.Mode.CRASH, Instant.now()), history);

        assertThat(result.error()).isNull();
        assertThat(calls.get()).as("the redrive calls the task again").isEqualTo(3);
        assertThat(result.output().toString()).isEqualTo("{\"call\":3}");
        assertThat(entered(history, restart)).as("entered again, as the redrive does").containsExactly("Call");
    }

    @Test
    void aCrash_duringARedrivenParallel_keepsTheBranchesThatSucceededBeforeTheRedrive() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(FAN);
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = flaky(calls, 1);
        List<HistoryEvent> history = new ArrayList<>();
        runInto(d, JsonNodeInput.empty(), invoker, null, history);
        redriven(history);
        List<HistoryEvent> redrive = new ArrayList<>();
        runInto(d, JsonNodeInput.empty(), invoker, ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE,
                Instant.now()), redrive);
        // killed while the redriven branch's call was in flight: its TaskStarted/LambdaFunctionStarted is written
        history.addAll(upTo(redrive, HistoryEventType.LambdaFunctionStarted));

        ResumePlan plan = ResumePlanner.plan(d, history, ResumePlanner.Mode.CRASH, Instant.now());

        assertThat(plan.branches().get("Fan/0/")).isInstanceOf(ResumePlan.Completed.class);
        int restart = history.size();
        ExecutionResult result = runInto(d, JsonNodeInput.empty(), invoker, plan, history);
        assertThat(entered(history, restart)).as("nothing entered again: the call continues quietly").isEmpty();
        assertThat(result.output().toString()).isEqualTo("[\"fine\",{\"call\":3}]");
    }

    @Test
    void aCrash_duringARedrivenMap_runsTheFailedIterationTheRedriveHadNotReached() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,"End":true,
                  "ItemProcessor":{"StartAt":"Call","States":{
                    "Call":{"Type":"Task","Resource":"%s","End":true}}}}}}""".formatted(FLAKY));
        AtomicInteger calls = new AtomicInteger();
        // items 0 and 1: the first call fails (item 0); the redrive's call for it fails too, then all succeed
        InMemoryLambdaInvoker invoker = flaky(calls, 2);
        JsonNodeInput items = new JsonNodeInput(MAPPER.valueToTree(List.of(0, 1)));
        List<HistoryEvent> history = new ArrayList<>();
        assertThat(runInto(d, items, invoker, null, history).error()).isNotNull();
        redriven(history);
        // the redrive entered the Map again and was stopped before the failed iteration's events reached the disk
        List<HistoryEvent> redrive = new ArrayList<>();
        runInto(d, items, invoker, ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()), redrive);
        history.addAll(upTo(redrive, HistoryEventType.MapStateStarted));

        ResumePlan plan = ResumePlanner.plan(d, history, ResumePlanner.Mode.CRASH, Instant.now());

        assertThat(plan.branches().get("Each/0/")).as("not the failure from before the redrive")
                .isInstanceOf(ResumePlan.At.class);
        int restart = history.size();
        ExecutionResult result = runInto(d, items, invoker, plan, history);
        assertThat(result.error()).isNull();
        assertThat(history.subList(restart, history.size())).filteredOn(e -> e.type() == HistoryEventType.MapIterationStarted)
                .extracting(HistoryEvent::branch).as("the redrive starts the iteration again, as it would have")
                .contains("Each/0/");
    }

    @Test
    void aSecondRedrive_ofAParallelInsideAMapIteration_stillRunsOnlyTheBranchThatFailed() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
                  "ItemProcessor":{"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                    {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","Result":"fine","End":true}}},
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s","End":true}}}]}}}}}}"""
                .formatted(FLAKY));
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = flaky(calls, 2);
        JsonNodeInput items = new JsonNodeInput(MAPPER.valueToTree(List.of(0)));
        List<HistoryEvent> history = new ArrayList<>();
        assertThat(runInto(d, items, invoker, null, history).error()).isNotNull();
        redriven(history);
        assertThat(runInto(d, items, invoker, ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()),
                history).error()).as("fails again").isNotNull();
        redriven(history);
        int second = history.size();

        ExecutionResult result = runInto(d, items, invoker,
                ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()), history);

        assertThat(entered(history, second)).containsExactly("Each", "Each/0/Fan", "Each/0/Fan/1/Call");
        assertThat(result.output().toString()).isEqualTo("[[\"fine\",{\"call\":3}]]");
    }

    @Test
    void aCrash_rightAfterTheRedriveStartedAMapIterationAgain_runsItsFailedState_notTheOldFailure() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
                  "ItemProcessor":{"StartAt":"Call","States":{
                    "Call":{"Type":"Task","Resource":"%s","End":true}}}}}}""".formatted(FLAKY));
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = flaky(calls, 1);
        JsonNodeInput items = new JsonNodeInput(MAPPER.valueToTree(List.of(0)));
        List<HistoryEvent> history = new ArrayList<>();
        assertThat(runInto(d, items, invoker, null, history).error()).isNotNull();
        redriven(history);
        List<HistoryEvent> redrive = new ArrayList<>();
        runInto(d, items, new InMemoryLambdaInvoker().register(FLAKY, e -> MAPPER.createObjectNode()),
                ResumePlanner.plan(d, history, ResumePlanner.Mode.REDRIVE, Instant.now()), redrive);
        // stopped right after the redrive started the iteration again
        history.addAll(upTo(redrive, HistoryEventType.MapIterationStarted));
        int restart = history.size();

        ExecutionResult result = runInto(d, items, invoker,
                ResumePlanner.plan(d, history, ResumePlanner.Mode.CRASH, Instant.now()), history);

        assertThat(result.error()).isNull();
        assertThat(calls.get()).as("the task is called again").isEqualTo(2);
        List<HistoryEvent> after = history.subList(restart, history.size());
        assertThat(entered(history, restart)).containsExactly("Each/0/Call");
        assertThat(after).filteredOn(e -> e.type() == HistoryEventType.MapIterationStarted).as("journaled already")
                .isEmpty();
    }
}
