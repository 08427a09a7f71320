package com.campaignflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.store.local.FileDocumentTable;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.Concurrently;
import com.campaignflow.functions.testing.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServiceTest {

    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");
    private final HealthService health = new HealthService(new InMemoryDocumentTable(), CircuitBreaker.standard(), clock);

    @Test
    void unknownService_isHealthyAndAvailable() {
        assertThat(health.get("seo").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(health.isAvailable("seo")).isTrue();
    }

    @Test
    void failuresOpenTheCircuit_andSuccessAfterRecoveryClosesIt() {
        for (int i = 0; i < 5; i++) {
            health.recordFailure("editor", "timeout");
        }
        assertThat(health.get("editor").healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);
        assertThat(health.isAvailable("editor")).isFalse();

        clock.advance(Duration.ofSeconds(30));
        assertThat(health.isAvailable("editor")).isTrue();
        health.recordSuccess("editor");

        assertThat(health.get("editor").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(health.snapshot()).containsOnlyKeys("editor");
    }

    @Test
    void aSuccessOfAServiceNeverCheckedNorFailed_writesNothing_soItsLastCheckStaysUnset() {
        assertThat(health.recordSuccess("planner").healthStatus()).isEqualTo(HealthStatus.HEALTHY);

        assertThat(health.snapshot()).isEmpty();
        health.recordCheckPassed("planner");
        assertThat(health.get("planner").lastCheck()).isEqualTo(clock.instant());
    }

    @Test
    void halfOpenCircuit_letsOneProbeThrough_untilItReportsOrItsLeaseRunsOut(@TempDir Path dir) throws Exception {
        HealthService onFiles = new HealthService(new FileDocumentTable(dir, "health"), CircuitBreaker.standard(), clock);
        for (int i = 0; i < 5; i++) {
            onFiles.recordFailure("editor", "timeout");
        }
        clock.advance(Duration.ofSeconds(30));

        var answers = Concurrently.run(8, i -> () -> onFiles.isAvailable("editor"));
        assertThat(answers).containsOnlyOnce(true);
        assertThat(onFiles.isAvailable("editor")).isFalse();
        // while the probe is out, planning sees the editor back only when the probe's lease ends
        assertThat(onFiles.snapshot().get("editor").recoveryTime()).isEqualTo(clock.instant().plus(HealthService.PROBE_LEASE));
        assertThat(new com.campaignflow.functions.planning.DegradationAssessor(clock)
                .status(onFiles.snapshot(), com.campaignflow.functions.domain.AgentName.EDITOR))
                .isEqualTo(HealthStatus.UNAVAILABLE);

        clock.advance(HealthService.PROBE_LEASE);
        assertThat(onFiles.isAvailable("editor")).isTrue(); // the first probe never reported: another may go
        onFiles.recordFailure("editor", "still down");
        assertThat(onFiles.isAvailable("editor")).isFalse(); // open again, with a longer backoff
        assertThat(onFiles.get("editor").failureCount()).isEqualTo(6);

        clock.advance(Duration.ofMinutes(1));
        assertThat(onFiles.isAvailable("editor")).isTrue();
        onFiles.recordSuccess("editor");
        assertThat(onFiles.isAvailable("editor")).isTrue();
        assertThat(onFiles.isAvailable("editor")).isTrue();
    }

    @Test
    void concurrentFailures_areAllCounted(@TempDir Path dir) throws Exception {
        HealthService onFiles = new HealthService(new FileDocumentTable(dir, "health"), CircuitBreaker.standard(), clock);

        Concurrently.run(8, i -> () -> {
            for (int n = 0; n < 5; n++) {
                onFiles.recordFailure("researcher", "thread " + i);
            }
            return null;
        });
        Concurrently.run(8, i -> () -> health.recordFailure("writer", "x"));

        assertThat(onFiles.get("researcher").failureCount()).isEqualTo(40);
        assertThat(health.get("writer").failureCount()).isEqualTo(8);
    }

    @Test
    void degradationEvents_areQueryablePerCampaign_andARetriedFallbackIsStoredOnce_atItsLatestTime() {
        Instant at = clock.instant();
        DegradationEvent event = new DegradationEvent("camp-1", "wf-1", "researcher", "researcher", "basic_research",
                "AgentFailedException: no sources", at);
        health.recordDegradation(event);
        clock.advance(java.time.Duration.ofSeconds(5));
        health.recordDegradation(new DegradationEvent("camp-1", "wf-1", "researcher", "researcher", "basic_research",
                "AgentFailedException: no sources", clock.instant()));
        health.recordDegradation(new DegradationEvent("camp-2", "wf-2", "editor", "editor", "basic_qa", "timeout", at));
        health.recordFailure("editor", "timeout");

        // once, as of its latest recording: a replacement that happens again is the step's latest event again
        assertThat(health.degradationEvents("camp-1")).containsExactly(new DegradationEvent("camp-1", "wf-1",
                "researcher", "researcher", "basic_research", "AgentFailedException: no sources", clock.instant()));
        assertThat(health.degradationEvents("camp-2")).hasSize(1);
        assertThat(health.snapshot()).containsOnlyKeys("editor");
    }

    @Test
    void snapshot_readsTheHealthItemsOnly_howeverManyDegradationEventsTheTableHolds() {
        InMemoryDocumentTable stored = new InMemoryDocumentTable();
        List<Integer> itemsRead = new ArrayList<>();
        DocumentTable counting = new DocumentTable() {
            public Optional<ObjectNode> get(String pk, String sk) { return stored.get(pk, sk); }
            public List<ObjectNode> query(String pk) { return count(stored.query(pk)); }
            public List<ObjectNode> scan() { return count(stored.scan()); }
            public void put(ObjectNode item) { stored.put(item); }
            public boolean putIfAbsent(ObjectNode item) { return stored.putIfAbsent(item); }
            public boolean putIfVersion(ObjectNode item, long version) { return stored.putIfVersion(item, version); }
            public void delete(String pk, String sk) { stored.delete(pk, sk); }

            private List<ObjectNode> count(List<ObjectNode> items) {
                itemsRead.add(items.size());
                return items;
            }
        };
        HealthService onCounting = new HealthService(counting, CircuitBreaker.standard(), clock);
        onCounting.recordFailure("editor", "timeout");
        onCounting.recordSuccess("writer");
        onCounting.recordFailure("writer", "timeout");
        for (int i = 0; i < 500; i++) {
            onCounting.recordDegradation(new DegradationEvent("camp-" + i, "wf-" + i, "editor", "editor", "basic_qa",
                    "timeout", clock.instant()));
        }
        itemsRead.clear();

        assertThat(onCounting.snapshot()).containsOnlyKeys("editor", "writer");
        assertThat(itemsRead).containsExactly(2);
    }
}
