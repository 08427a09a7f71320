package com.campaignflow.local.bench;

import com.campaignflow.local.bench.NodePeer.RoundResult;
import com.campaignflow.local.sfn.ExecutionOptions;
import com.campaignflow.local.sfn.ExecutionResult;
import com.campaignflow.local.sfn.ExecutionRunner;
import com.campaignflow.local.sfn.ExecutionStatus;
import com.campaignflow.local.sfn.StateMachineDefinition;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Engine throughput against aws-local-stepfunctions on the same definition files
 * (infra/bench/definitions/*.asl.json), every Task answered at once by an echo function.
 * Both sides run one execution at a time on one thread; after a warmup their fixed-length
 * rounds alternate so load from other processes hits both alike. Extra rounds on all cores
 * show how the engine scales (the Node peer is single-threaded, so it gets no such figure).
 */
public final class EngineBench {

    static final double TARGET_RATIO = 3.0;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FUNCTION = "bench-step";

    private final BenchSettings settings;
    private final Path node;
    private final boolean withPeer;
    private final PrintStream log;

    public EngineBench(BenchSettings settings, Path node, boolean withPeer, PrintStream log) {
        this.settings = settings;
        this.node = node;
        this.withPeer = withPeer;
        this.log = log;
    }

    /** A definition file compiled for our engine, with what one execution of it looks like. */
    private record Case(String file, StateMachineDefinition definition, int transitions, JsonNode output) {
    }

    public ObjectNode run() throws IOException, InterruptedException {
        Path definitionsDir = settings.benchDir().resolve("definitions");
        List<Path> files;
        try (Stream<Path> s = Files.list(definitionsDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".asl.json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.asl.json in " + definitionsDir);
        }
        Path inputFile = definitionsDir.resolve("input.json");
        JsonNode input = MAPPER.readTree(inputFile.toFile());
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register(FUNCTION, event -> event);

        List<Case> cases = new ArrayList<>();
        for (Path file : files) {
            cases.add(prepare(file, input, invoker));
        }

        ObjectNode report = MAPPER.createObjectNode();
        report.set("machine", MachineInfo.describe());
        report.put("methodology", "one execution at a time per thread, tasks answered at once by an in-process echo"
                + " function; " + settings.warmupMs() + " ms warmup per side and case, then " + settings.rounds()
                + " rounds of " + settings.roundMs() + " ms alternating campaignflow / aws-local-stepfunctions;"
                + " figures are round medians; per-CPU-second figures divide by the whole process's CPU time");
        ArrayNode results = report.putArray("cases");
        NodePeer peer = withPeer ? NodePeer.start(node, settings.root(), inputFile, files) : null;
        try {
            if (peer != null) {
                report.set("peer", peerInfo(peer.header()));
            }
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                if (peer != null) {
                    JsonNode peerOutput = peer.header().path("cases").path(i).path("output");
                    if (!peerOutput.equals(c.output())) {
                        throw new IllegalStateException(c.file() + ": aws-local-stepfunctions returned " + peerOutput
                                + " but campaignflow returned " + c.output() + "; the comparison would be unfair");
                    }
                }
                results.add(measureCase(c, i, input, invoker, peer));
            }
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
        return report;
    }

    private Case prepare(Path file, JsonNode input, InMemoryLambdaInvoker invoker) throws IOException {
        StateMachineDefinition definition = StateMachineDefinition.parse(Files.readString(file));
        AtomicLong entered = new AtomicLong();
        ExecutionOptions options = ExecutionOptions.builder().name("bench-check").invoker(invoker)
                .listener(event -> {
                    if (event.type().name().endsWith("StateEntered")) {
                        entered.incrementAndGet();
                    }
                }).build();
        ExecutionResult result = ExecutionRunner.run(definition, input, options);
        if (result.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException(file.getFileName() + " did not succeed: " + result.toJson());
        }
        return new Case(file.getFileName().toString(), definition, (int) entered.get(), result.output());
    }

    private ObjectNode measureCase(Case c, int index, JsonNode input, InMemoryLambdaInvoker invoker, NodePeer peer)
            throws IOException, InterruptedException {
        log.printf("%s (%d state transitions per execution)%n", c.file(), c.transitions());
        javaRound(c, input, invoker, settings.warmupMs());
        if (peer != null) {
            peer.measure(index, settings.warmupMs());
        }
        double[] ours = new double[settings.rounds()];
        double[] oursCpu = new double[settings.rounds()];
        double[] theirs = new double[settings.rounds()];
        double[] theirsCpu = new double[settings.rounds()];
        for (int r = 0; r < settings.rounds(); r++) {
            RoundResult mine = javaRound(c, input, invoker, settings.roundMs());
            ours[r] = mine.perSecond();
            oursCpu[r] = mine.perCpuSecond();
            String line = String.format("  round %d: campaignflow %,.0f executions/s", r + 1, ours[r]);
            if (peer != null) {
                RoundResult peerRound = peer.measure(index, settings.roundMs());
                theirs[r] = peerRound.perSecond();
                theirsCpu[r] = peerRound.perCpuSecond();
                line += String.format(", aws-local-stepfunctions %,.0f executions/s", theirs[r]);
            }
            log.println(line);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        double[] allCores = new double[settings.rounds()];
        for (int r = 0; r < settings.rounds(); r++) {
            allCores[r] = parallelRound(c, input, invoker, threads, settings.roundMs());
        }

        ObjectNode result = MAPPER.createObjectNode();
        result.put("definition", c.file());
        result.put("transitions_per_execution", c.transitions());
        Stats ourStats = Stats.of(ours);
        result.set("campaignflow", side(ourStats, Stats.of(oursCpu), c.transitions()));
        ObjectNode scaled = MAPPER.createObjectNode();
        scaled.put("threads", threads);
        scaled.set("executions_per_s", statsJson(Stats.of(allCores)));
        result.set("campaignflow_all_cores", scaled);
        if (peer != null) {
            Stats peerStats = Stats.of(theirs);
            Stats peerCpu = Stats.of(theirsCpu);
            result.set("aws_local_stepfunctions", side(peerStats, peerCpu, c.transitions()));
            ObjectNode ratio = MAPPER.createObjectNode();
            ratio.put("executions_per_s", round(ourStats.median() / peerStats.median(), 2));
            ratio.put("executions_per_cpu_s", round(Stats.of(oursCpu).median() / peerCpu.median(), 2));
            ratio.put("target", TARGET_RATIO);
            ratio.put("meets_target", ourStats.median() / peerStats.median() >= TARGET_RATIO);
            result.set("ratio", ratio);
            log.printf("  median: campaignflow %,.0f/s vs aws-local-stepfunctions %,.0f/s = %.2fx%n",
                    ourStats.median(), peerStats.median(), ourStats.median() / peerStats.median());
        }
        return result;
    }

    /** Back-to-back executions on this thread for about {@code millis}. */
    private RoundResult javaRound(Case c, JsonNode input, InMemoryLambdaInvoker invoker, long millis) {
        long cpu0 = MachineInfo.processCpuNanos();
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        long count = 0;
        long now = t0;
        while (now < end) {
            execute(c, input, invoker, count);
            count++;
            now = System.nanoTime();
        }
        double cpuSeconds = (MachineInfo.processCpuNanos() - cpu0) / 1e9;
        return new RoundResult(count, (now - t0) / 1e9, cpuSeconds);
    }

    /** Executions per second with {@code threads} platform threads each running executions back to back. */
    private double parallelRound(Case c, JsonNode input, InMemoryLambdaInvoker invoker, int threads, long millis)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        execute(c, input, invoker, n++);
                    }
                    count.addAndGet(n);
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a benchmark thread failed", e.getCause());
                }
            }
        }
        return count.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static void execute(Case c, JsonNode input, InMemoryLambdaInvoker invoker, long n) {
        ExecutionOptions options = ExecutionOptions.builder().name("bench-" + n).invoker(invoker).build();
        ExecutionResult result = ExecutionRunner.run(c.definition(), input, options);
        if (result.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException(c.file() + " failed while measuring: " + result.toJson());
        }
    }

    private static ObjectNode side(Stats perSecond, Stats perCpuSecond, int transitions) {
        ObjectNode side = MAPPER.createObjectNode();
        side.set("executions_per_s", statsJson(perSecond));
        side.put("transitions_per_s", Math.round(perSecond.median() * transitions));
        side.put("us_per_execution", round(1e6 / perSecond.median(), 2));
        side.set("executions_per_cpu_s", statsJson(perCpuSecond));
        side.put("cpu_us_per_execution", round(1e6 / perCpuSecond.median(), 2));
        return side;
    }

    private static JsonNode peerInfo(JsonNode header) {
        ObjectNode info = MAPPER.createObjectNode();
        info.put("library", header.path("library").asText());
        info.put("library_version", header.path("library_version").asText());
        info.put("node_version", header.path("node_version").asText());
        return info;
    }

    static ObjectNode statsJson(Stats s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("median", round(s.median(), 1));
        n.put("min", round(s.min(), 1));
        n.put("max", round(s.max(), 1));
        n.put("spread_pct", round(100 * s.spread(), 1));
        n.put("samples", s.samples());
        return n;
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** The README table for a report from {@link #run()}. */
    static String markdown(JsonNode report) {
        JsonNode m = report.path("machine");
        JsonNode peer = report.path("peer");
        StringBuilder md = new StringBuilder();
        md.append(String.format("Measured %s on %d cores, %s; %s %s on Node %s.%n%n", m.path("measured_at").asText(),
                m.path("nproc").asInt(), m.path("jdk").asText(), peer.path("library").asText("(no peer)"),
                peer.path("library_version").asText(""), peer.path("node_version").asText("")));
        md.append("| definition | engine | executions/s (median, spread) | transitions/s | µs/execution |"
                + " executions per CPU-s | ratio (wall / CPU) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (JsonNode c : report.path("cases")) {
            String name = c.path("definition").asText().replace(".asl.json", "");
            row(md, name, "campaignflow (1 thread)", c.path("campaignflow"), c.path("ratio"));
            if (c.has("aws_local_stepfunctions")) {
                row(md, name, "aws-local-stepfunctions", c.path("aws_local_stepfunctions"), null);
            }
            JsonNode all = c.path("campaignflow_all_cores");
            md.append(String.format("| %s | campaignflow (%d threads) | %,.0f (±%.0f%%) | %,d | | | |%n", name,
                    all.path("threads").asInt(), all.path("executions_per_s").path("median").asDouble(),
                    all.path("executions_per_s").path("spread_pct").asDouble() / 2,
                    Math.round(all.path("executions_per_s").path("median").asDouble()
                            * c.path("transitions_per_execution").asInt())));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String engine, JsonNode side, JsonNode ratio) {
        JsonNode eps = side.path("executions_per_s");
        md.append(String.format("| %s | %s | %,.0f (±%.0f%%) | %,d | %.1f | %,.0f | %s |%n", name, engine,
                eps.path("median").asDouble(), eps.path("spread_pct").asDouble() / 2,
                side.path("transitions_per_s").asLong(), side.path("us_per_execution").asDouble(),
                side.path("executions_per_cpu_s").path("median").asDouble(),
                ratio == null || ratio.isMissingNode() ? "" : String.format("%.2fx / %.2fx",
                        ratio.path("executions_per_s").asDouble(), ratio.path("executions_per_cpu_s").asDouble())));
    }
}
