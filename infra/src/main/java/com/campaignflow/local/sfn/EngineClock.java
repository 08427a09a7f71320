package com.campaignflow.local.sfn;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Time as the engine sees it: every Wait, retry interval and timeout goes through here, so
 * tests can run a day-long Wait instantly with a {@link VirtualClock}.
 */
public interface EngineClock {

    Instant now();

    /** Blocks for the duration; interruptible so an aborted execution stops waiting. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Runs the work, giving up after the timeout. Returns the result, or throws
     * {@link TimeoutException} when the work did not finish within the timeout.
     */
    <T> T callWithTimeout(Callable<T> work, Duration timeout) throws Exception;

    /** The wall clock: real sleeps, real preemptive timeouts on a virtual thread. */
    static EngineClock system() {
        return SystemClock.INSTANCE;
    }

    /** The wall-clock implementation. */
    final class SystemClock implements EngineClock {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration);
            }
        }

        @Override
        public <T> T callWithTimeout(Callable<T> work, Duration timeout) throws Exception {
            FutureTask<T> task = new FutureTask<>(work);
            Thread worker = Thread.ofVirtual().name("sfn-task").start(task);
            try {
                return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            } catch (TimeoutException | InterruptedException e) {
                worker.interrupt();
                throw e;
            }
        }
    }
}
