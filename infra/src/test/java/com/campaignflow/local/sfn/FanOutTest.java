package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** How Parallel branches and Map iterations are spread over threads. */
class FanOutTest {

    private final Set<Thread> executionThreads = ConcurrentHashMap.newKeySet();

    @Test
    void jobsWithinTheHandOffDelay_runOnTheCallingThreadInOrder() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        FanOut fan = new FanOut(100, 0, executionThreads, Long.MAX_VALUE);

        fan.run(i -> {
            order.add(i);
            ran.add(Thread.currentThread());
        });

        assertThat(ran).containsExactly(Thread.currentThread());
        assertThat(order).hasSize(100).isSorted();
        assertThat(fan.stopped()).isFalse();
        assertThat(fan.started()).isEqualTo(100);
    }

    @Test
    void jobsThatWait_areHandedToHelpersAndRunTogether() {
        CyclicBarrier all = new CyclicBarrier(3);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        Set<Thread> registered = ConcurrentHashMap.newKeySet();
        FanOut fan = new FanOut(3, 0, executionThreads);

        fan.run(i -> {
            ran.add(Thread.currentThread());
            if (executionThreads.contains(Thread.currentThread())) {
                registered.add(Thread.currentThread());
            }
            await(all); // only passes when the three run at the same time
        });

        assertThat(ran).hasSize(3).contains(Thread.currentThread());
        assertThat(registered).as("helpers are execution threads while they run (an abort interrupts them)")
                .hasSize(2);
        assertThat(executionThreads).isEmpty();
    }

    @Test
    void maxConcurrency_countsTheCallingThreadAsARunner() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        CyclicBarrier pairs = new CyclicBarrier(2);
        FanOut fan = new FanOut(6, 2, executionThreads);

        fan.run(i -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                await(pairs);
            } finally {
                active.decrementAndGet();
            }
        });

        assertThat(maxActive.get()).isEqualTo(2);
        assertThat(fan.started()).isEqualTo(6);
    }

    @Test
    void maxConcurrencyOne_runsEveryJobOnTheCallingThread() {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        FanOut fan = new FanOut(3, 1, executionThreads);

        fan.run(i -> {
            ran.add(Thread.currentThread());
            if (i == 0) {
                // 40x the hand-off delay: slow enough that helpers would have started
                LockSupport.parkNanos(FanOut.HANDOFF_NANOS * 40);
            }
        });

        assertThat(ran).containsExactly(Thread.currentThread());
    }

    @Test
    void stop_interruptsRunningJobsAndStartsNoMore() {
        CountDownLatch helpersBlocked = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        List<Integer> interrupted = new CopyOnWriteArrayList<>();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicReference<FanOut> self = new AtomicReference<>();
        FanOut fan = new FanOut(4, 3, executionThreads);
        self.set(fan);

        fan.run(i -> {
            ran.add(i);
            if (i == 0) {
                awaitQuietly(helpersBlocked, 5);
                self.get().stop();
                return;
            }
            helpersBlocked.countDown();
            try {
                never.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.add(i);
            }
        });

        assertThat(fan.stopped()).isTrue();
        assertThat(interrupted).containsExactlyInAnyOrder(1, 2);
        assertThat(ran).doesNotContain(3);
        assertThat(fan.started()).isEqualTo(3);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aJobThatThrows_stopsTheOthersAndIsRethrown() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        FanOut fan = new FanOut(3, 1, executionThreads);

        assertThatThrownBy(() -> fan.run(i -> {
            ran.add(i);
            throw new IllegalStateException("bug in job " + i);
        })).isInstanceOf(IllegalStateException.class).hasMessage("bug in job 0");

        assertThat(ran).containsExactly(0);
        assertThat(fan.stopped()).isTrue();
    }

    @Test
    void anInterruptOfTheCallingThread_stopsTheFanOutAndIsConsumed() {
        FanOut fan = new FanOut(2, 0, executionThreads);

        fan.run(i -> Thread.currentThread().interrupt());

        assertThat(fan.stopped()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void run_refusesAnotherThreadThanTheCreator() throws Exception {
        FanOut fan = new FanOut(1, 0, executionThreads);
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Thread other = Thread.ofVirtual().start(() -> {
            try {
                fan.run(i -> { });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.join();

        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the jobs did not run together: " + e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
