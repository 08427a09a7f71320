package com.campaignflow.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final CircuitBreaker breaker = CircuitBreaker.standard();
    private final Instant t0 = Instant.parse("2026-11-26T01:00:00Z");

    private ServiceHealth failures(int n) {
        ServiceHealth h = CircuitBreaker.initial("writer", t0);
        for (int i = 0; i < n; i++) {
            h = breaker.onFailure(h, t0);
        }
        return h;
    }

    @Test
    void consecutiveFailures_moveHealthyToDegradedToCriticalToUnavailable() {
        assertThat(failures(0).healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(failures(1).healthStatus()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(failures(2).healthStatus()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(failures(3).healthStatus()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(failures(4).recoveryTime()).isNull();
        ServiceHealth open = failures(5);
        assertThat(open.healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);
        assertThat(open.recoveryTime()).isEqualTo(t0.plusSeconds(30));
    }

    @Test
    void aFailureCountAtTheIntLimit_staysUnavailable_ratherThanWrappingRoundToHealthy() {
        ServiceHealth atLimit = new ServiceHealth("writer", HealthStatus.UNAVAILABLE, Integer.MAX_VALUE, t0, t0, 1);

        ServiceHealth next = breaker.onFailure(atLimit, t0);

        assertThat(next.failureCount()).isEqualTo(Integer.MAX_VALUE);
        assertThat(next.healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);
        assertThat(next.recoveryTime()).isEqualTo(t0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void openCircuit_refusesUntilRecoveryTimeThenLetsAProbeThrough() {
        ServiceHealth open = failures(5);

        assertThat(breaker.state(open, t0.plusSeconds(29))).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.state(open, t0.plusSeconds(30))).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void halfOpenProbe_successCloses_failureReopensWithLongerBackoff() {
        ServiceHealth open = failures(5);
        Instant probeAt = t0.plusSeconds(31);

        ServiceHealth closed = breaker.onSuccess(open, probeAt);
        assertThat(closed.healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(closed.failureCount()).isZero();
        assertThat(breaker.state(closed, probeAt)).isEqualTo(CircuitBreaker.State.CLOSED);

        ServiceHealth reopened = breaker.onFailure(open, probeAt);
        assertThat(reopened.healthStatus()).isEqualTo(HealthStatus.UNAVAILABLE);
        assertThat(reopened.recoveryTime()).isEqualTo(probeAt.plusSeconds(60));
        assertThat(breaker.state(reopened, probeAt.plusSeconds(59))).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void backoff_isCappedAtTheMaximum() {
        assertThat(breaker.backoff(40)).isEqualTo(Duration.ofMinutes(10));
    }
}
