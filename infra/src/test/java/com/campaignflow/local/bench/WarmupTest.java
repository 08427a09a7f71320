package com.campaignflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmupTest {

    @Test
    void steady_onlyOnceTheJitTookAtMostFivePercentOfEachOfTheLastThreeWindows() {
        assertThat(Warmup.steady(List.of(0.01, 0.02))).isFalse();
        assertThat(Warmup.steady(List.of(0.6, 0.4, 0.3, 0.04, 0.02))).isFalse();
        assertThat(Warmup.steady(List.of(0.6, 0.4, 0.04, 0.0, 0.05))).isTrue();
        assertThat(Warmup.steady(List.of(0.0, 0.01, 0.2))).isFalse();
    }

    @Test
    void untilSteady_runsAtLeastTheWarmupAndAtMostItsCap() {
        int[] ops = {0};
        long ms = Warmup.untilSteady(() -> {
            ops[0]++;
            long until = System.nanoTime() + 200_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return null;
        }, 100);

        assertThat(ms).isBetween(100L, 100L * Warmup.MAX_FACTOR + 200);
        assertThat(ops[0]).isGreaterThan(10);
    }

    @Test
    void compilerThreadsCpu_isTheSchedstatRunTimeOfTheCompilerThreadsOnly(@TempDir Path proc) throws IOException {
        thread(proc, "101", "C2 CompilerThre\n", "2500000000 1000 30\n");
        thread(proc, "102", "C1 CompilerThre\n", "40000000 2000 7\n");
        thread(proc, "103", "main\n", "9000000000 0 1\n");
        thread(proc, "104", "GC Thread#0\n", "700000000 0 1\n");

        assertThat(Warmup.compilerThreadsCpuNanos(proc)).isEqualTo(Map.of("101", 2_500_000_000L, "102", 40_000_000L));
        assertThat(Warmup.compilerThreadsCpuNanos(proc.resolve("missing"))).isNull();
    }

    @Test
    void compilerThreadsCpu_seesThisJvmsCompilerThreadsOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        // the test JVM has compiled the test framework by now: its compiler threads exist and have run
        assertThat(Warmup.compilerThreadsCpuNanos(Path.of("/proc/self/task"))).isNotEmpty()
                .allSatisfy((thread, nanos) -> assertThat(nanos).isNotNegative());
    }

    private static void thread(Path proc, String tid, String comm, String schedstat) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(tid));
        Files.writeString(dir.resolve("comm"), comm);
        Files.writeString(dir.resolve("schedstat"), schedstat);
    }
}
