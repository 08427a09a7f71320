package com.campaignflow.functions.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link HealthChecker#check()} at a fixed delay: the local cloud's stand-in for the EventBridge schedule of
 * HealthCheckFunction. A failing check is logged and the schedule continues (an uncaught exception would cancel it).
 */
public final class HealthCheckTimer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HealthCheckTimer.class.getName());

    private final HealthChecker checker;
    private final Duration interval;
    private final ScheduledExecutorService executor;

    public HealthCheckTimer(HealthChecker checker, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("health check interval must be positive");
        }
        this.checker = checker;
        this.interval = interval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "campaignflow-health-check");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks now, then every interval. */
    public HealthCheckTimer start() {
        executor.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkQuietly() {
        try {
            checker.check();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health check failed; next one in " + interval, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
