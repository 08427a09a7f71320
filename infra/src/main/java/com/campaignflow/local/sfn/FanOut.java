package com.campaignflow.local.sfn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs the jobs of one Parallel state (its branches) or Map state (its iterations), at most
 * {@code maxConcurrency} at once (0 = no limit), and returns once every job that started has
 * ended.
 *
 * <p>The calling thread runs jobs itself, in index order, claiming them one by one (the first
 * before anything can be handed off, so it always runs at least that one). When the
 * fan-out is still running after {@link #HANDOFF_NANOS} — a job waits (Wait state, retry
 * interval, a function that blocks or computes) — a watcher thread starts helper virtual threads
 * that claim the remaining jobs, so slow branches still run side by side. Branches that finish
 * at once (an in-process function answering immediately) thus cost no thread start, park or
 * unpark: with a virtual thread per branch, a 3-branch Parallel of such Tasks cost ~6x six
 * sequential Tasks, mostly the scheduler's carrier threads spinning and parking between them.
 *
 * <p>{@link #stop} ends the fan-out early: no job starts any more, and every thread running one
 * (the caller included, while it runs a job) is interrupted. Jobs handle their own failures; a
 * job that throws anyway stops the fan-out and the throwable is rethrown by {@link #run}.
 */
final class FanOut {

    /** How long the caller runs jobs alone before the unclaimed ones go to helper threads. */
    static final long HANDOFF_NANOS = 500_000;

    private final int jobs;
    private final int maxConcurrency;
    private final long handOffNanos;
    private final Set<Thread> executionThreads;
    private final Thread owner = Thread.currentThread();
    private final AtomicInteger next = new AtomicInteger();
    private IntConsumer job;
    private long startedNanos;
    private volatile boolean stopped;
    private volatile boolean ownerRunning;
    private volatile Throwable crashed;
    /** Set once the caller stopped claiming; no helper starts after it. */
    private volatile boolean closed;
    // guarded by this
    private List<Thread> helpers;
    private volatile int helpersRunning;

    /**
     * @param executionThreads the execution's running threads (aborting the execution interrupts
     *                         them); helper threads add themselves while they run
     */
    FanOut(int jobs, int maxConcurrency, Set<Thread> executionThreads) {
        this(jobs, maxConcurrency, executionThreads, HANDOFF_NANOS);
    }

    /** As above, handing off after {@code handOffNanos} instead of {@link #HANDOFF_NANOS}. */
    FanOut(int jobs, int maxConcurrency, Set<Thread> executionThreads, long handOffNanos) {
        this.jobs = jobs;
        this.maxConcurrency = maxConcurrency;
        this.executionThreads = executionThreads;
        this.handOffNanos = handOffNanos;
    }

    /**
     * Runs job(0) … job(jobs - 1) on this thread (the one that created the fan-out) and, when
     * they take time, on helpers. Returns with this thread's interrupt status cleared: an
     * interrupt that arrived meanwhile stopped the fan-out (see {@link #stopped}).
     */
    void run(IntConsumer work) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a fan-out runs on the thread that created it");
        }
        this.job = work;
        // claimed before the watcher can see this fan-out: a caller descheduled for longer than the
        // hand-off delay still runs a job instead of waiting for helpers to run them all
        int first = stopped ? -1 : next.getAndIncrement();
        boolean handOff = jobs > 1 && maxConcurrency != 1;
        if (handOff) {
            startedNanos = System.nanoTime();
            Watcher.watch(this);
        }
        ownerRunning = true;
        try {
            work(first);
        } finally {
            ownerRunning = false;
            closed = true;
        }
        if (handOff) {
            synchronized (this) {
                // after this no helper starts (spawn checks closed under the same lock)
            }
            while (helpersRunning > 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    stop(); // aborted, cancelled from above, or from outside: the helpers stop too
                }
            }
        }
        if (Thread.interrupted()) {
            stop();
        }
        Throwable t = crashed;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a Parallel branch or Map iteration failed unexpectedly", t);
        }
    }

    /** True once {@link #stop} was called or the caller was interrupted: some jobs may not have run. */
    boolean stopped() {
        return stopped;
    }

    /** How many jobs were started; jobs from this index on never ran (only after a stop). */
    int started() {
        return Math.min(next.get(), jobs);
    }

    /** No job starts any more; the threads running jobs are interrupted (not the calling one). */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Thread self = Thread.currentThread();
        if (ownerRunning && owner != self) {
            owner.interrupt();
        }
        List<Thread> running;
        synchronized (this) {
            running = helpers == null ? List.of() : List.copyOf(helpers);
        }
        for (Thread helper : running) {
            if (helper != self) {
                helper.interrupt();
            }
        }
    }

    /** Runs {@code claimed} (an index already taken from {@link #next}; -1 for none), then claims more. */
    private void work(int claimed) {
        try {
            int i = claimed;
            while (true) {
                if (i < 0) {
                    if (stopped) {
                        return;
                    }
                    i = next.getAndIncrement();
                }
                if (i >= jobs) {
                    return;
                }
                job.accept(i); // a claimed job runs even if a stop came meanwhile: started() counts it
                i = -1;
            }
        } catch (Throwable t) {
            synchronized (this) {
                if (crashed == null) {
                    crashed = t;
                }
            }
            stop();
        }
    }

    /** Called by the watcher: true when this fan-out needs no more watching. */
    private boolean handOffIfSlow(long now) {
        if (closed) {
            return true;
        }
        if (now - startedNanos < handOffNanos) {
            return false;
        }
        List<Thread> started = new ArrayList<>();
        synchronized (this) {
            if (closed || stopped) {
                return true;
            }
            int unclaimed = jobs - started();
            // the caller is one of the runners, so it counts against MaxConcurrency
            int count = maxConcurrency > 0 ? Math.min(unclaimed, maxConcurrency - 1) : unclaimed;
            helpers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Thread helper = Thread.ofVirtual().unstarted(this::help);
                helpers.add(helper);
                started.add(helper);
            }
            helpersRunning = count;
        }
        for (Thread helper : started) {
            try {
                helper.start();
            } catch (RuntimeException | Error e) {
                helperEnded(); // e.g. out of memory: the caller and the other helpers carry on
            }
        }
        return true;
    }

    private void help() {
        Thread self = Thread.currentThread();
        executionThreads.add(self);
        try {
            work(-1);
        } finally {
            executionThreads.remove(self);
            helperEnded();
        }
    }

    private void helperEnded() {
        boolean last;
        synchronized (this) {
            last = --helpersRunning == 0;
        }
        if (last) {
            LockSupport.unpark(owner);
        }
    }

    /**
     * One daemon thread for the process: every {@link #TICK_NANOS} it looks at the fan-outs
     * registered since, and hands off those running longer than their hand-off delay (so a
     * fan-out is handed off 0.5–1 ms after it began). Polling costs one wake-up per tick however
     * many fan-outs run; it parks for good after a quiet spell and is unparked by the next one.
     */
    private static final class Watcher {
        static final long TICK_NANOS = HANDOFF_NANOS;
        static final int QUIET_TICKS_BEFORE_IDLE = 200;
        private static final ConcurrentLinkedQueue<FanOut> INCOMING = new ConcurrentLinkedQueue<>();
        private static volatile boolean idle;
        private static final Thread THREAD = start();

        private static Thread start() {
            Thread t = new Thread(Watcher::loop, "sfn-fanout-watcher");
            t.setDaemon(true);
            t.start();
            return t;
        }

        static void watch(FanOut fanOut) {
            INCOMING.add(fanOut);
            if (idle) {
                LockSupport.unpark(THREAD);
            }
        }

        private static void loop() {
            List<FanOut> watched = new ArrayList<>();
            int quiet = 0;
            while (true) {
                try {
                    boolean any = false;
                    for (FanOut f; (f = INCOMING.poll()) != null; ) {
                        watched.add(f);
                        any = true;
                    }
                    long now = System.nanoTime();
                    watched.removeIf(f -> f.handOffIfSlow(now));
                    quiet = any || !watched.isEmpty() ? 0 : quiet + 1;
                    if (quiet >= QUIET_TICKS_BEFORE_IDLE) {
                        idle = true;
                        if (INCOMING.isEmpty()) {
                            LockSupport.park();
                        }
                        idle = false;
                        quiet = 0;
                    } else {
                        LockSupport.parkNanos(TICK_NANOS);
                    }
                } catch (Throwable t) {
                    // e.g. no memory for a helper thread: keep watching the others
                    watched.removeIf(f -> f.closed);
                }
            }
        }
    }
}
