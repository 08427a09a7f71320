package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash may leave the history cut after any event: a SIGKILL keeps every event written, a
 * power cut may drop the events that were not fsync'd yet (those that only announce work in
 * flight). Whatever the cut, the resumed execution must end as the uninterrupted one did and
 * the history must read as one: each state entered and exited once, no completed work run again.
 */
class CrashResumeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:";

    /** Task with Retry, Choice, Parallel with a Wait, Map whose failed iteration is caught. */
    private static final String REPRESENTATIVE = """
            {"StartAt":"Prep","States":{
              "Prep":{"Type":"Pass","Result":[1,2,3],"ResultPath":"$.items","Next":"Flaky"},
              "Flaky":{"Type":"Task","Resource":"%1$sflaky","ResultPath":"$.flaky","Next":"Route",
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":2,"MaxAttempts":2}]},
              "Route":{"Type":"Choice","Choices":[{"Variable":"$.flaky.ok","BooleanEquals":true,"Next":"Fan"}],
                "Default":"Bad"},
              "Bad":{"Type":"Fail","Error":"Route.Bad"},
              "Fan":{"Type":"Parallel","ResultPath":"$.fan","Next":"Each","Branches":[
                {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":5,"Next":"Echo"},
                                           "Echo":{"Type":"Task","Resource":"%1$secho","End":true}}},
                {"StartAt":"Const","States":{"Const":{"Type":"Pass","Result":"c","End":true}}}]},
              "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","MaxConcurrency":1,
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.eachFailed","Next":"Done"}],
                "Next":"Done","ItemProcessor":{"StartAt":"Item","States":{
                  "Item":{"Type":"Task","Resource":"%1$sitem","End":true}}}},
              "Done":{"Type":"Succeed"}}}""".formatted(FN);

    /**
     * Failures handled: a Parallel and a Map retried after a failure inside, a Task failure caught. One
     * branch and one iteration at a time, so which siblings a failure cancels does not vary.
     */
    private static final String RETRIED = """
            {"StartAt":"Prep","States":{
              "Prep":{"Type":"Pass","Result":{"items":[1,2,3],"two":2},"Next":"Fan"},
              "Fan":{"Type":"Parallel","ResultPath":"$.fan","Next":"Each",
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}],"Branches":[
                {"StartAt":"Flaky","States":{"Flaky":{"Type":"Task","Resource":"%1$sflaky","End":true}}}]},
              "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","MaxConcurrency":1,"Next":"Try",
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}],
                "ItemProcessor":{"StartAt":"Once","States":{"Once":{"Type":"Task","Resource":"%1$sonce","End":true}}}},
              "Try":{"Type":"Task","Resource":"%1$sitem","InputPath":"$.two","ResultPath":"$.tried","Next":"Done",
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.caught","Next":"Done"}]},
              "Done":{"Type":"Succeed"}}}""".formatted(FN);

    private static final Map<String, String> DEFINITIONS = Map.of("representative", REPRESENTATIVE,
            "retried", RETRIED);

    /** Thrown by the item function for item 2: no stack trace, so its Lambda error JSON is the same every time. */
    static final class ItemDown extends RuntimeException {
        ItemDown(String message) {
            super(message, null, false, false);
        }
    }

    /** The functions of one execution: calls counted per function and payload, flaky fails its first call. */
    private static final class Functions {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker()
                .register(FN + "flaky", event -> {
                    if (count("flaky") == 1) {
                        throw new ItemDown("flaky is warming up");
                    }
                    return MAPPER.createObjectNode().put("ok", true);
                })
                .register(FN + "echo", event -> {
                    count("echo");
                    return MAPPER.createObjectNode().put("echoed", event.path("items").size());
                })
                .register(FN + "once", event -> {
                    if (count("once:" + event.asInt()) == 1 && event.asInt() == 2) {
                        throw new ItemDown("item 2 fails once");
                    }
                    return MAPPER.getNodeFactory().numberNode(event.asInt() * 100);
                })
                .register(FN + "item", event -> {
                    count("item:" + event.asInt());
                    if (event.asInt() == 2) {
                        throw new ItemDown("item 2 is bad");
                    }
                    return MAPPER.getNodeFactory().numberNode(event.asInt() * 10);
                });

        int count(String key) {
            return calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

        int calls(String key) {
            AtomicInteger n = calls.get(key);
            return n == null ? 0 : n.get();
        }
    }

    private record Run(List<HistoryEvent> events, ExecutionResult result) {
    }

    private static Run runToTheEnd(StateMachineDefinition d, Functions functions) {
        List<HistoryEvent> events = new ArrayList<>();
        ExecutionResult result = ExecutionRunner.run(d, MAPPER.createObjectNode(), ExecutionOptions.builder().name("e")
                .clock(new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"))).invoker(functions.invoker)
                .listener(e -> {
                    synchronized (events) {
                        events.add(e);
                    }
                }).build());
        // Branches on other threads may deliver events out of id order; the journal numbers them in
        // the order it receives them, as LocalStepFunctions does.
        List<HistoryEvent> journal = new ArrayList<>();
        for (HistoryEvent e : events) {
            journal.add(new HistoryEvent(journal.size() + 1, e.previousEventId(), e.timestamp(), e.type(), e.branch(),
                    e.retryCount(), e.details(), e.failure()));
        }
        return new Run(journal, result);
    }

    /** Resumes after a crash that kept only {@code journaled}; returns the events of the resumed run. */
    private static Run resume(StateMachineDefinition d, List<HistoryEvent> journaled, Functions functions)
            throws Exception {
        Instant restart = journaled.get(journaled.size() - 1).timestamp().plusSeconds(1);
        ResumePlan plan = ResumePlanner.plan(d, journaled, ResumePlanner.Mode.CRASH, restart);
        List<HistoryEvent> after = new ArrayList<>();
        ExecutionResult result = ExecutionRunner.resume(d, MAPPER.createObjectNode(), ExecutionOptions.builder()
                .name("e").clock(new VirtualClock(restart)).invoker(functions.invoker)
                .listener(e -> {
                    synchronized (after) {
                        after.add(e);
                    }
                }).build(), plan).result().get(10, TimeUnit.SECONDS);
        return new Run(after, result);
    }

    /** The runs without a crash; in their own class so that they run after this class is initialised (their threads use it). */
    private static final class Uninterrupted {
        static final Run RUN = runToTheEnd(StateMachineDefinition.parse(REPRESENTATIVE), new Functions());
        static final Map<String, Run> RUNS = Map.of("representative", RUN,
                "retried", runToTheEnd(StateMachineDefinition.parse(RETRIED), new Functions()));
    }

    /** Every prefix of each history that does not end the execution. */
    static Stream<Arguments> cuts() {
        return DEFINITIONS.keySet().stream().sorted().flatMap(name -> IntStream
                .range(1, Uninterrupted.RUNS.get(name).events.size()).mapToObj(kept -> Arguments.of(name, kept)));
    }

    @ParameterizedTest(name = "{0} history cut after event {1}")
    @MethodSource("cuts")
    void crash_afterAnyEventResumesToTheSameResultWithOneContinuousHistory(String name, int kept) throws Exception {
        Run full = Uninterrupted.RUNS.get(name);
        assertThat(full.result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        StateMachineDefinition d = StateMachineDefinition.parse(DEFINITIONS.get(name));
        List<HistoryEvent> journaled = full.events.subList(0, kept);
        String cut = name + " cut after " + journaled.get(kept - 1).type() + " of branch \""
                + journaled.get(kept - 1).branch() + "\"";
        Functions after = worldAfter(journaled);

        Run resumed = resume(d, journaled, after);

        assertThat(resumed.result.status()).as(cut).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(resumed.result.output()).as(cut).isEqualTo(full.result.output());
        List<HistoryEvent> history = new ArrayList<>(journaled);
        history.addAll(resumed.events);
        assertThat(history).extracting(HistoryEvent::id).as(cut + ": ids continue without a gap or a repeat")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
        // Every event but the task attempts in flight at the crash appears as often as without a crash.
        Set<HistoryEventType> attempt = Set.of(HistoryEventType.LambdaFunctionScheduled,
                HistoryEventType.LambdaFunctionStarted);
        assertThat(census(history, attempt)).as(cut).isEqualTo(census(full.events, attempt));
        // No completed work ran again: a task that exited, or a Map iteration of the Map attempt under way
        // that ended, is not invoked again (a Map attempt that began after the crash runs every iteration).
        int attemptStart = 0;
        for (int i = 0; i < journaled.size(); i++) {
            if (journaled.get(i).type() == HistoryEventType.MapStateStarted) {
                attemptStart = i;
            }
        }
        boolean newMapAttempt = resumed.events.stream().anyMatch(e -> e.type() == HistoryEventType.MapStateStarted);
        for (int i = 0; i < journaled.size(); i++) {
            HistoryEvent e = journaled.get(i);
            String state = e.details().path(e.details().fieldNames().hasNext() ? e.details().fieldNames().next() : "")
                    .path("name").asText();
            boolean inMapAttempt = !e.branch().startsWith("Each/") || i > attemptStart && !newMapAttempt;
            boolean iterationEnded = (e.type() == HistoryEventType.MapIterationSucceeded
                    || e.type() == HistoryEventType.MapIterationFailed) && inMapAttempt;
            if (e.type() == HistoryEventType.TaskStateExited && inMapAttempt || iterationEnded) {
                assertThat(resumed.events).as(cut + ": " + e.type() + " " + state + " in " + e.branch())
                        .noneMatch(r -> r.type() == HistoryEventType.LambdaFunctionScheduled
                                && r.branch().startsWith(e.branch())
                                && (iterationEnded || r.branch().equals(e.branch())
                                        && r.details().at("/lambdaFunctionScheduledEventDetails/resource").asText()
                                                .equals(FN + state.toLowerCase())));
            }
        }
        if (name.equals("representative")
                && journaled.stream().anyMatch(e -> e.type() == HistoryEventType.MapIterationFailed)) {
            assertThat(after.calls("item:2")).as(cut + ": the failed iteration does not run again")
                    .isZero();
        }
    }

    /** The functions after a restart: those that fail only once failed already if the journal says so. */
    private static Functions worldAfter(List<HistoryEvent> journaled) {
        Functions after = new Functions();
        Map<String, HistoryEvent> scheduled = new HashMap<>();
        for (HistoryEvent e : journaled) {
            if (e.type() == HistoryEventType.LambdaFunctionScheduled) {
                scheduled.put(e.branch(), e);
            } else if (e.type() == HistoryEventType.LambdaFunctionFailed) {
                JsonNode d = scheduled.get(e.branch()).details().get("lambdaFunctionScheduledEventDetails");
                String function = d.get("resource").asText().substring(FN.length());
                if (function.equals("flaky")) {
                    after.count("flaky");
                } else if (function.equals("once")) {
                    after.count("once:" + d.get("input").asText());
                }
            }
        }
        return after;
    }

    /** How often each (type, branch, state name or index) occurs, leaving out some types. */
    private static Map<String, Integer> census(List<HistoryEvent> events, Set<HistoryEventType> leaveOut) {
        Map<String, Integer> counts = new HashMap<>();
        for (HistoryEvent e : events) {
            if (leaveOut.contains(e.type())) {
                continue;
            }
            JsonNode details = e.details().elements().hasNext() ? e.details().elements().next() : MAPPER.nullNode();
            counts.merge(e.type() + " " + e.branch() + " " + details.path("name").asText(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void crash_rightAfterAChoiceExitedRecordsNeitherItsEntryNorItsExitAgain() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(REPRESENTATIVE);
        Functions functions = new Functions();
        List<HistoryEvent> original = runToTheEnd(d, functions).events;
        int exited = indexOf(original, HistoryEventType.ChoiceStateExited);

        Run resumed = resume(d, original.subList(0, exited + 1), functions);

        assertThat(resumed.result.output()).isEqualTo(Uninterrupted.RUN.result.output());
        assertThat(resumed.events).extracting(HistoryEvent::type)
                .doesNotContain(HistoryEventType.ChoiceStateEntered, HistoryEventType.ChoiceStateExited)
                .startsWith(HistoryEventType.ParallelStateEntered);
    }

    @Test
    void crash_betweenAChoiceEnteredAndExitedRecordsItsExitOnce() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(REPRESENTATIVE);
        Functions functions = new Functions();
        List<HistoryEvent> original = runToTheEnd(d, functions).events;
        int entered = indexOf(original, HistoryEventType.ChoiceStateEntered);

        Run resumed = resume(d, original.subList(0, entered + 1), functions);

        assertThat(resumed.events).extracting(HistoryEvent::type)
                .startsWith(HistoryEventType.ChoiceStateExited, HistoryEventType.ParallelStateEntered)
                .containsOnlyOnce(HistoryEventType.ChoiceStateExited).doesNotContain(HistoryEventType.ChoiceStateEntered);
    }

    @Test
    void crash_afterAnIterationFailedDoesNotRunItAgain_andTheMapFailsWithIt() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(REPRESENTATIVE);
        Functions functions = new Functions();
        List<HistoryEvent> original = runToTheEnd(d, functions).events;
        int failed = indexOf(original, HistoryEventType.MapIterationFailed);
        assertThat(functions.calls("item:2")).isEqualTo(1);

        Run resumed = resume(d, original.subList(0, failed + 1), functions);

        assertThat(functions.calls("item:2")).as("the iteration ended (failed) before the crash").isEqualTo(1);
        assertThat(resumed.result.output()).isEqualTo(Uninterrupted.RUN.result.output());
        assertThat(resumed.result.output().at("/eachFailed/Error").asText()).isEqualTo(ItemDown.class.getName());
        assertThat(functions.calls("item:3")).as("never started: the Map failed with item 2").isZero();
        assertThat(resumed.events).noneMatch(e -> e.branch().equals(original.get(failed).branch()));
    }

    @Test
    void crash_afterATaskFailureWasJournaledRetriesItWithoutRunningTheFailedAttemptAgain() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse(REPRESENTATIVE);
        List<HistoryEvent> original = runToTheEnd(d, new Functions()).events;
        int failed = indexOf(original, HistoryEventType.LambdaFunctionFailed);
        Functions after = new Functions();
        after.count("flaky"); // its first call failed before the crash

        Run resumed = resume(d, original.subList(0, failed + 1), after);

        assertThat(after.calls("flaky")).as("only the retry is invoked").isEqualTo(2);
        HistoryEvent retry = resumed.events.get(0);
        assertThat(retry.type()).isEqualTo(HistoryEventType.LambdaFunctionScheduled);
        assertThat(retry.retryCount()).as("the failed attempt counts: this is the first retry").isEqualTo(1);
        assertThat(resumed.result.output()).isEqualTo(Uninterrupted.RUN.result.output());
    }

    @Test
    void crash_afterACaughtTaskFailureWasJournaledGoesToTheCatchTarget() throws Exception {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Try","States":{
                  "Try":{"Type":"Task","Resource":"%1$sflaky","Next":"Done",
                    "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Done"}]},
                  "Done":{"Type":"Pass","End":true}}}""".formatted(FN));
        List<HistoryEvent> original = runToTheEnd(d, new Functions()).events;
        int failed = indexOf(original, HistoryEventType.LambdaFunctionFailed);
        Functions after = new Functions();
        after.count("flaky");

        Run resumed = resume(d, original.subList(0, failed + 1), after);

        assertThat(after.calls("flaky")).as("not invoked again").isEqualTo(1);
        assertThat(resumed.result.output().at("/error/Error").asText()).isEqualTo(ItemDown.class.getName());
        assertThat(resumed.events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.PassStateEntered,
                HistoryEventType.PassStateExited, HistoryEventType.ExecutionSucceeded);
    }

    @Test
    void redrive_runsTheFailedIterationOfAMapAgain_andTheOnesItsFailureStopped_notTheOnesThatSucceeded() {
        StateMachineDefinition d = StateMachineDefinition.parse("""
                {"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":1,"End":true,
                  "ItemProcessor":{"StartAt":"Check","States":{
                    "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
                    "Bad":{"Type":"Fail","Error":"Item.Bad"},
                    "Ok":{"Type":"Pass","End":true}}}}}}""");
        List<HistoryEvent> events = new ArrayList<>();
        ExecutionResult result = ExecutionRunner.run(d, MAPPER.valueToTree(List.of(1, 2, 3)),
                ExecutionOptions.builder().name("e").clock(new VirtualClock()).listener(events::add).build());
        assertThat(result.error()).as("an Inline Map fails with its first failed iteration").isEqualTo("Item.Bad");
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.MapIterationAborted).singleElement()
                .satisfies(e -> assertThat(e.branch()).isEqualTo("Each/2/"));

        ResumePlan plan = ResumePlanner.plan(d, events, ResumePlanner.Mode.REDRIVE, Instant.now());

        assertThat(plan.branches().get("Each/0/")).isInstanceOf(ResumePlan.Completed.class);
        assertThat(plan.branches().get("Each/1/")).as("failed: runs again").isInstanceOf(ResumePlan.At.class);
        assertThat(plan.branches()).as("never started: runs from its start").doesNotContainKey("Each/2/");
    }

    private static int indexOf(List<HistoryEvent> events, HistoryEventType type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }
}
