package com.campaignflow.local.sfn;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock whose time only moves when someone sleeps on it: a sleep returns at once after
 * advancing the time. Work run with a timeout counts as timed out when it advanced the
 * clock past the timeout (e.g. an in-memory function that "takes" 10 s by sleeping on it).
 */
public final class VirtualClock implements EngineClock {

    private final AtomicLong nanosSinceEpoch;

    public VirtualClock(Instant start) {
        this.nanosSinceEpoch = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
    }

    public VirtualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Instant now() {
        long n = nanosSinceEpoch.get();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!duration.isNegative()) {
            nanosSinceEpoch.addAndGet(duration.toNanos());
        }
    }

    /** Moves time forward without anyone sleeping. */
    public void advance(Duration duration) {
        nanosSinceEpoch.addAndGet(duration.toNanos());
    }

    @Override
    public <T> T callWithTimeout(Callable<T> work, Duration timeout) throws Exception {
        long start = nanosSinceEpoch.get();
        T result = work.call();
        if (nanosSinceEpoch.get() - start > timeout.toNanos()) {
            throw new TimeoutException("work took longer than " + timeout);
        }
        return result;
    }
}
