package com.campaignflow.local.bench;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.campaigns.CampaignRecord;
import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.faults.Sleeper;
import com.campaignflow.functions.handlers.Services;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.functions.store.local.InMemoryBlobStore;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.orchestration.StateMachineCatalog;
import com.campaignflow.functions.runtime.AgentRuntime;
import com.campaignflow.functions.runtime.AgentTask;
import com.campaignflow.functions.runtime.Json;
import com.campaignflow.local.sfn.ExecutionOptions;
import com.campaignflow.local.sfn.ExecutionResult;
import com.campaignflow.local.sfn.ExecutionRunner;
import com.campaignflow.local.sfn.ExecutionStatus;
import com.campaignflow.local.sfn.StateMachineDefinition;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.campaignflow.local.sfn.service.ExecutionView;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A six-agent campaign end to end with agents that answer at once: the committed
 * statemachine/campaign-workflow.asl.json, its function placeholders bound to in-process
 * functions that call the real {@link AgentRuntime} (file-backed checkpoints after every
 * agent, campaign/health/performance tables, progress file), run by the journaled
 * {@link LocalStepFunctions} service and, for comparison, by the in-memory engine alone.
 * Also: resume from a checkpoint to the next agent's start, and the same six-step pipeline
 * on LangGraph4j with its FileSystemSaver, measured with the same rounds.
 */
public final class OrchestrationBench {

    static final double TARGET_CAMPAIGN_MEDIAN_MS = 5.0;
    static final double TARGET_RESUME_MEDIAN_MS = 20.0;
    static final double TARGET_RATIO = 4.0;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/campaignflow-sfn";
    /** The agent functions' timeout in template.yaml: the time AgentHandler gives each run (most have 60 s). */
    private static final Duration AGENT_FUNCTION_TIMEOUT = Duration.ofSeconds(60);
    private static final int OUTPUT_CHARS = BenchData.STATE_BYTES / BenchData.STEPS.size();
    /**
     * Campaigns take their agents' outputs from this many distinct sets in turn: more outputs than the checkpoint
     * encoder keeps serialised and compressed, so every campaign's checkpoints serialise and compress its six outputs,
     * as campaigns with their own content do (the same outputs every time would be cache hits after the first).
     */
    static final int DISTINCT_CAMPAIGNS = 32;
    /** Latency sampling stops after this long (once it has MIN_SAMPLES): campaigns on a slow disk take long. */
    private static final long SAMPLE_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int MIN_SAMPLES = 5;

    private final BenchSettings settings;
    /** The storage cases, in the order they run: see {@link #run()}. */
    static final Set<String> STORES = new LinkedHashSet<>(List.of("disk", "disk-no-fsync", "tmpfs", "memory"));

    private final boolean withPeer;
    private final Set<String> stores;
    private final PrintStream log;

    /** @param stores the cases of {@link #STORES} to run */
    public OrchestrationBench(BenchSettings settings, boolean withPeer, Set<String> stores, PrintStream log) {
        this.settings = settings;
        this.withPeer = withPeer;
        this.stores = Set.copyOf(stores);
        this.log = log;
    }

    /**
     * Runs everything twice: with the data directory on the default temp directory (a real
     * disk, where every fsync of the file stores and the journal pays) and on /dev/shm (tmpfs,
     * fsync free) when it exists — the same code, to separate disk latency from our overhead.
     */
    public ObjectNode run() throws Exception {
        ObjectNode report = MAPPER.createObjectNode();
        report.set("machine", MachineInfo.describe());
        var locations = report.putArray("locations");
        List<Path> parents = new ArrayList<>(List.of(Path.of(System.getProperty("java.io.tmpdir"))));
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            parents.add(shm);
        }
        try (TempDirs dirs = new TempDirs()) {
            for (Path parent : parents) {
                for (boolean fsync : parent.equals(shm) ? new boolean[] {true} : new boolean[] {true, false}) {
                    String store = parent.equals(shm) ? "tmpfs" : fsync ? "disk" : "disk-no-fsync";
                    if (!stores.contains(store)) {
                        continue;
                    }
                    Path dir = dirs.create(parent, "campaignflow-bench-orchestration-");
                    String label = Files.getFileStore(dir).type() + (fsync ? "" : ", --fsync false");
                    log.printf("data under %s (%s)%n", parent, label);
                    try (Setup setup = new Setup(dir, false, fsync)) {
                        ObjectNode location = measure(setup, dir, false);
                        location.put("data_dir", parent.toString());
                        location.put("fsync", fsync);
                        location.put("data_dir_filesystem", label);
                        locations.add(location);
                    }
                }
            }
            // The same again with in-memory checkpoint store and tables (the engine journal stays on
            // the last directory above): what orchestration costs without any file persistence.
            if (!stores.contains("memory")) {
                return report;
            }
            Path dir = dirs.create(parents.getLast(), "campaignflow-bench-orchestration-");
            log.println("in-memory stores, journal under " + parents.getLast());
            try (Setup setup = new Setup(dir, true, true)) {
                ObjectNode location = measure(setup, dir, true);
                location.put("fsync", true);
                location.put("data_dir", "in-memory stores (journal under " + parents.getLast() + ")");
                locations.add(location);
            }
        }
        return report;
    }

    /** Agents that answer at once with their campaign's ~8.5 KB output per step; can tell when a step starts. */
    private static final class InstantAgent implements Agent {
        private final String name;
        private final Setup setup;

        InstantAgent(String name, Setup setup) {
            this.name = name;
            this.setup = setup;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AgentOutput run(AgentInput input) {
            setup.stepStarted(input.stepId());
            return new AgentOutput(setup.outputs.get(input.stepId()), 0.8, name + " finished " + input.stepId());
        }
    }

    /** The local cloud for one benchmark run, in one temp directory. */
    private static final class Setup implements AutoCloseable {
        final Services services;
        final AgentRuntime runtime;
        final InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker();
        final LocalStepFunctions sfn;
        final String machineArn;
        final StateMachineDefinition definition;
        final StateMachineCatalog catalog;
        final JsonNode request;
        /** The agents' outputs, one set per campaign in turn (see {@link #DISTINCT_CAMPAIGNS}). */
        final List<Map<String, JsonNode>> outputSets = new ArrayList<>();
        /** The set of the campaign running now (campaigns run one at a time). */
        volatile Map<String, JsonNode> outputs;
        private int campaignsStarted;
        volatile String awaitedStep;
        volatile CompletableFuture<Long> awaited;

        /** @param fsync false: file stores and the engine journal as {@code --fsync false} writes them */
        Setup(Path dir, boolean memoryStores, boolean fsync) throws IOException {
            Path root = BenchSettings.findRoot(Path.of(""));
            request = MAPPER.readTree(root.resolve("events/create-campaign.json").toFile());
            for (int set = 0; set < DISTINCT_CAMPAIGNS; set++) {
                Map<String, JsonNode> outputs = new LinkedHashMap<>();
                for (int i = 0; i < BenchData.STEPS.size(); i++) {
                    String step = BenchData.STEPS.get(i);
                    outputs.put(step, BenchData.agentOutput(step, OUTPUT_CHARS, 7 + i + 10L * set));
                }
                outputSets.add(outputs);
            }
            outputs = outputSets.getFirst();
            Map<String, Agent> agents = new LinkedHashMap<>();
            PlanCompiler.AGENTS.forEach(a -> agents.put(a, new InstantAgent(a, this)));
            if (memoryStores) {
                Map<String, DocumentTable> tables = new LinkedHashMap<>();
                for (String table : List.of("CAMPAIGNS_TABLE", "SERVICE_HEALTH_TABLE", "AGENT_PERFORMANCE_TABLE",
                        "CONNECTIONS_TABLE", "IDEMPOTENCY_TABLE")) {
                    tables.put(table, new InMemoryDocumentTable());
                }
                services = new Services(new InMemoryBlobStore(), tables, message -> { }, agents, null, Sleeper.REAL,
                        Clock.systemUTC());
            } else {
                services = Services.local(dir.resolve("functions"), fsync ? Durability.SYNCED : Durability.PROCESS_SAFE,
                        agents, null, Sleeper.REAL, Clock.systemUTC());
            }
            runtime = services.agentRuntime();

            Map<String, String> arns = new LinkedHashMap<>();
            for (String agent : PlanCompiler.AGENTS) {
                String arn = "arn:aws:lambda:us-east-1:123456789012:function:campaignflow-" + agent;
                String placeholder = PlanCompiler.functionPlaceholder(agent);
                arns.put(placeholder.substring(2, placeholder.length() - 1), arn);
                invoker.register(arn, event -> agentFunction(agent, event));
            }
            String asl = Files.readString(root.resolve("statemachine/campaign-workflow.asl.json"));
            for (var e : arns.entrySet()) {
                asl = asl.replace("${" + e.getKey() + "}", e.getValue());
            }
            if (asl.contains("${")) {
                throw new IllegalStateException("campaign-workflow.asl.json has a placeholder the bench does not bind");
            }
            definition = StateMachineDefinition.parse(asl);
            sfn = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir.resolve("sfn")).withInvoker(invoker)
                    .withFsync(fsync));
            machineArn = sfn.createStateMachine("campaignflow-campaign", asl, ROLE, "STANDARD").arn();
            catalog = new StateMachineCatalog(new LocalWorkflowEngine(sfn, ROLE), new PlanCompiler(), machineArn,
                    "campaignflow-plan-", arns);
        }

        /**
         * The agent Lambda: the same decode / AgentRuntime / encode as AgentHandler, minus the byte streams; with a
         * function's time limit, as AgentHandler passes it (the agent runs on a thread of its own, watched).
         */
        private JsonNode agentFunction(String agent, JsonNode event) {
            AgentTask task = Json.MAPPER.convertValue(event, AgentTask.class);
            if (!agent.equals(task.agent())) {
                throw new IllegalArgumentException("the " + agent + " function got an event for " + task.agent());
            }
            return Json.MAPPER.valueToTree(runtime.handle(task, AGENT_FUNCTION_TIMEOUT));
        }

        void stepStarted(String stepId) {
            CompletableFuture<Long> f = awaited;
            if (f != null && stepId.equals(awaitedStep)) {
                f.complete(System.nanoTime());
            }
        }

        /** A stored campaign record with the default plan (what POST /campaigns leaves before starting). */
        ObjectNode newCampaign(String campaignId) {
            outputs = outputSets.get(campaignsStarted++ % outputSets.size());
            Instant now = Instant.now();
            String workflowId = "wf-" + campaignId;
            ObjectNode req = request.deepCopy();
            req.put("campaign_id", campaignId);
            services.campaigns().create(new CampaignRecord(campaignId, "default", workflowId, null, "running", req,
                    null, now, now, "none", List.of(), null, null, 0, 0));
            ObjectNode input = MAPPER.createObjectNode();
            input.put("workflow_id", workflowId);
            input.put("campaign_id", campaignId);
            input.put("tenant", "default");
            input.put("degradation_level", "none");
            input.putObject("results");
            return input;
        }

        @Override
        public void close() {
            sfn.close();
        }
    }

    private int campaignCounter;

    private ObjectNode measure(Setup setup, Path dir, boolean memoryStores) throws Exception {
        int campaigns = Math.max(1, settings.samples() / 20);
        long warmedMs = Warmup.untilSteady(() -> durableCampaign(setup) + inMemoryCampaign(setup), settings.warmupMs());
        log.printf("warmed up for %d ms%n", warmedMs);
        double[] durableMs = new double[campaigns];
        double[] memoryMs = new double[campaigns];
        long budgetEnd = System.nanoTime() + SAMPLE_BUDGET_NANOS;
        int taken = 0;
        while (taken < campaigns && (taken < Math.min(MIN_SAMPLES, campaigns) || System.nanoTime() < budgetEnd)) {
            durableMs[taken] = durableCampaign(setup);
            memoryMs[taken] = inMemoryCampaign(setup);
            taken++;
        }
        durableMs = Arrays.copyOf(durableMs, taken);
        memoryMs = Arrays.copyOf(memoryMs, taken);
        log.printf("campaign: durable engine median %.2f ms, in-memory engine median %.2f ms%n",
                Stats.of(durableMs).median(), Stats.of(memoryMs).median());

        double[] resumeMs = new double[Math.max(1, campaigns / 2)];
        budgetEnd = System.nanoTime() + SAMPLE_BUDGET_NANOS;
        taken = 0;
        while (taken < resumeMs.length && (taken < Math.min(MIN_SAMPLES, resumeMs.length) || System.nanoTime() < budgetEnd)) {
            resumeMs[taken++] = resume(setup);
        }
        resumeMs = Arrays.copyOf(resumeMs, taken);
        log.printf("resume to next agent's start: median %.2f ms%n", Stats.of(resumeMs).median());

        ObjectNode report = MAPPER.createObjectNode();
        report.put("data_dir_filesystem", memoryStores ? "memory" : Files.getFileStore(dir).type());
        report.put("warmup_ms", warmedMs);
        report.put("langgraph4j_saver", memoryStores ? "MemorySaver" : "FileSystemSaver");
        report.put("methodology", "warmup until the JIT has settled (" + warmedMs + " ms); " + durableMs.length + " campaigns timed on each engine"
                + " (alternating) from StartExecution to the execution's end, the campaign record created beforehand;"
                + " six instant agents with ~" + OUTPUT_CHARS + "-byte outputs (state_data reaches ~50 KB; each campaign"
                + " takes the next of " + DISTINCT_CAMPAIGNS + " output sets, so its outputs are serialised and compressed) through"
                + " AgentRuntime with file-backed stores; throughput: " + settings.rounds() + " rounds of "
                + settings.roundMs() + " ms back-to-back runs per side, alternating, median");
        ObjectNode campaign = report.putObject("campaign_ms");
        campaign.set("journaled_engine", CheckpointBench.latency(Stats.of(durableMs)));
        campaign.set("in_memory_engine", CheckpointBench.latency(Stats.of(memoryMs)));
        report.set("resume_to_next_agent_start_ms", CheckpointBench.latency(Stats.of(resumeMs)));

        // throughput, campaignflow vs LangGraph4j, same round methodology
        int rounds = settings.rounds();
        double[] ours = new double[rounds];
        double[] oursMemory = new double[rounds];
        double[] theirs = new double[rounds];
        double[] oursCpu = new double[rounds];
        double[] oursMemoryCpu = new double[rounds];
        double[] theirsCpu = new double[rounds];
        LangGraphPeer peer = null;
        List<Map<String, String>> texts = new ArrayList<>();
        for (Map<String, JsonNode> set : setup.outputSets) {
            Map<String, String> text = new LinkedHashMap<>();
            set.forEach((step, node) -> text.put(step, node.toString()));
            texts.add(text);
        }
        if (withPeer) {
            Path lgDir = Files.createDirectories(dir.resolve("langgraph4j"));
            peer = new LangGraphPeer(memoryStores ? null : lgDir, texts);
            LangGraphPeer p = peer;
            int[] n = {0};
            long peerWarmedMs = Warmup.untilSteady(() -> {
                if (p.run("warm-" + n[0]++) != BenchData.STEPS.size()) {
                    throw new IllegalStateException("LangGraph4j run did not complete all six steps");
                }
                return null;
            }, settings.warmupMs());
            log.printf("LangGraph4j warmed up for %d ms%n", peerWarmedMs);
        }
        for (int r = 0; r < settings.rounds(); r++) {
            double[] a = throughput(() -> durableCampaign(setup), settings.roundMs());
            double[] b = throughput(() -> inMemoryCampaign(setup), settings.roundMs());
            ours[r] = a[0];
            oursCpu[r] = a[1];
            oursMemory[r] = b[0];
            oursMemoryCpu[r] = b[1];
            if (peer != null) {
                LangGraphPeer p = peer;
                int round = r;
                int[] n = {0};
                double[] c = throughput(() -> p.run("r" + round + "-" + n[0]++), settings.roundMs());
                theirs[r] = c[0];
                theirsCpu[r] = c[1];
            }
            log.printf("  round %d: campaignflow %.1f runs/s (journaled), %.1f (in-memory engine)%s%n", r + 1, ours[r],
                    oursMemory[r], peer != null ? String.format(", LangGraph4j %.1f runs/s", theirs[r]) : "");
        }
        ObjectNode tp = report.putObject("runs_per_s");
        tp.set("campaignflow_journaled", EngineBench.statsJson(Stats.of(ours)));
        tp.set("campaignflow_in_memory_engine", EngineBench.statsJson(Stats.of(oursMemory)));
        ObjectNode cpu = report.putObject("process_cpu_ms_per_run");
        cpu.put("campaignflow_journaled", EngineBench.round(Stats.of(oursCpu).median(), 2));
        cpu.put("campaignflow_in_memory_engine", EngineBench.round(Stats.of(oursMemoryCpu).median(), 2));
        if (peer != null) {
            String name = memoryStores ? "langgraph4j_memorysaver" : "langgraph4j_filesystemsaver";
            tp.set(name, EngineBench.statsJson(Stats.of(theirs)));
            cpu.put(name, EngineBench.round(Stats.of(theirsCpu).median(), 2));
            ObjectNode ratio = report.putObject("ratio_vs_langgraph4j");
            ratio.put("journaled", EngineBench.round(Stats.of(ours).median() / Stats.of(theirs).median(), 2));
            ratio.put("in_memory_engine", EngineBench.round(Stats.of(oursMemory).median() / Stats.of(theirs).median(), 2));
            ratio.put("journaled_per_cpu", EngineBench.round(Stats.of(theirsCpu).median() / Stats.of(oursCpu).median(), 2));
            ratio.put("target", TARGET_RATIO);
        }
        ObjectNode targets = report.putObject("targets");
        targets.put("campaign_median_ms", TARGET_CAMPAIGN_MEDIAN_MS);
        targets.put("campaign_met_journaled", Stats.of(durableMs).median() <= TARGET_CAMPAIGN_MEDIAN_MS);
        targets.put("campaign_met_in_memory_engine", Stats.of(memoryMs).median() <= TARGET_CAMPAIGN_MEDIAN_MS);
        targets.put("resume_median_ms", TARGET_RESUME_MEDIAN_MS);
        targets.put("resume_met", Stats.of(resumeMs).median() <= TARGET_RESUME_MEDIAN_MS);
        return report;
    }

    /** Back-to-back {@code run} calls for about {@code millis}: runs per second and process CPU ms per run. */
    static double[] throughput(Supplier<?> run, long millis) {
        long cpu0 = MachineInfo.processCpuNanos();
        long t0 = System.nanoTime();
        long end = t0 + millis * 1_000_000L;
        long count = 0;
        long now = t0;
        while (now < end) {
            run.get();
            count++;
            now = System.nanoTime();
        }
        double cpuMs = (MachineInfo.processCpuNanos() - cpu0) / 1e6;
        return new double[] {count / ((now - t0) / 1e9), cpuMs / count};
    }

    private double durableCampaign(Setup setup) {
        String id = "c-bench-" + campaignCounter++;
        ObjectNode input = setup.newCampaign(id);
        long t0 = System.nanoTime();
        String arn = setup.sfn.startExecution(setup.machineArn, id, input.toString()).executionArn();
        ExecutionResult result = await(setup, arn);
        long t1 = System.nanoTime();
        check(setup, id, result);
        return (t1 - t0) / 1e6;
    }

    private double inMemoryCampaign(Setup setup) {
        String id = "c-bench-" + campaignCounter++;
        ObjectNode input = setup.newCampaign(id);
        long t0 = System.nanoTime();
        ExecutionResult result = ExecutionRunner.run(setup.definition, input,
                ExecutionOptions.builder().name(id).stateMachineName("campaignflow-campaign").invoker(setup.invoker).build());
        long t1 = System.nanoTime();
        check(setup, id, result);
        return (t1 - t0) / 1e6;
    }

    /** The execution's end; one that ended before we asked has no future left, so it is described instead. */
    private static ExecutionResult await(Setup setup, String executionArn) {
        ExecutionResult result;
        try {
            result = setup.sfn.completion(executionArn).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("execution " + executionArn + " did not end: " + e, e);
        }
        if (result != null) {
            return result;
        }
        ExecutionView view = setup.sfn.describeExecution(executionArn);
        ExecutionStatus status = ExecutionStatus.valueOf(view.status());
        if (status != ExecutionStatus.SUCCEEDED) {
            return ExecutionResult.ended(status, view.error(), view.cause());
        }
        try {
            return ExecutionResult.succeeded(MAPPER.readTree(view.output()));
        } catch (IOException e) {
            throw new IllegalStateException("execution " + executionArn + " has unreadable output", e);
        }
    }

    private static void check(Setup setup, String campaignId, ExecutionResult result) {
        if (result.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("campaign " + campaignId + " did not succeed: " + result.toJson());
        }
        List<CheckpointEntry> written = setup.services.checkpoints().list("wf-" + campaignId);
        if (written.size() != BenchData.STEPS.size()) {
            throw new IllegalStateException("campaign " + campaignId + " wrote " + written.size() + " checkpoints, not 6");
        }
    }

    /**
     * A campaign that ran planner, researcher and writer is resumed from its writer checkpoint
     * the way CampaignService.resume does it: read and verify the checkpoint, plan the steps
     * left, mark the checkpoint recovered, get their state machine from the catalog, start it
     * seeded with the checkpoint's results. Timed until the editor agent's run begins; the execution then finishes untimed.
     */
    private double resume(Setup setup) throws Exception {
        String id = "c-bench-" + campaignCounter++;
        ObjectNode input = setup.newCampaign(id);
        ExecutionResult first = ExecutionRunner.run(setup.definition, input, ExecutionOptions.builder().name(id)
                .stateMachineName("campaignflow-campaign").invoker(setup.invoker).build());
        if (first.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("campaign " + id + " did not succeed: " + first.toJson());
        }
        String checkpointId = "wf-" + id + "/checkpoint_003";

        CompletableFuture<Long> editorStarted = new CompletableFuture<>();
        setup.awaitedStep = "editor";
        setup.awaited = editorStarted;
        long t0 = System.nanoTime();
        Checkpoint checkpoint = setup.services.checkpoints().read(checkpointId);
        ExecutionPlan plan = DefaultPlans.defaultPlan();
        Set<String> done = new LinkedHashSet<>(checkpoint.stateData().completedAgents());
        List<PlanStep> pending = plan.steps().stream().filter(s -> !done.contains(s.stepId())).toList();
        Set<String> remainingIds = new LinkedHashSet<>();
        pending.forEach(s -> remainingIds.add(s.stepId()));
        List<PlanStep> steps = new ArrayList<>();
        for (PlanStep s : pending) {
            steps.add(new PlanStep(s.stepId(), s.agent(), s.dependsOn().stream().filter(remainingIds::contains).toList(),
                    s.fallback(), s.required(), s.parallelGroup(), s.parameters(), s.replaces()));
        }
        ExecutionPlan remaining = new ExecutionPlan(plan.contentType(), plan.strategy(), steps, plan.degradationLevel(),
                plan.qualityThreshold(), plan.limitations());
        setup.services.checkpoints().markStatus(checkpoint.checkpointId(), CheckpointStatus.RECOVERED);
        String machineArn = setup.catalog.stateMachineFor(remaining, done);
        ObjectNode seeded = input.deepCopy();
        ObjectNode results = seeded.putObject("results");
        done.forEach(step -> results.putObject(step).put("checkpoint_id", checkpoint.checkpointId()));
        String arn = setup.sfn.startExecution(machineArn, id + "-retry", seeded.toString()).executionArn();
        long started = editorStarted.get(60, TimeUnit.SECONDS);
        setup.awaited = null;
        ExecutionResult result = await(setup, arn);
        if (result.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("resumed campaign " + id + " did not succeed: " + result.toJson());
        }
        return (started - t0) / 1e6;
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder();
        var m = report.path("machine");
        md.append(String.format("Measured %s on %d cores, %s.%n", m.path("measured_at").asText(),
                m.path("nproc").asInt(), m.path("jdk").asText()));
        for (JsonNode location : report.path("locations")) {
            md.append(String.format("%n### Data under %s (%s)%n%n", location.path("data_dir").asText(),
                    location.path("data_dir_filesystem").asText()));
            location(md, location);
        }
        return md.toString();
    }

    private static void location(StringBuilder md, JsonNode r) {
        md.append("| measurement | median | p95 | min | max | target |\n|---|---:|---:|---:|---:|---:|\n");
        latencyRow(md, "6-agent campaign, journaled engine (ms)", r.path("campaign_ms").path("journaled_engine"), "≤ 5");
        latencyRow(md, "6-agent campaign, in-memory engine (ms)", r.path("campaign_ms").path("in_memory_engine"), "≤ 5");
        latencyRow(md, "resume from checkpoint to next agent's start (ms)", r.path("resume_to_next_agent_start_ms"), "≤ 20");
        md.append("\n| pipeline | runs/s median | min | max | process CPU ms per run |\n|---|---:|---:|---:|---:|\n");
        r.path("runs_per_s").properties().forEach(e -> md.append(String.format("| %s | %.1f | %.1f | %.1f | %.2f |%n",
                e.getKey(), e.getValue().path("median").asDouble(), e.getValue().path("min").asDouble(),
                e.getValue().path("max").asDouble(), r.path("process_cpu_ms_per_run").path(e.getKey()).asDouble())));
        if (r.has("ratio_vs_langgraph4j")) {
            var ratio = r.path("ratio_vs_langgraph4j");
            md.append(String.format("%nRatio vs LangGraph4j (runs/s): %.2fx journaled, %.2fx in-memory engine;"
                    + " per CPU-ms: %.2fx (target ≥ %.0fx).%n", ratio.path("journaled").asDouble(),
                    ratio.path("in_memory_engine").asDouble(), ratio.path("journaled_per_cpu").asDouble(),
                    ratio.path("target").asDouble()));
        }
    }

    private static void latencyRow(StringBuilder md, String name, JsonNode l, String target) {
        md.append(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %s |%n", name, l.path("median").asDouble(),
                l.path("p95").asDouble(), l.path("min").asDouble(), l.path("max").asDouble(), target));
    }
}
