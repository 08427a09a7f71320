package com.campaignflow.functions.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingProgressPublisherTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T01:00:00Z"), ZoneOffset.UTC);
    private final List<ProgressMessage> pushed = new ArrayList<>();

    private static ProgressMessage message(long sequence) {
        return new ProgressMessage(ProgressMessage.AGENT_PROGRESS, "camp-1", "writer", 50, true, "none",
                "writer completed", sequence);
    }

    @Test
    void messages_areKeptInSequenceOrder_onceEach_andPushed() {
        InMemoryDocumentTable table = new InMemoryDocumentTable();
        ProgressLog log = new ProgressLog(table, clock);
        RecordingProgressPublisher publisher = new RecordingProgressPublisher(log, pushed::add);

        for (long sequence : new long[] {2, 10, 1, 10}) {
            publisher.publish(message(sequence));
        }

        assertThat(pushed).hasSize(4);
        assertThat(log.since("camp-1", 0, 100)).extracting(m -> m.path("sequence").asLong()).containsExactly(1L, 2L, 10L);
        assertThat(log.since("camp-1", 2, 100)).extracting(m -> m.path("sequence").asLong()).containsExactly(10L);
        assertThat(log.since("camp-1", 0, 1)).hasSize(1);
        ObjectNode item = table.query(ProgressLog.partitionKey("camp-1")).getFirst();
        assertThat(item.path("sk").asText()).isEqualTo("0000000000000000001");
        assertThat(item.path("expires_at").asLong()).isEqualTo(clock.instant().plus(ProgressLog.RETENTION).getEpochSecond());
        assertThat(item.path("message").path("checkpoint_created").asBoolean()).isTrue();
    }

    @Test
    void aMessageThatCannotBeRecorded_isStillPushed() {
        DocumentTable failing = new DocumentTable() {
            @Override
            public Optional<ObjectNode> get(String pk, String sk) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public List<ObjectNode> query(String pk) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public List<ObjectNode> scan() {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public void put(ObjectNode item) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public boolean putIfAbsent(ObjectNode item) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public boolean putIfVersion(ObjectNode item, long expectedVersion) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public void delete(String pk, String sk) {
                throw new IllegalStateException("table unavailable");
            }
        };
        RecordingProgressPublisher publisher = new RecordingProgressPublisher(new ProgressLog(failing, clock), pushed::add);

        publisher.publish(message(1));

        assertThat(pushed).singleElement().extracting(ProgressMessage::sequence).isEqualTo(1L);
    }
}
