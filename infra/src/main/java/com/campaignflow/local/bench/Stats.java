package com.campaignflow.local.bench;

import java.util.Arrays;

/**
 * Summary of repeated measurements: median (the headline figure), spread and nearest-rank p95.
 *
 * @param spread (max - min) / median, the relative range across samples
 */
public record Stats(int samples, double median, double min, double max, double p95, double spread) {

    public static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples to summarise");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
        double spread = median == 0 ? 0 : (sorted[n - 1] - sorted[0]) / median;
        return new Stats(n, median, sorted[0], sorted[n - 1], p95, spread);
    }
}
