package com.campaignflow.local.sfn.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.local.sfn.VirtualClock;
import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStepFunctionsTest {

    private static final String F = "arn:aws:lambda:us-east-1:123456789012:function:";
    private static final String ROLE = "arn:aws:iam::123456789012:role/sfn";

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Functions whose name is in here fail. */
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
    private LocalStepFunctions service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** As {@link #functions()}, with b blocking (until the service closes) while {@code block} is set. */
    private InMemoryLambdaInvoker functionsWithBBlocking(CountDownLatch inB, AtomicBoolean block) {
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "b", event -> {
            calls.computeIfAbsent("b", k -> new AtomicInteger()).incrementAndGet();
            if (block.get()) {
                inB.countDown();
                blockUntilInterrupted(); // until the service closes
            }
            return event;
        });
        return invoker;
    }

    private InMemoryLambdaInvoker functions() {
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker();
        for (String name : List.of("a", "b", "c", "item")) {
            invoker.register(F + name, event -> {
                calls.computeIfAbsent(name + ":" + event.path("n").asText(""), k -> new AtomicInteger())
                        .incrementAndGet();
                calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                if (failing.containsKey(name) || failing.containsKey(name + ":" + event.path("n").asText(""))) {
                    throw new IllegalStateException(name + " is down");
                }
                return event;
            });
        }
        return invoker;
    }

    private LocalStepFunctions open(InMemoryLambdaInvoker invoker, MockConfig mocks) {
        return new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock).withInvoker(invoker)
                .withMocks(mocks));
    }

    private int calls(String key) {
        AtomicInteger n = calls.get(key);
        return n == null ? 0 : n.get();
    }

    private ExecutionView run(String machineArn, String name, String input) throws Exception {
        ExecutionView started = service.startExecution(machineArn, name, input);
        service.completion(started.executionArn()).get(10, TimeUnit.SECONDS);
        return service.describeExecution(started.executionArn());
    }

    private ExecutionView redrive(String executionArn) throws Exception {
        service.redriveExecution(executionArn, null);
        service.completion(executionArn).get(10, TimeUnit.SECONDS);
        return service.describeExecution(executionArn);
    }

    private static final String SEQUENCE = """
            {"StartAt":"A","States":{
              "A":{"Type":"Task","Resource":"%sa","Next":"B"},
              "B":{"Type":"Task","Resource":"%sb","Next":"C"},
              "C":{"Type":"Task","Resource":"%sc","End":true}}}""".formatted(F, F, F);

    @Test
    void redrive_restartsAtTheFailedStateWithoutRerunningSucceededOnes() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        failing.put("b", true);

        ExecutionView failed = run(machine, "run-1", "{\"n\":\"1\"}");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.redriveStatus()).isEqualTo("REDRIVABLE");
        failing.clear();

        ExecutionView redriven = redrive(failed.executionArn());

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(redriven.output()).isEqualTo("{\"n\":\"1\"}");
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(redriven.redriveDate()).isNotNull();
        assertThat(redriven.redriveStatus()).isEqualTo("NOT_REDRIVABLE");
        assertThat(redriven.redriveStatusReason()).contains("SUCCEEDED");
        assertThat(calls("a")).isEqualTo(1);
        assertThat(calls("b")).isEqualTo(2);
        assertThat(calls("c")).isEqualTo(1);
        List<HistoryEvent> history = service.history(failed.executionArn());
        assertThat(history).extracting(HistoryEvent::type).containsSubsequence(
                HistoryEventType.ExecutionFailed, HistoryEventType.ExecutionRedriven,
                HistoryEventType.TaskStateEntered, HistoryEventType.LambdaFunctionScheduled,
                HistoryEventType.ExecutionSucceeded);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.ExecutionStarted).hasSize(1);
        HistoryEvent redrivenEvent = history.stream()
                .filter(e -> e.type() == HistoryEventType.ExecutionRedriven).findFirst().orElseThrow();
        assertThat(redrivenEvent.details().at("/executionRedrivenEventDetails/redriveCount").asInt()).isEqualTo(1);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).id()).isEqualTo(i + 1);
        }
    }

    @Test
    void redrive_ofParallelRerunsOnlyTheFailedBranch() throws Exception {
        service = open(functions(), null);
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"%sa","End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"%sb","Next":"C"},
                                            "C":{"Type":"Task","Resource":"%sc","End":true}}}]}}}"""
                .formatted(F, F, F);
        String machine = service.createStateMachine("fan", definition, ROLE, null).arn();
        failing.put("c", true);

        ExecutionView failed = run(machine, "p1", "{\"n\":\"x\"}");
        assertThat(failed.status()).isEqualTo("FAILED");
        failing.clear();
        ExecutionView redriven = redrive(failed.executionArn());

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(redriven.output()).isEqualTo("[{\"n\":\"x\"},{\"n\":\"x\"}]");
        assertThat(calls("a")).as("the succeeded branch").isEqualTo(1);
        assertThat(calls("b")).as("the succeeded state of the failed branch").isEqualTo(1);
        assertThat(calls("c")).as("the failed state").isEqualTo(2);
    }

    @Test
    void redrive_ofMapRerunsOnlyTheFailedIterations() throws Exception {
        service = open(functions(), null);
        String definition = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
                  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"%sitem","End":true}}}}}}"""
                .formatted(F);
        String machine = service.createStateMachine("each", definition, ROLE, null).arn();
        failing.put("item:2", true);

        ExecutionView failed = run(machine, "m1", "{\"items\":[{\"n\":\"0\"},{\"n\":\"1\"},{\"n\":\"2\"},{\"n\":\"3\"}]}");
        assertThat(failed.status()).isEqualTo("FAILED");
        List<HistoryEvent> firstRun = service.history(failed.executionArn());
        List<String> succeededFirst = firstRun.stream()
                .filter(e -> e.type() == HistoryEventType.MapIterationSucceeded).map(HistoryEvent::branch).toList();
        Map<String, Integer> before = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            before.put("Each/" + i + "/", calls("item:" + i));
        }
        failing.clear();

        ExecutionView redriven = redrive(failed.executionArn());

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(redriven.output()).isEqualTo("[{\"n\":\"0\"},{\"n\":\"1\"},{\"n\":\"2\"},{\"n\":\"3\"}]");
        assertThat(calls("item:2")).as("the failed iteration ran again").isEqualTo(2);
        for (String branch : succeededFirst) {
            int index = Integer.parseInt(branch.substring("Each/".length(), branch.length() - 1));
            assertThat(calls("item:" + index)).as("iteration " + index + " succeeded before: not run again")
                    .isEqualTo(before.get(branch));
        }
        List<HistoryEvent> history = service.history(failed.executionArn());
        assertThat(history.stream().filter(e -> e.type() == HistoryEventType.MapIterationStarted
                && e.id() > redrivenId(history)).map(HistoryEvent::branch))
                .as("only iterations that had not succeeded start again").doesNotContainAnyElementsOf(succeededFirst);
    }

    @Test
    void stopInsideAMap_abortsItsRunningIterations_andARedriveRerunsOnlyThose() throws Exception {
        CountDownLatch blocked = new CountDownLatch(2);
        AtomicBoolean block = new AtomicBoolean(true);
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "slow", event -> {
            calls.computeIfAbsent("slow:" + event.path("n").asText(), k -> new AtomicInteger()).incrementAndGet();
            if (block.get() && !event.path("n").asText().equals("0")) {
                blocked.countDown();
                blockUntilInterrupted();
            }
            return event;
        });
        service = open(invoker, null);
        String definition = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
                  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"%sslow","End":true}}}}}}"""
                .formatted(F);
        String machine = service.createStateMachine("each", definition, ROLE, null).arn();
        String arn = service.startExecution(machine, "m1", "{\"items\":[{\"n\":\"0\"},{\"n\":\"1\"},{\"n\":\"2\"}]}")
                .executionArn();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        awaitEvent(arn, HistoryEventType.MapIterationSucceeded, "iteration 0 never succeeded");

        service.stopExecution(arn, "Operator", "enough");

        List<HistoryEvent> stopped = service.history(arn);
        assertThat(service.describeExecution(arn).status()).isEqualTo("ABORTED");
        assertThat(stopped).filteredOn(e -> e.type() == HistoryEventType.MapIterationAborted)
                .extracting(HistoryEvent::branch).containsExactlyInAnyOrder("Each/1/", "Each/2/");
        assertThat(stopped).filteredOn(e -> e.type() == HistoryEventType.TaskStateAborted)
                .extracting(HistoryEvent::branch).containsExactlyInAnyOrder("Each/1/", "Each/2/");
        assertThat(stopped).extracting(HistoryEvent::type)
                .doesNotContain(HistoryEventType.MapStateFailed, HistoryEventType.LambdaFunctionFailed)
                .endsWith(HistoryEventType.MapStateAborted, HistoryEventType.ExecutionAborted);

        block.set(false);
        ExecutionView redriven = redrive(arn);

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(redriven.output()).isEqualTo("[{\"n\":\"0\"},{\"n\":\"1\"},{\"n\":\"2\"}]");
        assertThat(calls("slow:0")).as("the iteration that succeeded before the stop").isEqualTo(1);
        assertThat(calls("slow:1")).isEqualTo(2);
        assertThat(calls("slow:2")).isEqualTo(2);
    }

    @Test
    void stopInsideAParallel_abortsItsTaskWaitAndItself_andARedriveFinishesIt() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean(true);
        service = open(functionsWithBBlocking(blocked, block), null);
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"%sb","End":true}}},
                  {"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.wait","End":true}}}]}}}"""
                .formatted(F);
        String machine = service.createStateMachine("fan", definition, ROLE, null).arn();
        // the real clock: the Wait is in flight until the stop
        service.close();
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withInvoker(
                functionsWithBBlocking(blocked, block)));
        String arn = service.startExecution(machine, "p1", "{\"wait\":86400}").executionArn();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        awaitEvent(arn, HistoryEventType.WaitStateEntered, "the Wait never began");

        service.stopExecution(arn, null, null);

        assertThat(service.history(arn)).extracting(HistoryEvent::type)
                .contains(HistoryEventType.TaskStateAborted, HistoryEventType.WaitStateAborted)
                .doesNotContain(HistoryEventType.ParallelStateFailed, HistoryEventType.LambdaFunctionFailed)
                .endsWith(HistoryEventType.ParallelStateAborted, HistoryEventType.ExecutionAborted);

        block.set(false);
        service.close(); // the virtual clock again: the redriven Wait passes at once
        service = open(functionsWithBBlocking(blocked, block), null);
        ExecutionView redriven = redrive(arn);

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(calls("b")).isEqualTo(2);
    }

    private static long redrivenId(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.type() == HistoryEventType.ExecutionRedriven).findFirst()
                .orElseThrow().id();
    }

    @Test
    void redrive_refusesRunningSucceededAndExpiredExecutionsAndHonoursClientToken() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        ExecutionView ok = run(machine, "ok", "{}");
        assertThatThrownBy(() -> service.redriveExecution(ok.executionArn(), null))
                .isInstanceOf(StepFunctionsException.class)
                .satisfies(e -> assertThat(((StepFunctionsException) e).type()).isEqualTo("ExecutionNotRedrivable"))
                .hasMessageContaining("SUCCEEDED");

        failing.put("a", true);
        ExecutionView failed = run(machine, "bad", "{}");
        java.time.Instant first = service.redriveExecution(failed.executionArn(), "token-1");
        service.completion(failed.executionArn()).get(10, TimeUnit.SECONDS);
        assertThat(service.redriveExecution(failed.executionArn(), "token-1")).as("same token, same redrive")
                .isEqualTo(first);
        assertThat(service.describeExecution(failed.executionArn()).redriveCount()).isEqualTo(1);

        clock.advance(Duration.ofDays(15));
        ExecutionView expired = service.describeExecution(failed.executionArn());
        assertThat(expired.redriveStatus()).isEqualTo("NOT_REDRIVABLE");
        assertThat(expired.redriveStatusReason()).isEqualTo("Execution redrivable period exceeded");
        assertThatThrownBy(() -> service.redriveExecution(failed.executionArn(), "token-2"))
                .hasMessageContaining("redrivable period exceeded");
    }

    @Test
    void aJournalThatCannotBeWritten_stopsTheEngine_andSaysWhy() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        // small segments: compaction soon starts a new one, and every next segment is on a full disk
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withSegmentLimit(256));
        assertThat(service.stoppedBecause()).isEmpty();
        Path journal = dir.resolve("journal");
        long last;
        try (var names = Files.list(journal)) {
            last = names.map(f -> f.getFileName().toString()).filter(n -> n.matches("wal-\\d+\\.log"))
                    .mapToLong(n -> Long.parseLong(n.replaceAll("\\D", ""))).max().orElse(0);
        }
        for (long n = last + 1; n <= last + 50; n++) {
            Files.createSymbolicLink(journal.resolve("wal-%012d.log".formatted(n)), full);
        }

        for (int i = 0; i < 50 && service.stoppedBecause().isEmpty(); i++) {
            try {
                String machine = service.createStateMachine("m" + i, SEQUENCE, ROLE, null).arn();
                service.startExecution(machine, "e" + i, "{}");
            } catch (RuntimeException e) {
                // refused once the journal failed: what the engine says next is the point
            }
            Thread.sleep(20);
        }

        assertThat(service.stoppedBecause()).hasValueSatisfying(why -> assertThat(why)
                .contains("journal in " + dir + " could not be written").contains("No space left on device"));
    }

    @Test
    void redrive_refusesAnExecutionOpenForMoreThanAYear_evenWithinItsRedrivablePeriod() throws Exception {
        service = open(functions(), null);
        // the virtual clock: the Wait of 360 days passes at once
        String machine = service.createStateMachine("slow", """
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":31104000,"Next":"F"},
                  "F":{"Type":"Fail","Error":"Late"}}}""", ROLE, null).arn();
        ExecutionView failed = run(machine, "late", "{}");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(service.describeExecution(failed.executionArn()).redriveStatus()).isEqualTo("REDRIVABLE");

        clock.advance(Duration.ofDays(6)); // 366 days after the start, 6 after the stop

        ExecutionView old = service.describeExecution(failed.executionArn());
        assertThat(old.redriveStatus()).isEqualTo("NOT_REDRIVABLE");
        assertThat(old.redriveStatusReason()).isEqualTo("Execution has exceeded the max execution time");
        assertThatThrownBy(() -> service.redriveExecution(failed.executionArn(), null))
                .hasMessageContaining("max execution time");
    }

    @Test
    void anExecutionThatWouldOutgrowItsHistory_failsWithinTheLimit_andCannotBeRedriven() throws Exception {
        assertThat(LocalStepFunctions.Config.defaults(dir).maxHistoryEvents()).isEqualTo(25_000);
        // a lower limit keeps the test fast; the loop would otherwise run forever
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withMaxHistoryEvents(50));
        String machine = service.createStateMachine("loop",
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"A\"}}}", ROLE, null).arn();

        ExecutionView failed = run(machine, "forever", "{}");

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).isEqualTo("States.Runtime");
        assertThat(failed.cause()).contains("maximum number of history events (50)");
        List<HistoryEvent> history = service.history(failed.executionArn());
        assertThat(history).hasSize(50);
        assertThat(history.getLast().type()).isEqualTo(HistoryEventType.ExecutionFailed);
        assertThat(failed.redriveStatusReason()).isEqualTo("Execution history event limit exceeded");
        assertThatThrownBy(() -> service.redriveExecution(failed.executionArn(), null))
                .hasMessageContaining("Execution history event limit exceeded");
    }

    @Test
    void aRedrivenExecution_countsItsEarlierEventsTowardsTheHistoryLimit() throws Exception {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withMaxHistoryEvents(20));
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        failing.put("c", true);
        ExecutionView failed = run(machine, "bad", "{}");
        assertThat(service.history(failed.executionArn())).hasSize(16);
        failing.clear(); // c would now succeed, but the history has no room left for the rest of the run

        ExecutionView again = redrive(failed.executionArn());

        assertThat(again.status()).isEqualTo("FAILED");
        assertThat(again.error()).isEqualTo("States.Runtime");
        assertThat(service.history(failed.executionArn())).hasSize(20);
        assertThat(calls("c")).as("the redriven c is never invoked: its TaskStarted would not fit").isEqualTo(1);
    }

    @Test
    void redrive_clientTokensOfTheLastTenRedrives_areIdempotentForFifteenMinutes_acrossARestart() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        failing.put("a", true); // every redrive fails again
        String arn = run(machine, "bad", "{}").executionArn();
        Map<String, java.time.Instant> redrives = new java.util.HashMap<>();
        for (int i = 1; i <= 11; i++) {
            clock.advance(Duration.ofSeconds(30));
            redrives.put("t" + i, service.redriveExecution(arn, "t" + i));
            service.completion(arn).get(10, TimeUnit.SECONDS);
        }
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(11);

        assertThat(service.redriveExecution(arn, "t2")).as("one of the last ten").isEqualTo(redrives.get("t2"));
        assertThat(service.redriveExecution(arn, "t11")).isEqualTo(redrives.get("t11"));
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(11);

        service.compactNow().join();
        service.close();
        service = open(functions(), null);
        assertThat(service.redriveExecution(arn, "t3")).as("after a restart").isEqualTo(redrives.get("t3"));
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(11);

        service.redriveExecution(arn, "t1"); // the eleventh token back: forgotten, a new redrive
        service.completion(arn).get(10, TimeUnit.SECONDS);
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(12);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        service.redriveExecution(arn, "t11"); // first used more than 15 minutes ago: a new redrive
        service.completion(arn).get(10, TimeUnit.SECONDS);
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(13);

        java.time.Instant latest = service.describeExecution(arn).redriveDate();
        service.close();
        service = open(functions(), null); // replays the redrives journaled since the snapshot
        assertThat(service.redriveExecution(arn, "t11")).isEqualTo(latest);
        assertThat(service.describeExecution(arn).redriveCount()).isEqualTo(13);
    }

    @Test
    void redrive_mockInvocationIndexesCountAcrossRedrives() throws Exception {
        MockConfig mocks = MockConfig.parse("""
                {"StateMachines":{"orders":{"TestCases":{"FlakyB":{"B":"FailThenOk"}}}},
                 "MockedResponses":{"FailThenOk":{"0":{"Throw":{"Error":"B.Down","Cause":"first call"}},
                                                   "1":{"Return":{"mocked":true}}}}}""");
        service = open(functions(), mocks);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();

        ExecutionView failed = run(machine + "#FlakyB", "mocked", "{}");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).isEqualTo("B.Down");
        ExecutionView redriven = redrive(failed.executionArn());

        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(redriven.output()).isEqualTo("{\"mocked\":true}");
    }

    @Test
    void restart_continuesARunningExecutionAtTheStateInFlightWithoutRerunningCompletedStates() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean(true);
        InMemoryLambdaInvoker invoker = functionsWithBBlocking(inB, block);
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String arn = service.startExecution(machine, "long", "{\"n\":\"1\"}").executionArn();
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        service.close();

        block.set(false);
        service = open(invoker, null);
        assertThat(service.startup().resumed()).isEqualTo(1);
        service.completion(arn).get(10, TimeUnit.SECONDS);

        ExecutionView done = service.describeExecution(arn);
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        assertThat(calls("a")).isEqualTo(1);
        assertThat(calls("b")).as("the task in flight runs again: at-least-once").isEqualTo(2);
        assertThat(calls("c")).isEqualTo(1);
        List<HistoryEvent> history = service.history(arn);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.TaskStateEntered).hasSize(3);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).id()).isEqualTo(i + 1);
        }
    }

    @Test
    void restart_doesNotRunAMapIterationThatEndedAgain() throws Exception {
        CountDownLatch inSecond = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean(true);
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "item", event -> {
            String n = event.path("n").asText();
            calls.computeIfAbsent("item:" + n, k -> new AtomicInteger()).incrementAndGet();
            if (n.equals("1") && block.get()) {
                inSecond.countDown();
                blockUntilInterrupted(); // until the service closes
            }
            return event;
        });
        service = open(invoker, null);
        String definition = """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
                  "End":true,
                  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"%sitem","End":true}}}}}}"""
                .formatted(F);
        String machine = service.createStateMachine("each", definition, ROLE, null).arn();
        String arn = service.startExecution(machine, "t1", "{\"items\":[{\"n\":\"0\"},{\"n\":\"1\"}]}")
                .executionArn();
        assertThat(inSecond.await(10, TimeUnit.SECONDS)).isTrue();
        service.close(); // iteration 0 succeeded; iteration 1 is in flight

        block.set(false);
        service = open(invoker, null);
        service.completion(arn).get(10, TimeUnit.SECONDS);

        ExecutionView done = service.describeExecution(arn);
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        assertThat(calls("item:0")).as("the iteration that ended does not run again").isEqualTo(1);
        assertThat(calls("item:1")).as("the iteration in flight runs again").isEqualTo(2);
        assertThat(json(done.output()).at("/0/n").asText()).isEqualTo("0");
        assertThat(json(done.output()).at("/1/n").asText()).isEqualTo("1");
        List<HistoryEvent> history = service.history(arn);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.MapIterationSucceeded).hasSize(2);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.MapIterationStarted).hasSize(2);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).id()).isEqualTo(i + 1);
        }
    }

    @Test
    void journal_tornTailRecordIsIgnoredOnRestart() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        ExecutionView done = run(machine, "kept", "{}");
        service.close();
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        // A record cut short by a crash: a header promising more bytes than follow.
        Files.write(segment, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, '{', '"'}, StandardOpenOption.APPEND);

        service = open(functions(), null);

        assertThat(service.startup().tornTails()).isEqualTo(1);
        assertThat(service.describeExecution(done.executionArn()).status()).isEqualTo("SUCCEEDED");
        assertThat(run(machine, "after", "{}").status()).isEqualTo("SUCCEEDED");
    }

    /** Everything in the journal directory's segments, as text (records are JSON). */
    private String journalText() {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            for (Path p : files.sorted().toList()) {
                text.append(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return text.toString();
    }

    @Test
    void aTasksFunctionIsCalledOnlyOnceItsScheduledAndStartedEventsAreWrittenToTheJournal() throws Exception {
        Map<String, String> seenByFunction = new ConcurrentHashMap<>();
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "b", event -> {
            // what a restart after this process is killed now would read
            seenByFunction.put("journal", journalText());
            return event;
        });
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();

        assertThat(run(machine, "calls-out", "{\"n\":\"1\"}").status()).isEqualTo("SUCCEEDED");

        String journal = seenByFunction.get("journal");
        int exitedA = journal.lastIndexOf("\"TaskStateExited\"");
        assertThat(exitedA).as("A's exit is on disk").isPositive();
        assertThat(journal.substring(exitedA)).as("B's events up to its call, in order")
                .containsSubsequence("\"TaskStateEntered\"", "\"LambdaFunctionScheduled\"", "\"LambdaFunctionStarted\"")
                .doesNotContain("\"LambdaFunctionSucceeded\"");
    }

    @Test
    void journal_compactionKeepsEverythingAndBoundsTheFiles() throws Exception {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withSegmentLimit(8 * 1024));
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        List<String> arns = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            arns.add(service.startExecution(machine, "e" + i, "{\"n\":\"" + i + "\"}").executionArn());
        }
        for (String arn : arns) {
            service.completion(arn).get(10, TimeUnit.SECONDS);
        }
        service.close();
        long files;
        try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
            files = s.count();
        }
        assertThat(files).as("a snapshot and the segments after it").isLessThanOrEqualTo(4);

        service = open(functions(), null);
        assertThat(service.listExecutions(machine, null)).hasSize(60);
        assertThat(service.listExecutions(machine, "SUCCEEDED")).hasSize(60);
        assertThat(service.history(service.listExecutions(machine, null).get(0).executionArn()))
                .extracting(HistoryEvent::type).endsWith(HistoryEventType.ExecutionSucceeded);
    }

    @Test
    void compaction_packsClosedHistories_thatReadTheSame_redrive_andSurviveARestart() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        failing.put("b", true);
        String failed = run(machine, "to-redrive", "{\"n\":\"r\"}").executionArn();
        failing.clear();
        String done = run(machine, "done", "{\"n\":\"d\"}").executionArn();
        List<HistoryEvent> doneHistory = service.history(done);
        List<HistoryEvent> failedHistory = service.history(failed);

        service.compactNow().get(10, TimeUnit.SECONDS);

        assertThat(service.historyPacked(done)).isTrue();
        assertThat(service.historyPacked(failed)).isTrue();
        assertThat(service.history(done)).isEqualTo(doneHistory);
        assertThat(service.history(failed)).isEqualTo(failedHistory);
        ExecutionView redriven = redrive(failed);
        assertThat(redriven.status()).isEqualTo("SUCCEEDED");
        assertThat(service.historyPacked(failed)).as("unpacked to take the redrive's events").isFalse();
        List<HistoryEvent> redrivenHistory = service.history(failed);
        assertThat(redrivenHistory.subList(0, failedHistory.size())).isEqualTo(failedHistory);
        assertThat(redrivenHistory).extracting(HistoryEvent::type).endsWith(HistoryEventType.ExecutionSucceeded);

        service.compactNow().get(10, TimeUnit.SECONDS);
        service.close();
        service = open(functions(), null);
        assertThat(service.history(done)).isEqualTo(doneHistory);
        assertThat(service.history(failed)).isEqualTo(redrivenHistory);
        assertThat(service.describeExecution(failed).redriveCount()).isEqualTo(1);
    }

    @Test
    void snapshots_holdClosedHistoriesPacked_andStartupKeepsThemSo() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        List<String> arns = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            arns.add(run(machine, "e" + i, "{\"n\":\"" + i + "\"}").executionArn());
        }
        Map<String, List<HistoryEvent>> histories = new java.util.HashMap<>();
        arns.forEach(arn -> histories.put(arn, service.history(arn)));
        assertThat(service.historyPacked(arns.getFirst())).as("fewer closed than a pack batch").isFalse();
        service.close();
        service = open(functions(), null);
        long recordsInSegments = service.startup().records();

        service.compactNow().get(10, TimeUnit.SECONDS);

        String snapshot = new String(Files.readAllBytes(latestSnapshot()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(snapshot).as("no history record by record").doesNotContain("\"ExecutionSucceeded\"");
        assertThat(snapshot.split("\"def\":", -1)).as("the definition: its machine and the revision the executions ran")
                .hasSize(3);
        service.close();
        service = open(functions(), null);
        assertThat(service.startup().records()).as("the machine, its revision, a summary and a block per execution")
                .isEqualTo(2 + 2L * arns.size());
        assertThat(recordsInSegments).isGreaterThan(10L * arns.size());
        for (String arn : arns) {
            assertThat(service.historyPacked(arn)).isTrue();
            assertThat(service.history(arn)).isEqualTo(histories.get(arn));
            assertThat(service.describeExecution(arn).status()).isEqualTo("SUCCEEDED");
        }
        String more = run(machine, "after", "{\"n\":\"x\"}").executionArn();
        assertThat(service.describeExecution(more).status()).isEqualTo("SUCCEEDED");
    }

    @Test
    void snapshots_keepTheRevisionEachExecutionRan_acrossAnUpdate() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String before = run(machine, "before", "{\"n\":\"b\"}").executionArn();
        String updated = SEQUENCE.replace("\"End\":true", "\"End\":true,\"Comment\":\"v2\"");
        service.updateStateMachine(machine, updated, ROLE);
        String after = run(machine, "after", "{\"n\":\"a\"}").executionArn();

        service.compactNow().get(10, TimeUnit.SECONDS);
        service.close();
        service = open(functions(), null);

        assertThat(service.describeStateMachineForExecution(before).definition()).isEqualTo(SEQUENCE);
        assertThat(service.describeStateMachineForExecution(after).definition()).isEqualTo(updated);
        assertThat(service.describeStateMachine(machine).definition()).isEqualTo(updated);
    }

    private Path latestSnapshot() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot-\\d+\\.log")).max(Path::compareTo)
                    .orElseThrow();
        }
    }

    @Test
    void closedHistories_arePackedInBatches_longBeforeTheNextCompaction() throws Exception {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withSegmentLimit(1L << 30)); // no compaction in this test
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String first = run(machine, "e0", "{\"n\":\"0\"}").executionArn();
        List<HistoryEvent> firstHistory = service.history(first);

        for (int i = 1; i <= LocalStepFunctions.PACK_BATCH; i++) {
            run(machine, "e" + i, "{\"n\":\"" + i + "\"}");
        }
        service.lastPack().get(10, TimeUnit.SECONDS); // started when the last of them closed

        assertThat(service.historyPacked(first)).isTrue();
        assertThat(service.history(first)).isEqualTo(firstHistory);
    }

    @Test
    void aFullDisk_failsTheCallsThatNeedTheJournal_andLosesNothingAcknowledged() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock)
                .withInvoker(functions()).withSegmentLimit(8 * 1024));
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String before = run(machine, "before", "{}").executionArn();
        // the journal's next segments are on a full disk: every write to them fails with ENOSPC
        Path journal = dir.resolve("journal");
        long current;
        try (Stream<Path> s = Files.list(journal)) {
            current = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wal-"))
                    .mapToLong(n -> Long.parseLong(n.replaceAll("\\D", ""))).max().orElseThrow();
        }
        List<Path> onFullDisk = new java.util.ArrayList<>();
        for (long n = current + 1; n <= current + 3; n++) {
            onFullDisk.add(Files.createSymbolicLink(journal.resolve("wal-%012d.log".formatted(n)), full));
        }

        List<String> acknowledged = new java.util.ArrayList<>();
        RuntimeException refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            try {
                acknowledged.add(service.startExecution(machine, "e" + i, "{\"n\":\"" + i + "\"}").executionArn());
            } catch (RuntimeException e) {
                refused = e;
            }
        }
        assertThat(refused).as("a start once the journal fails").isNotNull()
                .hasMessageContaining("journal").hasRootCauseInstanceOf(IOException.class);
        List<String> endedBeforeTheFailure = new java.util.ArrayList<>();
        for (String arn : acknowledged) {
            try {
                service.completion(arn).get(5, TimeUnit.SECONDS);
                // its end reached the disk before the failure (its own commit or another's): it succeeded
                assertThat(service.describeExecution(arn).status()).isEqualTo("SUCCEEDED");
                endedBeforeTheFailure.add(arn);
            } catch (java.util.concurrent.ExecutionException stopped) {
                // stopped, not failed: the disk failed, not the execution
                assertThat(stopped).hasRootCauseInstanceOf(IOException.class);
                assertThat(service.describeExecution(arn).status()).isEqualTo("RUNNING");
                assertThat(service.history(arn)).extracting(HistoryEvent::type)
                        .doesNotContain(HistoryEventType.ExecutionFailed);
            }
        }
        assertThatThrownBy(() -> service.createStateMachine("more", SEQUENCE, ROLE, null))
                .hasMessageContaining("journal");
        service.close();

        // the disk is fixed; a restart continues every acknowledged execution from its last durable event
        for (Path p : onFullDisk) {
            Files.delete(p);
        }
        service = open(functions(), null);
        assertThat(service.describeExecution(before).status()).isEqualTo("SUCCEEDED");
        assertThat(service.listExecutions(machine, null)).hasSize(acknowledged.size() + 1);
        for (String arn : acknowledged) {
            service.completion(arn).get(10, TimeUnit.SECONDS);
            assertThat(service.describeExecution(arn).status()).as(arn).isEqualTo("SUCCEEDED");
        }
        for (int i = 0; i < acknowledged.size(); i++) {
            for (String function : List.of("a", "b", "c")) {
                assertThat(calls(function + ":" + i)).as(function + " of e" + i).isBetween(1, 2);
            }
        }
        for (String arn : endedBeforeTheFailure) { // durable before the failure: nothing ran again after the restart
            String n = arn.substring(arn.lastIndexOf(":e") + 2);
            for (String function : List.of("a", "b", "c")) {
                assertThat(calls(function + ":" + n)).as(function + " of e" + n).isEqualTo(1);
            }
        }
    }

    @Test
    void compaction_dropsExecutionsClosedMoreThanNinetyDaysAgo() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String old = run(machine, "old", "{}").executionArn();
        clock.advance(Duration.ofDays(91));
        String recent = run(machine, "recent", "{}").executionArn();

        service.compactNow().get(10, TimeUnit.SECONDS);
        service.close();
        service = open(functions(), null);

        assertThat(service.listExecutions(machine, null)).extracting(ExecutionView::executionArn)
                .containsExactly(recent);
        assertThatThrownBy(() -> service.describeExecution(old))
                .satisfies(e -> assertThat(((StepFunctionsException) e).type()).isEqualTo("ExecutionDoesNotExist"));
    }

    @Test
    void startExecution_sameNameAndInputIsTheSameExecutionDifferentInputIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "a", event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return event;
        });
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        ExecutionView first = service.startExecution(machine, "once", "{\"x\":1}");
        assertThat(service.startExecution(machine, "once", "{\"x\":1}").executionArn())
                .isEqualTo(first.executionArn());
        assertThatThrownBy(() -> service.startExecution(machine, "once", "{\"x\":2}"))
                .satisfies(e -> assertThat(((StepFunctionsException) e).type()).isEqualTo("ExecutionAlreadyExists"));
        release.countDown();
        service.completion(first.executionArn()).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> service.startExecution(machine, "once", "{\"x\":1}"))
                .as("a closed execution's name is taken")
                .satisfies(e -> assertThat(((StepFunctionsException) e).type()).isEqualTo("ExecutionAlreadyExists"));
    }

    @Test
    void startExecution_concurrentCallersOfOneNameGetOneExecution_startedOnce_whileOthersRunBeside() throws Exception {
        int callers = 16;
        // the shared execution stays running until every caller has its answer: once closed, its name is taken
        // (ExecutionAlreadyExists), so a caller slower than the whole execution would get that instead
        CountDownLatch answered = new CountDownLatch(callers);
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "a", event -> {
            String n = event.path("n").asText("");
            if ("shared".equals(n)) {
                try {
                    answered.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            calls.computeIfAbsent("a:" + n, k -> new AtomicInteger()).incrementAndGet();
            return event;
        });
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<String>> arns = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                String name = i % 2 == 0 ? "shared" : "own-" + i;
                arns.add(threads.submit(() -> {
                    go.await();
                    try {
                        return service.startExecution(machine, name, "{\"n\":\"" + name + "\"}").executionArn();
                    } finally {
                        answered.countDown();
                    }
                }));
            }
            go.countDown();
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (var arn : arns) {
                distinct.add(arn.get(10, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1 + callers / 2);
            for (String arn : distinct) {
                service.completion(arn).get(10, TimeUnit.SECONDS);
                assertThat(service.describeExecution(arn).status()).isEqualTo("SUCCEEDED");
                assertThat(service.history(arn).stream().filter(e -> e.type() == HistoryEventType.ExecutionStarted))
                        .hasSize(1);
            }
        }
        assertThat(calls("a:shared")).as("the shared execution's first task ran once").isEqualTo(1);
        assertThat(calls("c")).isEqualTo(1 + callers / 2);
    }

    @Test
    void deleteStateMachine_withAnExecutionRunning_isDeleting_untilItFailsAtItsNextTransition() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        InMemoryLambdaInvoker invoker = functions();
        invoker.register(F + "b", event -> {
            inB.countDown();
            try {
                releaseB.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted");
            }
            return event;
        });
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String idle = service.createStateMachine("idle", SEQUENCE, ROLE, null).arn();
        String arn = service.startExecution(machine, "long", "{\"n\":\"1\"}").executionArn();
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();

        service.deleteStateMachine(idle); // nothing runs on it: gone at once
        assertThatThrownBy(() -> service.describeStateMachine(idle)).isInstanceOf(StepFunctionsException.class)
                .extracting(e -> ((StepFunctionsException) e).type()).isEqualTo("StateMachineDoesNotExist");

        service.deleteStateMachine(machine);
        service.deleteStateMachine(machine); // again: nothing more happens
        assertThat(service.deleting(machine)).isTrue();
        assertThat(service.describeStateMachine(machine).name()).isEqualTo("orders");
        for (Runnable refused : List.<Runnable>of(
                () -> service.startExecution(machine, "another", "{}"),
                () -> service.updateStateMachine(machine, SEQUENCE, null),
                () -> service.createStateMachine("orders", SEQUENCE, ROLE, null))) {
            assertThatThrownBy(refused::run).isInstanceOf(StepFunctionsException.class)
                    .extracting(e -> ((StepFunctionsException) e).type()).isEqualTo("StateMachineDeleting");
        }
        assertThat(service.describeExecution(arn).status()).as("the task it waits for is not cut short")
                .isEqualTo("RUNNING");

        releaseB.countDown();
        service.completion(arn).get(10, TimeUnit.SECONDS);
        ExecutionView failed = service.describeExecution(arn);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).isEqualTo("States.Runtime");
        assertThat(failed.cause()).isEqualTo("State machine orders has been deleted.");
        assertThat(calls("c")).as("no state after the transition").isZero();
        assertThat(service.history(arn)).extracting(HistoryEvent::type)
                .endsWith(HistoryEventType.LambdaFunctionSucceeded, HistoryEventType.TaskStateExited,
                        HistoryEventType.ExecutionFailed);
        awaitDeleted(machine); // the deletion follows the execution's end, as on AWS
        assertThatThrownBy(() -> service.describeStateMachine(machine)).isInstanceOf(StepFunctionsException.class)
                .extracting(e -> ((StepFunctionsException) e).type()).isEqualTo("StateMachineDoesNotExist");
        assertThat(service.createStateMachine("orders", SEQUENCE, ROLE, null).arn()).isEqualTo(machine);
    }

    @Test
    void deleting_survivesACompactionAndARestart_andTheResumedExecutionFailsAtItsNextTransition() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean(true);
        InMemoryLambdaInvoker invoker = functionsWithBBlocking(inB, block);
        service = open(invoker, null);
        String machine = service.createStateMachine("orders", SEQUENCE, ROLE, null).arn();
        String arn = service.startExecution(machine, "long", "{\"n\":\"1\"}").executionArn();
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        service.deleteStateMachine(machine);
        service.compactNow().get(10, TimeUnit.SECONDS);
        service.close();

        block.set(false);
        service = open(invoker, null); // the resumed execution may fail, and the machine go, before this returns
        service.completion(arn).get(10, TimeUnit.SECONDS);

        ExecutionView failed = service.describeExecution(arn);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.cause()).isEqualTo("State machine orders has been deleted.");
        assertThat(calls("b")).as("the task in flight runs again, as after any restart, then the execution fails")
                .isEqualTo(2);
        assertThat(calls("c")).isZero();
        awaitDeleted(machine);
        service.close();
        service = open(invoker, null);
        assertThatThrownBy(() -> service.describeStateMachine(machine)).as("deleted for good")
                .isInstanceOf(StepFunctionsException.class);
        assertThat(service.describeExecution(arn).status()).isEqualTo("FAILED");
    }

    @Test
    void deleting_aRestartIsNoTransition_aWaitInFlightGoesOnAndTheMachineStaysDeleting() throws Exception {
        String nap = """
                {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":3600,"Next":"A"},
                  "A":{"Type":"Task","Resource":"%sa","End":true}}}""".formatted(F);
        // the real clock: a Wait on the test's virtual clock would end at once
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withInvoker(functions()));
        String machine = service.createStateMachine("napping", nap, ROLE, null).arn();
        String arn = service.startExecution(machine, "nap", "{}").executionArn();
        awaitEvent(arn, HistoryEventType.WaitStateEntered, "the Wait begins");
        service.deleteStateMachine(machine);
        service.close();

        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withInvoker(functions()));
        Thread.sleep(200); // time for the resumed execution to go wrong, were it to
        assertThat(service.deleting(machine)).isTrue();
        assertThat(service.describeExecution(arn).status()).isEqualTo("RUNNING");

        service.stopExecution(arn, null, null);
        assertThat(service.describeExecution(arn).status()).isEqualTo("ABORTED");
        assertThat(calls("a")).isZero();
        awaitDeleted(machine);
    }

    @Test
    void tags_areKeptAcrossACompactionAndARestart_limitedToFifty_andGoWithTheMachine() throws Exception {
        service = open(functions(), null);
        String machine = service.createStateMachine("tagged", SEQUENCE, ROLE, null,
                Map.of("team", "growth")).arn();
        service.tagResource(machine, Map.of("env", "local", "team", "content"));
        service.untagResource(machine, List.of("env", "not-there"));
        service.tagResource(machine, Map.of("cost-center", "cf:42"));
        service.compactNow().get(10, TimeUnit.SECONDS);
        service.tagResource(machine, Map.of("after", "compaction"));
        service.close();

        service = open(functions(), null);
        assertThat(service.listTagsForResource(machine))
                .containsExactly(Map.entry("team", "content"), Map.entry("cost-center", "cf:42"),
                        Map.entry("after", "compaction"));

        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 48; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> service.tagResource(machine, many)).isInstanceOf(StepFunctionsException.class)
                .extracting(e -> ((StepFunctionsException) e).type()).isEqualTo("TooManyTags");
        assertThat(service.listTagsForResource(machine)).as("a refused request changes nothing").hasSize(3);
        assertThatThrownBy(() -> service.tagResource(machine, Map.of("bad#key", "v")))
                .isInstanceOf(StepFunctionsException.class).hasMessageContaining("bad#key");

        service.deleteStateMachine(machine);
        assertThatThrownBy(() -> service.listTagsForResource(machine)).isInstanceOf(StepFunctionsException.class)
                .extracting(e -> ((StepFunctionsException) e).type()).isEqualTo("ResourceNotFound");
        assertThat(service.listTagsForResource(service.createStateMachine("tagged", SEQUENCE, ROLE, null).arn()))
                .as("a new machine of the name starts untagged").isEmpty();
    }

    @Test
    void loggingAndTracingConfiguration_surviveACompactionAndARestart() throws Exception {
        service = open(functions(), null);
        var logging = NODES.objectNode().put("level", "ALL");
        logging.putArray("destinations").addObject().putObject("cloudWatchLogsLogGroup")
                .put("logGroupArn", "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*");
        String machine = service.createStateMachine("logged", SEQUENCE, ROLE, null, Map.of(), logging,
                NODES.objectNode().put("enabled", true)).arn();
        String plain = service.createStateMachine("plain", SEQUENCE, ROLE, null).arn();
        service.compactNow().get(10, TimeUnit.SECONDS);
        service.close();

        service = open(functions(), null);
        assertThat(service.describeStateMachine(machine).logging()).isEqualTo("{\"level\":\"ALL\","
                + "\"includeExecutionData\":false,\"destinations\":[{\"cloudWatchLogsLogGroup\":{\"logGroupArn\":"
                + "\"arn:aws:logs:us-east-1:123456789012:log-group:sfn:*\"}}]}");
        assertThat(service.describeStateMachine(machine).tracing()).isEqualTo("{\"enabled\":true}");
        assertThat(service.describeStateMachine(plain).logging()).isEqualTo(StateMachineRecord.LOGGING_OFF);
        assertThatThrownBy(() -> service.createStateMachine("bad", SEQUENCE, ROLE, null, Map.of(),
                NODES.objectNode().put("level", "LOUD"), null)).hasMessageContaining("ALL, ERROR, FATAL or OFF");
    }

    @Test
    void names_followAwsRules() {
        service = open(functions(), null);
        for (String bad : List.of("", "has space", "a/b", "x".repeat(81), "q?", "semi;colon")) {
            assertThatThrownBy(() -> service.createStateMachine(bad, SEQUENCE, ROLE, null))
                    .satisfies(e -> assertThat(((StepFunctionsException) e).type()).isEqualTo("InvalidName"));
        }
        assertThat(service.createStateMachine("ok-Name_1", SEQUENCE, ROLE, null).name()).isEqualTo("ok-Name_1");
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Waits (up to 10 s) until the execution's history has an event of {@code type}; fails with {@code what}. */
    private void awaitEvent(String executionArn, HistoryEventType type, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (service.history(executionArn).stream().noneMatch(e -> e.type() == type)) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void awaitDeleted(String machineArn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (service.deleting(machineArn)) {
            assertThat(System.nanoTime()).as(machineArn + " still DELETING").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** A function that never answers by itself: it fails once its thread is interrupted. */
    private static void blockUntilInterrupted() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted");
        }
    }
}
