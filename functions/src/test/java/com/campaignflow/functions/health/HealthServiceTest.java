package com.campaignflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.store.local.FileDocumentTable;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.Concurrently;
import com.campaignflow.functions.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    void halfOpenCircuit_letsOneProbeThrough_untilItReportsOrItsLeaseRunsOut(@TempDir Path dir) throws Exception {
        HealthService onFiles = new HealthService(new FileDocumentTable(dir, "health"), CircuitBreaker.standard(), clock);
        for (int i = 0; i < 5; i++) {
            onFiles.recordFailure("editor", "timeout");
        }
        clock.advance(Duration.ofSeconds(30));

        var answers = Concurrently.run(8, i -> () -> onFiles.isAvailable("editor"));
        assertThat(answers).containsOnlyOnce(true);
        assertThat(onFiles.isAvailable("editor")).isFalse();

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
    void degradationEvents_areQueryablePerCampaign_andARetriedFallbackIsStoredOnce() {
        Instant at = clock.instant();
        DegradationEvent event = new DegradationEvent("camp-1", "wf-1", "researcher", "researcher", "basic_research",
                "AgentFailedException: no sources", at);
        health.recordDegradation(event);
        clock.advance(java.time.Duration.ofSeconds(5));
        health.recordDegradation(new DegradationEvent("camp-1", "wf-1", "researcher", "researcher", "basic_research",
                "AgentFailedException: no sources", clock.instant()));
        health.recordDegradation(new DegradationEvent("camp-2", "wf-2", "editor", "editor", "basic_qa", "timeout", at));
        health.recordFailure("editor", "timeout");

        assertThat(health.degradationEvents("camp-1")).containsExactly(event);
        assertThat(health.recentDegradations(at.minusSeconds(1), 10)).hasSize(2);
        assertThat(health.snapshot()).containsOnlyKeys("editor");
    }
}
