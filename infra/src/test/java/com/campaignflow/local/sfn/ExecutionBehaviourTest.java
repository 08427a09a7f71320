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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        CountDownLatch never = new CountDownLatch(1);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(F + "block", event -> {
            started.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted");
            }
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
}
