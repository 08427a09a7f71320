package com.campaignflow.local.sfn.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExecutionRecordTest {

    private final List<String> parsed = new ArrayList<>();
    private final Function<byte[], HistoryEvent> parser = record -> {
        String text = new String(record, StandardCharsets.UTF_8);
        parsed.add(text);
        long id = Long.parseLong(text);
        return new HistoryEvent(id, id - 1, Instant.EPOCH, HistoryEventType.PassStateEntered, "", 0,
                JsonNodeFactory.instance.objectNode());
    };

    private static ExecutionRecord execution() {
        StateMachineRecord machine = new StateMachineRecord("arn:aws:states:us-east-1:123456789012:stateMachine:m",
                "m", "{}", "arn:aws:iam::123456789012:role/r", "STANDARD", Instant.EPOCH, null, "rev");
        return new ExecutionRecord("arn:aws:states:us-east-1:123456789012:execution:m:e", machine.arn(), "e", "{}",
                machine, null, Instant.EPOCH);
    }

    private static void add(ExecutionRecord e, long id) {
        e.add(Long.toString(id).getBytes(StandardCharsets.UTF_8), id);
    }

    @Test
    void readingTheHistoryAgain_parsesOnlyTheRecordsAddedSince() {
        ExecutionRecord e = execution();
        add(e, 1);
        add(e, 2);

        assertThat(e.events(parser)).extracting(HistoryEvent::id).containsExactly(1L, 2L);
        add(e, 3);
        assertThat(e.events(parser)).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L);
        assertThat(e.events(parser)).hasSize(3);

        assertThat(parsed).containsExactly("1", "2", "3");
        assertThat(e.history().records()).hasSize(3);
        assertThat(e.lastEventId()).isEqualTo(3);
    }

    @Test
    void aPackedHistory_readsTheSame_andTakesNewEventsAfterItsOwn() {
        ExecutionRecord e = execution();
        for (long id = 1; id <= 50; id++) {
            add(e, id);
        }
        ExecutionRecord.History taken = e.history();
        e.status = "SUCCEEDED";

        assertThat(e.usePacked(taken, ExecutionRecord.pack(taken.records()))).isTrue();

        assertThat(e.isPacked()).isTrue();
        assertThat(e.eventCount()).isEqualTo(50);
        assertThat(e.history().records()).extracting(r -> new String(r, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).mapToObj(Long::toString).toList());
        assertThat(e.events(parser)).extracting(HistoryEvent::id).hasSize(50).endsWith(50L);
        e.status = "RUNNING"; // redriven
        add(e, 51);
        assertThat(e.isPacked()).isFalse();
        assertThat(e.events(parser)).extracting(HistoryEvent::id).hasSize(51).startsWith(1L, 2L).endsWith(50L, 51L);
    }

    @Test
    void aHistoryIsNotPacked_whileRunning_orWhenItGrewSinceItWasTaken() {
        ExecutionRecord e = execution();
        add(e, 1);
        ExecutionRecord.History taken = e.history();
        byte[] block = ExecutionRecord.pack(taken.records());

        assertThat(e.usePacked(taken, block)).as("running").isFalse();
        add(e, 2);
        e.status = "FAILED";
        assertThat(e.usePacked(taken, block)).as("an event since").isFalse();
        assertThat(e.history().records()).hasSize(2);
    }

    @Test
    void journalRecordsOfACampaign_packToAFractionOfTheirSize() throws Exception {
        // event records shaped as the journal writes them: JSON whose state inputs and outputs repeat step to step
        List<byte[]> records = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String state = "{\\\"campaign_id\\\":\\\"camp-" + (i % 3) + "\\\",\\\"results\\\":{\\\"planner\\\":{\\\"checkpoint_id\\\":"
                    + "\\\"wf-1/checkpoint_00" + (i % 7) + "\\\",\\\"quality_score\\\":0.8" + i + "}}}";
            records.add(("{\"k\":\"ev\",\"x\":\"arn:aws:states:us-east-1:123456789012:execution:campaign:c-1\",\"id\":" + i
                    + ",\"ty\":\"TaskStateEntered\",\"d\":{\"stateEnteredEventDetails\":{\"name\":\"Writer\",\"input\":\""
                    + state.repeat(4) + "\"}}}").getBytes(StandardCharsets.UTF_8));
        }
        int raw = records.stream().mapToInt(r -> r.length).sum();

        byte[] block = ExecutionRecord.pack(records);

        assertThat(block.length).isLessThan(raw / 5);
        assertThat(ExecutionRecord.unpack(block, records.size())).usingElementComparator(java.util.Arrays::compare)
                .containsExactlyElementsOf(records);
    }
}
