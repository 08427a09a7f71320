package com.campaignflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
