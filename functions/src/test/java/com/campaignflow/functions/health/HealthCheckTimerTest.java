package com.campaignflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthCheckTimerTest {

    @Test
    void start_checksImmediately() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");
        HealthService health = new HealthService(new InMemoryDocumentTable(), CircuitBreaker.standard(), clock);
        CountDownLatch probed = new CountDownLatch(1);
        HealthChecker checker = new HealthChecker(health, Map::of, Map.of("checkpoint_store", probed::countDown), null);

        try (HealthCheckTimer timer = new HealthCheckTimer(checker, Duration.ofHours(1)).start()) {
            assertThat(probed.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
