package com.campaignflow.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code local bench <engine|checkpoints|orchestration> [options]}: runs one benchmark,
 * prints its figures and writes infra/bench/results/NAME.json and NAME.md.
 */
public final class BenchCommand {

    public static final String USAGE = """
            usage: bench <engine|checkpoints|orchestration> [--quick] [--rounds N] [--round-ms N]
                         [--warmup-ms N] [--samples N] [--root DIR] [--node PATH] [--no-peer] [--no-write]
                         [--stores disk,disk-no-fsync,tmpfs,memory]
              --quick      one short round: checks the harness runs, writes nothing
              --stores     orchestration: only these storage cases (default: all)
              --no-peer    skip the comparison peer (aws-local-stepfunctions / LangGraph4j)
              --no-write   print only, leave infra/bench/results alone""";

    private BenchCommand() {
    }

    /** One benchmark: settings in, report out (JSON with a "markdown" rendering). */
    @FunctionalInterface
    interface Benchmark {
        Result run(BenchSettings settings, Options options, PrintStream log) throws Exception;
    }

    record Options(Path node, boolean withPeer, Set<String> stores) {
    }

    record Result(ObjectNode json, String markdown) {
    }

    private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("engine", (settings, options, log) -> {
            ObjectNode json = new EngineBench(settings, options.node(), options.withPeer(), log).run();
            return new Result(json, EngineBench.markdown(json));
        });
        BENCHMARKS.put("checkpoints", (settings, options, log) -> {
            ObjectNode json = new CheckpointBench(settings, log).run();
            return new Result(json, CheckpointBench.markdown(json));
        });
        BENCHMARKS.put("orchestration", (settings, options, log) -> {
            ObjectNode json = new OrchestrationBench(settings, options.withPeer(), options.stores(), log).run();
            return new Result(json, OrchestrationBench.markdown(json));
        });
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            err.println((args.length == 0 ? "missing benchmark" : "unknown benchmark \"" + args[0] + "\"") + "\n" + USAGE);
            return 2;
        }
        String name = args[0];
        boolean quick = false;
        boolean withPeer = true;
        boolean write = true;
        Long rounds = null;
        Long roundMs = null;
        Long warmupMs = null;
        Long samples = null;
        Path root = null;
        Path node = null;
        Set<String> stores = OrchestrationBench.STORES;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--no-peer" -> withPeer = false;
                    case "--no-write" -> write = false;
                    case "--rounds" -> rounds = positive(args, ++i);
                    case "--round-ms" -> roundMs = positive(args, ++i);
                    case "--warmup-ms" -> warmupMs = positive(args, ++i);
                    case "--samples" -> samples = positive(args, ++i);
                    case "--root" -> root = Path.of(value(args, ++i));
                    case "--node" -> node = Path.of(value(args, ++i));
                    case "--stores" -> stores = stores(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option \"" + args[i] + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            BenchSettings base = BenchSettings.defaults(root != null ? root : BenchSettings.findRoot(Path.of("")));
            BenchSettings s = quick ? base.quick() : base;
            s = new BenchSettings(s.root(), warmupMs != null ? warmupMs : s.warmupMs(),
                    roundMs != null ? roundMs : s.roundMs(), rounds != null ? rounds.intValue() : s.rounds(),
                    samples != null ? samples.intValue() : s.samples(), s.write() && write);
            Options options = new Options(node != null ? node : NodePeer.defaultNode(s.root()), withPeer, stores);
            Result result = BENCHMARKS.get(name).run(s, options, err);
            out.println(result.markdown());
            if (s.write()) {
                Files.createDirectories(s.resultsDir());
                Path json = s.resultsDir().resolve(name + ".json");
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result.json());
                Files.writeString(s.resultsDir().resolve(name + ".md"), result.markdown());
                out.println("wrote " + json + " and " + name + ".md");
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench " + name + " interrupted");
            return 1;
        } catch (Exception e) {
            err.println("bench " + name + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static Set<String> stores(String[] args, int i) {
        Set<String> chosen = new LinkedHashSet<>(List.of(value(args, i).split(",")));
        for (String store : chosen) {
            if (!OrchestrationBench.STORES.contains(store)) {
                throw new IllegalArgumentException("--stores takes some of " + String.join(",", OrchestrationBench.STORES)
                        + ", got \"" + store + "\"");
            }
        }
        return chosen;
    }

    private static long positive(String[] args, int i) {
        String v = value(args, i);
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(args[i - 1] + " needs a positive whole number, got \"" + v + "\"");
    }
}
