package com.campaignflow.functions.health;

import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker rules, as pure functions of a {@link ServiceHealth}. Consecutive failures move a service
 * healthy → degraded → critical → unavailable; at {@code openAt} failures the circuit opens with a recovery
 * time that backs off exponentially. After the recovery time the circuit is half-open: one probe is let through
 * ({@link HealthService#isAvailable} hands it to one caller), its success closes the circuit, its failure reopens
 * it with a longer backoff.
 */
public final class CircuitBreaker {

    /** Where the circuit stands at a given instant. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int degradedAt;
    private final int criticalAt;
    private final int openAt;
    private final Duration baseBackoff;
    private final Duration maxBackoff;

    public CircuitBreaker(int degradedAt, int criticalAt, int openAt, Duration baseBackoff, Duration maxBackoff) {
        if (!(0 < degradedAt && degradedAt <= criticalAt && criticalAt <= openAt)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 < degraded <= critical <= open");
        }
        this.degradedAt = degradedAt;
        this.criticalAt = criticalAt;
        this.openAt = openAt;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** 1 failure degraded, 3 critical, 5 open; 30 s backoff doubling up to 10 min. */
    public static CircuitBreaker standard() {
        return new CircuitBreaker(1, 3, 5, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public static ServiceHealth initial(String serviceName, Instant now) {
        return new ServiceHealth(serviceName, HealthStatus.HEALTHY, 0, now, null, 0);
    }

    public ServiceHealth onSuccess(ServiceHealth current, Instant now) {
        return new ServiceHealth(current.serviceName(), HealthStatus.HEALTHY, 0, now, null, current.version());
    }

    public ServiceHealth onFailure(ServiceHealth current, Instant now) {
        // saturating, and from no fewer than none: a stored count at the int limit must not wrap round to healthy
        int failures = Math.max(0, current.failureCount()) == Integer.MAX_VALUE ? Integer.MAX_VALUE
                : Math.max(0, current.failureCount()) + 1;
        HealthStatus status = failures >= openAt ? HealthStatus.UNAVAILABLE
                : failures >= criticalAt ? HealthStatus.CRITICAL
                : failures >= degradedAt ? HealthStatus.DEGRADED
                : HealthStatus.HEALTHY;
        Instant recovery = status == HealthStatus.UNAVAILABLE ? now.plus(backoff(failures)) : null;
        return new ServiceHealth(current.serviceName(), status, failures, now, recovery, current.version());
    }

    public State state(ServiceHealth health, Instant now) {
        if (health.healthStatus() != HealthStatus.UNAVAILABLE) {
            return State.CLOSED;
        }
        return health.recoveryTime() == null || !now.isBefore(health.recoveryTime()) ? State.HALF_OPEN : State.OPEN;
    }

    /** base * 2^(failures - openAt), capped at max. */
    Duration backoff(int failures) {
        int doublings = Math.min(Math.max(failures - openAt, 0), 20);
        Duration d = baseBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
