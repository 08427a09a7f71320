package com.campaignflow.local.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long and where a benchmark runs.
 *
 * @param root    repository root (holds infra/bench and infra/tools)
 * @param warmupMs warmup per case before its measured rounds
 * @param roundMs  length of one measured round (throughput benchmarks)
 * @param rounds   measured rounds per case; the reported figure is their median
 * @param samples  timed operations per latency benchmark (checkpoint writes, campaigns)
 * @param write    whether results go to infra/bench/results
 */
public record BenchSettings(Path root, long warmupMs, long roundMs, int rounds, int samples, boolean write) {

    public static BenchSettings defaults(Path root) {
        return new BenchSettings(root, 5_000, 2_000, 7, 2_000, true);
    }

    /** One short round of each: proves the harness runs, measures nothing worth keeping. */
    public BenchSettings quick() {
        return new BenchSettings(root, 50, 100, 1, 20, false);
    }

    public Path benchDir() {
        return root.resolve("infra/bench");
    }

    public Path resultsDir() {
        return benchDir().resolve("results");
    }

    /** The repository root: the working directory or the nearest parent holding infra/bench. */
    public static Path findRoot(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("infra/bench/definitions"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find infra/bench/definitions from " + start.toAbsolutePath()
                + "; run from the repository or pass --root");
    }
}
