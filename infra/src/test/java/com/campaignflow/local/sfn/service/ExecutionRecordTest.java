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
        assertThat(e.records()).hasSize(3);
        assertThat(e.lastEventId()).isEqualTo(3);
    }
}
