package com.campaignflow.local.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs an operation until the JIT has settled: at least the configured warmup, then on until the JIT compiler
 * spent at most {@link #JIT_SHARE} of the wall time of each of the last {@link #STEADY_WINDOWS} windows, or until
 * {@link #MAX_FACTOR} times the warmup has passed. On two cores the compiler threads take one core from the
 * measured code: after a fixed 5 s warmup the JIT was still compiling for 1–3 s of every 4 s round, and the first
 * case of a run measured 11.6 ms per campaign where the same case measured 5.8–8.3 ms later in the process.
 * <p>
 * The JIT's share is the CPU time of its compiler threads, read from /proc: {@link CompilationMXBean} counts a
 * compilation only once it has finished, and single C2 compilations of the agent runtime take 1–4 s here, so
 * windows of 500 ms looked idle while the compiler held a core (it took 28 s of CPU in the 45 s after such a
 * "settled" warmup). Where /proc is not there, the MXBean's figure is the fallback.
 */
final class Warmup {

    static final int STEADY_WINDOWS = 3;
    static final double JIT_SHARE = 0.05;
    static final int MAX_FACTOR = 36;
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
            JitTimes jit0 = JitTimes.now();
            long t0 = System.nanoTime();
            OrchestrationBench.throughput(op, windowMs);
            long now = System.nanoTime();
            jitShares.add((double) jitNanosSince(jit0) / (now - t0));
            if (now >= maxEnd || (now >= minEnd && steady(jitShares))) {
                return (now - start) / 1_000_000L;
            }
        }
    }

    /** True when the JIT took at most {@link #JIT_SHARE} of each of the last windows. */
    static boolean steady(List<Double> jitShares) {
        if (JitTimes.now().perThread() == null && !JIT.isCompilationTimeMonitoringSupported()) {
            return true; // nothing to wait for that we can see: the minimum warmup it is
        }
        return jitShares.size() >= STEADY_WINDOWS && jitShares.subList(jitShares.size() - STEADY_WINDOWS,
                jitShares.size()).stream().allMatch(share -> share <= JIT_SHARE);
    }

    /** The JIT's CPU time from {@code before} to now, in nanoseconds. */
    private static long jitNanosSince(JitTimes before) {
        JitTimes now = JitTimes.now();
        if (before.perThread() != null && now.perThread() != null) {
            long sum = 0;
            for (var thread : now.perThread().entrySet()) {
                // a thread started in between counts from zero; one that ended (HotSpot stops idle compiler
                // threads) was idle, so what it took with it is next to nothing
                sum += thread.getValue() - before.perThread().getOrDefault(thread.getKey(), 0L);
            }
            return sum;
        }
        return now.finishedCompilationsNanos() - before.finishedCompilationsNanos();
    }

    /**
     * CPU time of HotSpot's compiler threads by thread id, read from /proc (null where it cannot be), and the
     * {@link CompilationMXBean}'s total of finished compilations, the fallback.
     */
    record JitTimes(Map<String, Long> perThread, long finishedCompilationsNanos) {

        static JitTimes now() {
            long finished = JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() * 1_000_000L : 0;
            return new JitTimes(compilerThreadsCpuNanos(Path.of("/proc/self/task")), finished);
        }
    }

    /**
     * The CPU time of each thread under {@code tasks} (a /proc/PID/task directory) named like HotSpot's compiler
     * threads ("C1 CompilerThre", "C2 CompilerThre": names are cut to 15 characters), from its schedstat
     * (nanoseconds on a CPU, running compilations included); null when none can be read.
     */
    static Map<String, Long> compilerThreadsCpuNanos(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<String, Long> times = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        String schedstat = Files.readString(thread.resolve("schedstat")).strip();
                        times.put(thread.getFileName().toString(),
                                Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended since the listing
                }
            }
        } catch (IOException e) {
            return null;
        }
        return times.isEmpty() ? null : times;
    }
}
