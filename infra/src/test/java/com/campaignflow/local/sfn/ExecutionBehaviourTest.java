package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Engine behaviour beyond input → output: history, abort, concurrency, resume, retry timing. */
class ExecutionBehaviourTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String F = TestFunctions.PREFIX;

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<HistoryEvent> events = new CopyOnWriteArrayList<>();

    private ExecutionOptions.Builder options() {
        return ExecutionOptions.builder().name("exec").stateMachineName("Behaviour").accountId("123456789012")
                .clock(clock).invoker(TestFunctions.create(clock)).listener(events::add);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aDefinitionAcceptedBeforeStricterChecks_stillRuns_withAwsSemantics() {
        // an earlier version accepted an Inline Map's failure thresholds (and text after the JSON): its machines and
        // their journaled executions must still run, the Map failing at its first failed iteration as on AWS
        String stored = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ToleratedFailureCount":5,"End":true,
                  "ItemProcessor":{"StartAt":"Check","States":{
                    "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
                    "Bad":{"Type":"Fail","Error":"Item.Bad"},
                    "Ok":{"Type":"Pass","End":true}}}}}} trailing""";
        assertThatThrownBy(() -> StateMachineDefinition.parse(stored)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> StateMachineDefinition.parse(stored.replace(" trailing", "")))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("ToleratedFailureCount");

        ExecutionResult result = ExecutionRunner.run(StateMachineDefinition.parseAcceptedBefore(stored),
                json("[1,2,3]"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Item.Bad");
        assertThatThrownBy(() -> StateMachineDefinition.parseAcceptedBefore("{\"StartAt\":\"Nowhere\",\"States\":{}}"))
                .as("what cannot run is still refused").isInstanceOf(InvalidDefinitionException.class);
    }

    @Test
    void history_namesEventsAsAwsAndChainsIds() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{
                  "P":{"Type":"Pass","Next":"T"},
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                       "Parameters":{"FunctionName":"%secho","Payload.$":"$"},"OutputPath":"$.Payload","Next":"L"},
                  "L":{"Type":"Task","Resource":"%secho","End":true}}}""".formatted(F, F));

        ExecutionResult result = ExecutionRunner.run(definition, json("{\"a\":1}"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(events).extracting(HistoryEvent::type).containsExactly(
                HistoryEventType.ExecutionStarted,
                HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited,
                HistoryEventType.TaskStateEntered, HistoryEventType.TaskScheduled, HistoryEventType.TaskStarted,
                HistoryEventType.TaskSucceeded, HistoryEventType.TaskStateExited,
                HistoryEventType.TaskStateEntered, HistoryEventType.LambdaFunctionScheduled,
                HistoryEventType.LambdaFunctionStarted, HistoryEventType.LambdaFunctionSucceeded,
                HistoryEventType.TaskStateExited,
                HistoryEventType.ExecutionSucceeded);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(i + 1);
            assertThat(events.get(i).previousEventId()).isEqualTo(i);
        }
        JsonNode entered = events.get(3).toJson();
        assertThat(entered.get("type").asText()).isEqualTo("TaskStateEntered");
        assertThat(entered.at("/stateEnteredEventDetails/name").asText()).isEqualTo("T");
        assertThat(entered.at("/stateEnteredEventDetails/input").asText()).isEqualTo("{\"a\":1}");
        assertThat(events.get(4).details().at("/taskScheduledEventDetails/resource").asText()).isEqualTo("invoke");
    }

    @Test
    void history_failedTaskRetriedShowsEachAttemptWithRetryCount() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sflaky",
                  "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],"End":true}}}""".formatted(F));

        ExecutionRunner.run(definition, json("{}"), options().build());

        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.LambdaFunctionFailed)
                .extracting(HistoryEvent::retryCount).containsExactly(0, 1);
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.LambdaFunctionSucceeded)
                .extracting(HistoryEvent::retryCount).containsExactly(2);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.ExecutionSucceeded);
    }

    @Test
    void history_mapIterationsCarryTheirBranchPath() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
                  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""");

        ExecutionRunner.run(definition, json("[10,20]"), options().build());

        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.MapIterationStarted)
                .extracting(HistoryEvent::branch).containsExactlyInAnyOrder("M/0/", "M/1/");
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.PassStateEntered)
                .extracting(HistoryEvent::branch).containsExactlyInAnyOrder("M/0/", "M/1/");
        assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.MapStateStarted,
                HistoryEventType.MapStateSucceeded, HistoryEventType.MapStateExited);
    }

    @Test
    void stop_abortsAnExecutionWaitingOnTheWallClock() throws Exception {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}""");
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutionOptions opts = ExecutionOptions.builder().clock(EngineClock.system()).listener(e -> {
            if (e.type() == HistoryEventType.WaitStateEntered) {
                waiting.countDown();
            }
            events.add(e);
        }).build();

        Execution execution = ExecutionRunner.start(definition, json("{}"), opts);
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        execution.stop("Operator", "stopped by test");
        ExecutionResult result = execution.result().get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(ExecutionResult.ended(ExecutionStatus.ABORTED, "Operator", "stopped by test"));
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.ExecutionAborted);
    }

    @Test
    void stop_abortsAnExecutionInsideARunningFunction() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "block", event -> {
            started.countDown();
            blockUntilInterrupted();
            return event;
        });
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sblock",
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Succeed"}}}""".formatted(F));

        Execution execution = ExecutionRunner.start(definition, json("{}"),
                ExecutionOptions.builder().invoker(invoker).build());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        execution.stop(null, null);

        assertThat(execution.result().get(5, TimeUnit.SECONDS).status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    @Test
    void map_runsAtMostMaxConcurrencyIterationsAtOnce() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CyclicBarrier pairs = new CyclicBarrier(2);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "pair", event -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                pairs.await(5, TimeUnit.SECONDS); // only completes if two run together
            } catch (Exception e) {
                throw new IllegalStateException("no partner: " + e);
            } finally {
                active.decrementAndGet();
            }
            return event;
        });
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
                  "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%spair","End":true}}},
                  "End":true}}}""".formatted(F));

        ExecutionResult result = ExecutionRunner.run(definition, json("[1,2,3,4,5,6]"),
                ExecutionOptions.builder().invoker(invoker).build());

        assertThat(result).isEqualTo(ExecutionResult.succeeded(json("[1,2,3,4,5,6]")));
        assertThat(maxActive.get()).isEqualTo(2);
    }

    @Test
    void parallel_failingBranchStopsItsSiblings() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"Fail","States":{"Fail":{"Type":"Fail","Error":"Boom"}}},
                  {"StartAt":"Loop","States":{
                    "Loop":{"Type":"Wait","Seconds":1,"Next":"Again"},
                    "Again":{"Type":"Pass","Next":"Loop"}}}]}}}""");

        ExecutionResult result = ExecutionRunner.run(definition, json("{}"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Boom");
        assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.ParallelStateFailed);
    }

    @Test
    void startAt_resumesAtAGivenStateWithAGivenInput() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"A","States":{
                  "A":{"Type":"Fail","Error":"NeverHere"},
                  "B":{"Type":"Pass","Result":"resumed","ResultPath":"$.b","End":true}}}""".replace(
                "\"A\":{\"Type\":\"Fail\",\"Error\":\"NeverHere\"}",
                "\"A\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.go\",\"IsPresent\":true,\"Next\":\"B\"}]}"));

        ExecutionResult result = ExecutionRunner.run(definition, json("{\"x\":1}"),
                options().startAt("B").redrive(1, Instant.parse("2026-01-01T00:00:00Z")).build());

        assertThat(result).isEqualTo(ExecutionResult.succeeded(json("{\"x\":1,\"b\":\"resumed\"}")));
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.ChoiceStateEntered).isEmpty();
    }

    @Test
    void retry_jitterFullWaitsNoLongerThanTheBackoff() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sflaky","Retry":[{"ErrorEquals":["States.ALL"],
                  "IntervalSeconds":100,"BackoffRate":1.0,"MaxAttempts":2,"JitterStrategy":"FULL"}],"End":true}}}"""
                .formatted(F));

        ExecutionResult result = ExecutionRunner.run(definition, json("{}"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(clock.now()).isBefore(Instant.parse("2026-01-01T00:03:20.001Z"));
    }

    @Test
    void retryDelay_followsIntervalBackoffAndCap() {
        StateNode.Retrier retrier = new StateNode.Retrier(List.of("X"), 2, 5, 3.0, 30, false);

        assertThat(Executor.retryDelay(retrier, 0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Executor.retryDelay(retrier, 1)).isEqualTo(Duration.ofSeconds(6));
        assertThat(Executor.retryDelay(retrier, 2)).isEqualTo(Duration.ofSeconds(18));
        assertThat(Executor.retryDelay(retrier, 3)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryCounters_livePerStateVisit() {
        // Loop visits T twice; each visit fails twice then succeeds — only possible if counters reset per visit.
        AtomicInteger calls = new AtomicInteger();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "twiceBad", event -> {
            if (calls.incrementAndGet() % 3 != 0) {
                throw new IllegalStateException("bad");
            }
            return JsonNodeFactory.instance.numberNode(event.path("i").asInt() + 1);
        });
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"%stwiceBad","ResultPath":"$.i",
                       "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"Next":"C"},
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":2,"Next":"T"}],"Default":"D"},
                  "D":{"Type":"Succeed"}}}""".formatted(F));

        ExecutionResult result = ExecutionRunner.run(definition, json("{\"i\":0}"),
                options().invoker(invoker).build());

        assertThat(result).isEqualTo(ExecutionResult.succeeded(json("{\"i\":2}")));
        assertThat(calls.get()).isEqualTo(6);
    }

    @Test
    void parse_rejectsInvalidDefinitionListingEveryProblem() {
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Pass","End":true}}}"""))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("State \"A\": \"Next\" refers to unknown state \"Nowhere\""))
                        .anySatisfy(p -> assertThat(p).contains("State \"B\": is not reachable")));
        assertThatThrownBy(() -> DefinitionValidator.validate("{")).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("not valid JSON");
        assertThat(DefinitionValidator.problems("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}")).isEmpty();
    }

    @Test
    void parse_refusesCallbackTasksVariablesAndDistributedMaps_whichThisEngineDoesNotRun() {
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}"""))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("State \"T\"").hasMessageContaining(".waitForTaskToken");
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x":1},"End":true}}}"""))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("\"Assign\"");
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
                  "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                  "StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}"""))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("DISTRIBUTED");
    }

    @Test
    void executionTimeout_endsTimedOutWithEvent() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"TimeoutSeconds":10,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sslow","Next":"W"},
                  "W":{"Type":"Wait","Seconds":5,"End":true}}}""".formatted(F));

        ExecutionResult result = ExecutionRunner.run(definition, json("{\"seconds\":8}"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.ExecutionTimedOut);
        assertThat(clock.now()).isBefore(Instant.parse("2026-01-01T00:00:11Z"));
    }

    @Test
    void mocks_invocationIndexContinuesFromEarlierRuns() {
        com.campaignflow.local.sfn.mock.MockConfig.TestCase mocks = com.campaignflow.local.sfn.mock.MockConfig.parse("""
                {"StateMachines":{"Behaviour":{"TestCases":{"Redrive":{"T":"FailThenOk"}}}},
                 "MockedResponses":{"FailThenOk":{"0":{"Throw":{"Error":"Broken","Cause":"first run"}},
                                                  "1":{"Return":{"second":"run"}}}}}""")
                .testCase("Behaviour", "Redrive");
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sx","End":true}}}""".formatted(F));

        ExecutionResult first = ExecutionRunner.run(definition, json("{}"), options().mocks(mocks).build());
        ExecutionResult redriven = ExecutionRunner.run(definition, json("{}"),
                options().mocks(mocks).mockInvocationsSoFar(java.util.Map.of("T", 1)).startAt("T").build());

        assertThat(first).isEqualTo(ExecutionResult.ended(ExecutionStatus.FAILED, "Broken", "first run"));
        assertThat(redriven).isEqualTo(ExecutionResult.succeeded(json("{\"second\":\"run\"}")));
    }

    @Test
    void parallel_failingBranchInterruptsASiblingWaitingOnTheWallClock() {
        // Map input: one item, so the nested Map also has a sleeping iteration to interrupt.
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":3600,"End":true}}},
                  {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"W",
                    "States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}}}},
                  {"StartAt":"Fail","States":{"Fail":{"Type":"Fail","Error":"Boom"}}}]}}}""");

        ExecutionResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ExecutionRunner.run(definition, json("[1]"), ExecutionOptions.builder().build()));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Boom");
    }

    @Test
    void parallel_branchesThatAnswerAtOnceRunOnTheCallingThread() {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "where", event -> {
            ran.add(Thread.currentThread());
            return event;
        });
        StateMachineDefinition definition = threeBranches("where");
        ExecutionOptions opts = options().invoker(invoker).build();

        // Hand-off is by elapsed time: a cold JVM or a busy machine may hand a run's branches to
        // other threads, so look for runs that stayed on the calling thread, not at one run.
        int onCaller = 0;
        for (int run = 0; run < 200; run++) {
            ran.clear();
            ExecutionResult result = ExecutionRunner.run(definition, json("{\"a\":1}"), opts);
            assertThat(result).isEqualTo(ExecutionResult.succeeded(json("[{\"a\":1},{\"a\":1},{\"a\":1}]")));
            if (ran.equals(Set.of(Thread.currentThread()))) {
                onCaller++;
            }
        }

        assertThat(onCaller).as("runs whose three branches all ran on the calling thread").isPositive();
    }

    @Test
    void parallel_branchesThatBlockStillRunTogether() {
        CyclicBarrier all = new CyclicBarrier(3);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "together", event -> {
            ran.add(Thread.currentThread());
            try {
                all.await(5, TimeUnit.SECONDS); // only passes when the three branches run at once
            } catch (Exception e) {
                throw new IllegalStateException("the branches did not run together: " + e);
            }
            return event;
        });

        ExecutionResult result = ExecutionRunner.run(threeBranches("together"), json("{\"a\":1}"),
                options().invoker(invoker).build());

        assertThat(result).isEqualTo(ExecutionResult.succeeded(json("[{\"a\":1},{\"a\":1},{\"a\":1}]")));
        assertThat(ran).hasSize(3);
    }

    @Test
    void parallel_failingBranchOnTheCallingThreadStopsSiblingsRunningElsewhere() {
        // The first branch runs on the calling thread and fails once both siblings (handed to other
        // threads because it takes time) are waiting a day on the wall clock.
        CountDownLatch siblingsWaiting = new CountDownLatch(2);
        AtomicReference<Thread> failedOn = new AtomicReference<>();
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "failLater", event -> {
            failedOn.set(Thread.currentThread());
            try {
                siblingsWaiting.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException("late failure");
        });
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"F","States":{"F":{"Type":"Task","Resource":"%sfailLater","End":true}}},
                  {"StartAt":"W1","States":{"W1":{"Type":"Wait","Seconds":86400,"End":true}}},
                  {"StartAt":"W2","States":{"W2":{"Type":"Wait","Seconds":86400,"End":true}}}]}}}""".formatted(F));
        ExecutionOptions opts = ExecutionOptions.builder().clock(EngineClock.system()).invoker(invoker)
                .listener(e -> {
                    events.add(e);
                    if (e.type() == HistoryEventType.WaitStateEntered) {
                        siblingsWaiting.countDown();
                    }
                }).build();

        AtomicReference<Thread> caller = new AtomicReference<>();
        ExecutionResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> {
                    caller.set(Thread.currentThread());
                    return ExecutionRunner.run(definition, json("{}"), opts);
                });

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(siblingsWaiting.getCount()).isZero();
        assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.ParallelStateFailed)
                .doesNotContain(HistoryEventType.WaitStateExited);
        assertThat(failedOn.get()).isSameAs(caller.get());
    }

    @Test
    void stop_abortsAParallelWhoseBranchBlocksTheCallingThread() throws Exception {
        CountDownLatch blocked = new CountDownLatch(2);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "block", event -> {
            blocked.countDown();
            blockUntilInterrupted();
            return event;
        });
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"Branches":[
                  {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sblock","End":true}}},
                  {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}]},
                  "Caught":{"Type":"Succeed"}}}""".formatted(F));
        ExecutionOptions opts = ExecutionOptions.builder().clock(EngineClock.system()).invoker(invoker)
                .listener(e -> {
                    events.add(e);
                    if (e.type() == HistoryEventType.WaitStateEntered) {
                        blocked.countDown();
                    }
                }).build();

        Execution execution = ExecutionRunner.start(definition, json("{}"), opts);
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        execution.stop("Operator", "stopped mid-Parallel");
        ExecutionResult result = execution.result().get(5, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(ExecutionResult.ended(ExecutionStatus.ABORTED, "Operator", "stopped mid-Parallel"));
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.ExecutionAborted);
        assertThat(events).extracting(HistoryEvent::type).doesNotContain(HistoryEventType.SucceedStateEntered);
    }

    @Test
    void executionTimeout_endsAParallelWhoseBranchesRunOnTheCallingThread() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"TimeoutSeconds":10,"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","End":true}}},
                  {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":4,"Next":"Again"},
                    "Again":{"Type":"Pass","Next":"W"}}}]}}}""");

        ExecutionResult result = ExecutionRunner.run(definition, json("{}"), options().build());

        assertThat(result.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.ExecutionTimedOut);
        assertThat(clock.now()).isBefore(Instant.parse("2026-01-01T00:00:11Z"));
    }

    @Test
    void parallel_interruptOfTheCallingThreadFailsTheExecution() throws Exception {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}},
                  {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","End":true}}}]}}}""");
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutionOptions opts = ExecutionOptions.builder().clock(EngineClock.system()).listener(e -> {
            if (e.type() == HistoryEventType.WaitStateEntered) {
                waiting.countDown();
            }
        }).build();
        AtomicReference<ExecutionResult> result = new AtomicReference<>();

        Thread caller = Thread.ofPlatform().start(() -> result.set(ExecutionRunner.run(definition, json("{}"), opts)));
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(5_000);

        assertThat(result.get()).isEqualTo(ExecutionResult.ended(ExecutionStatus.FAILED, StatesError.RUNTIME.code(),
                "The execution thread was interrupted"));
    }

    @Test
    void map_failingIterationReportsTheOnesThatNeverStartedAsAborted() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
                  "ItemProcessor":{"StartAt":"C","States":{
                    "C":{"Type":"Choice","Choices":[{"Variable":"$","StringEquals":"bad","Next":"Bad"}],"Default":"Ok"},
                    "Bad":{"Type":"Fail","Error":"BadItem"},
                    "Ok":{"Type":"Pass","End":true}}}}}}""");

        ExecutionResult result = ExecutionRunner.run(definition, json("[\"bad\",\"ok\",\"ok\"]"),
                options().build());

        assertThat(result.error()).isEqualTo("BadItem");
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.MapIterationStarted)
                .extracting(HistoryEvent::branch).containsExactly("M/0/");
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.MapIterationAborted)
                .extracting(HistoryEvent::branch).containsExactly("M/1/", "M/2/");
        assertThat(events).extracting(HistoryEvent::type).containsSubsequence(HistoryEventType.MapIterationFailed,
                HistoryEventType.MapIterationAborted, HistoryEventType.MapStateFailed);
    }

    private static StateMachineDefinition threeBranches(String function) {
        StringBuilder branches = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            branches.append(i == 0 ? "" : ",").append("""
                    {"StartAt":"T%d","States":{"T%d":{"Type":"Task","Resource":"%s%s","End":true}}}"""
                    .formatted(i, i, F, function));
        }
        return StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[%s]}}}""".formatted(branches));
    }

    /** A function that never answers by itself: it fails once its thread is interrupted (stop, timeout). */
    private static void blockUntilInterrupted() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted");
        }
    }
}
