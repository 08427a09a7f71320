package com.campaignflow.local.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs an operation until the JIT has settled: at least the configured warmup, then on until the JIT compiler
 * spent at most {@link #JIT_SHARE} of the wall time of each of the last {@link #STEADY_WINDOWS} windows, or until
 * {@link #MAX_FACTOR} times the warmup has passed. On two cores the compiler threads take one core from the
 * measured code: after a fixed 5 s warmup the JIT was still compiling for 1–3 s of every 4 s round, and the first
 * case of a run measured 11.6 ms per campaign where the same case measured 5.8–8.3 ms later in the process.
 */
final class Warmup {

    static final int STEADY_WINDOWS = 3;
    static final double JIT_SHARE = 0.05;
    static final int MAX_FACTOR = 12;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private Warmup() {
    }

    /** @return the milliseconds spent warming up */
    static long untilSteady(Supplier<?> op, long warmupMs) {
        long windowMs = Math.max(50, warmupMs / 10);
        long start = System.nanoTime();
        long minEnd = start + warmupMs * 1_000_000L;
        long maxEnd = start + warmupMs * MAX_FACTOR * 1_000_000L;
        List<Double> jitShares = new ArrayList<>();
        while (true) {
            long jit0 = jitMillis();
            long t0 = System.nanoTime();
            OrchestrationBench.throughput(op, windowMs);
            long now = System.nanoTime();
            jitShares.add((jitMillis() - jit0) / ((now - t0) / 1e6));
            if (now >= maxEnd || (now >= minEnd && steady(jitShares))) {
                return (now - start) / 1_000_000L;
            }
        }
    }

    /** True when the JIT took at most {@link #JIT_SHARE} of each of the last windows. */
    static boolean steady(List<Double> jitShares) {
        if (!JIT.isCompilationTimeMonitoringSupported()) {
            return true; // nothing to wait for that we can see: the minimum warmup it is
        }
        return jitShares.size() >= STEADY_WINDOWS && jitShares.subList(jitShares.size() - STEADY_WINDOWS,
                jitShares.size()).stream().allMatch(share -> share <= JIT_SHARE);
    }

    private static long jitMillis() {
        return JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }
}
