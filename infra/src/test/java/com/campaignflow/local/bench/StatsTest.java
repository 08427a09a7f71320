package com.campaignflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void oddCount_medianIsTheMiddleValue_p95IsNearestRank() {
        Stats s = Stats.of(new double[] {5, 1, 4, 2, 3});

        assertThat(s.median()).isEqualTo(3);
        assertThat(s.p95()).isEqualTo(5);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.spread()).isEqualTo(4.0 / 3);
    }

    @Test
    void evenCount_medianAveragesTheTwoMiddleValues() {
        Stats s = Stats.of(new double[] {10, 40, 20, 30});

        assertThat(s.median()).isEqualTo(25);
        assertThat(s.max()).isEqualTo(40);
    }

    @Test
    void twentySamples_p95IsTheNineteenth() {
        double[] v = new double[20];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        assertThat(Stats.of(v).p95()).isEqualTo(19);
    }

    @Test
    void noSamples_isRefused() {
        assertThatThrownBy(() -> Stats.of(new double[0])).hasMessageContaining("no samples");
    }
}
