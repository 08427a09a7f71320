package com.campaignflow.functions.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.handlers.Services;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.testing.Concurrently;
import com.campaignflow.functions.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressLogTest {

    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");

    @TempDir
    Path dataDir;
    @TempDir
    Path elsewhere;

    /** The connections table as the local cloud keeps it: a file log whose items expire on expires_at. */
    private DocumentTable connections() {
        return Services.localTable(dataDir, "CONNECTIONS_TABLE", "connections", Durability.PROCESS_SAFE, clock);
    }

    private static ProgressMessage message(long sequence) {
        return new ProgressMessage(ProgressMessage.AGENT_PROGRESS, "camp-1", "writer", 50, true, "none",
                "writer completed", sequence);
    }

    @Test
    void sequences_areStrictlyIncreasingWithoutDuplicates_forAgentsPublishingAtOnce() throws Exception {
        ProgressLog log = new ProgressLog(connections(), clock);

        List<Long> sequences = Concurrently.run(16, i -> () -> log.nextSequence("camp-1", 0));

        assertThat(new HashSet<>(sequences)).hasSize(16);
        assertThat(sequences).allSatisfy(s -> assertThat(s).isBetween(1L, 16L));
        assertThat(log.lastSequence("camp-1", 0)).isEqualTo(16);
        assertThat(log.nextSequence("camp-2", 0)).as("each campaign counts on its own").isEqualTo(1);
    }

    @Test
    void numbering_goesOnAfterTheMessagesExpire() throws Exception {
        ProgressLog log = new ProgressLog(connections(), clock);
        for (int i = 1; i <= 3; i++) {
            log.append(message(log.nextSequence("camp-1", 0)));
        }
        assertThat(log.since("camp-1", 0, 100)).extracting(m -> m.path("sequence").asLong()).containsExactly(1L, 2L, 3L);

        clock.advance(ProgressLog.RETENTION.plus(Duration.ofHours(1)));
        // a copy of the data directory is loaded afresh, dropping the items past their TTL as DynamoDB would
        Path copy = Files.createDirectories(elsewhere.resolve("tables/connections"));
        Files.copy(dataDir.resolve("tables/connections/items.log"), copy.resolve("items.log"));
        ProgressLog reopened = new ProgressLog(
                Services.localTable(elsewhere, "CONNECTIONS_TABLE", "connections", Durability.PROCESS_SAFE, clock), clock);

        assertThat(reopened.since("camp-1", 0, 100)).as("messages past their TTL are gone").isEmpty();
        assertThat(reopened.lastSequence("camp-1", 0)).isEqualTo(3);
        assertThat(reopened.nextSequence("camp-1", 0)).isEqualTo(4);
    }

    @Test
    void aCampaignThatCountedInItsRecord_goesOnFromThatFloor() {
        ProgressLog log = new ProgressLog(connections(), clock);

        assertThat(log.lastSequence("camp-1", 41)).isEqualTo(41);
        assertThat(log.nextSequence("camp-1", 41)).isEqualTo(42);
        assertThat(log.nextSequence("camp-1", 41)).isEqualTo(43);
        assertThat(log.lastSequence("camp-1", 41)).isEqualTo(43);
    }

    @Test
    void theHead_isNotReplayedAsAMessage() {
        ProgressLog log = new ProgressLog(connections(), clock);
        log.append(message(log.nextSequence("camp-1", 0)));

        assertThat(log.since("camp-1", -1, 100)).singleElement()
                .satisfies(m -> assertThat(m.path("sequence").asLong()).isEqualTo(1));
    }
}
