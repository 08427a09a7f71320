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
}
