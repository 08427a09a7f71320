package com.campaignflow.local.bench;

import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.functions.store.local.FileBlobStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;

/**
 * Checkpoint writes of a 50 KB state through the real {@link CheckpointManager} over a
 * {@link FileBlobStore} in a temp directory: gzip, content hash, create-if-absent write
 * (fsync'd temp file + hard link), metadata.json update, cap check — one {@code create} call.
 * Six checkpoints per workflow, as a six-step campaign writes. Also times the two biggest
 * parts alone (serialise + gzip; one atomic blob write) to show where the time goes.
 */
public final class CheckpointBench {

    static final double TARGET_MEDIAN_MS = 1.0;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** CPU time of the writing thread: what a write costs apart from waiting for the disk or a busy CPU. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** More states than CheckpointManager keeps compressed agent outputs of, so timed writes compress anew. */
    private static final int DISTINCT_STATES = 32;

    private final BenchSettings settings;
    private final PrintStream log;

    public CheckpointBench(BenchSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Measures on the default temp directory (a real disk: every fsync pays) and, where
     * /dev/shm exists, on tmpfs (fsync is free), which shows the CPU part of a write alone.
     */
    public ObjectNode run() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (TempDirs dirs = new TempDirs()) {
            ObjectNode report = measureIn(dirs, tmp, Durability.SYNCED);
            ObjectNode unsynced = measureIn(dirs, tmp, Durability.PROCESS_SAFE); // what --fsync false writes
            unsynced.remove(List.of("machine", "methodology", "target_median_ms", "meets_target"));
            report.set("no_fsync", unsynced);
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                ObjectNode memory = measureIn(dirs, shm, Durability.SYNCED);
                memory.remove(List.of("machine", "methodology", "target_median_ms", "meets_target"));
                report.set("tmpfs", memory);
            }
            return report;
        }
    }

    private ObjectNode measureIn(TempDirs dirs, Path parent, Durability durability) throws IOException {
        ObjectNode report = measure(dirs.create(parent, "campaignflow-bench-checkpoints-"), durability);
        report.put("fsync", durability == Durability.SYNCED);
        return report;
    }

    private ObjectNode measure(Path dir, Durability durability) throws IOException {
        FileBlobStore store = new FileBlobStore(dir, durability);
        CheckpointManager checkpoints = new CheckpointManager(store, Clock.systemUTC(), CheckpointPolicy.DEFAULT);
        // Distinct states, more than the encoder keeps compressed outputs of: every timed write compresses a
        // whole new ~50 KB state (the worst case, and the figure held against the target).
        List<StateData> states = new java.util.ArrayList<>();
        for (int i = 0; i < DISTINCT_STATES; i++) {
            states.add(new StateData(BenchData.STEPS, List.of(), BenchData.fullState(42 + 10L * i), 100));
        }
        StateData state = states.getFirst();

        // warmup, then timed writes; a fresh workflow every six writes
        int[] warm = {0};
        long warmedMs = Warmup.untilSteady(
                () -> writeCampaign(checkpoints, step -> states.get(step), "wf-warm-" + warm[0]++, null, null, 0),
                settings.warmupMs());
        int workflow = warm[0];
        double[] writeMs = new double[settings.samples()];
        double[] writeCpuMs = new double[settings.samples()];
        CheckpointEntry last = null;
        for (int done = 0; done < writeMs.length; workflow++) {
            int base = done;
            last = writeCampaign(checkpoints, step -> states.get((base + step) % states.size()), "wf-bench-" + workflow,
                    writeMs, writeCpuMs, done);
            done += Math.min(BenchData.STEPS.size(), writeMs.length - done);
        }
        // The same all-new writes of states the product's own agents wrote (their outputs repeat each other)
        List<StateData> agentStates = new java.util.ArrayList<>();
        for (int i = 0; i < DISTINCT_STATES; i++) {
            agentStates.add(new StateData(BenchData.STEPS, List.of(), BenchData.agentOutputsState(i), 100));
        }
        double[] agentWriteMs = new double[settings.samples()];
        double[] agentWriteCpuMs = new double[settings.samples()];
        CheckpointEntry lastOfAgents = null;
        for (int done = 0; done < agentWriteMs.length; workflow++) {
            int base = done;
            lastOfAgents = writeCampaign(checkpoints, step -> agentStates.get((base + step) % agentStates.size()),
                    "wf-agents-" + workflow, agentWriteMs, agentWriteCpuMs, done);
            done += Math.min(BenchData.STEPS.size(), agentWriteMs.length - done);
        }
        // As in a campaign: checkpoint k holds the outputs of steps 1..k, step k's new, the others carried over.
        double[] campaignWriteMs = new double[settings.samples()];
        double[] campaignWriteCpuMs = new double[settings.samples()];
        for (int done = 0, n = 0; done < campaignWriteMs.length; workflow++, n++) {
            StateData full = states.get(n % states.size());
            writeCampaign(checkpoints, step -> growing(full, step), "wf-campaign-" + workflow, campaignWriteMs,
                    campaignWriteCpuMs, done);
            done += Math.min(BenchData.STEPS.size(), campaignWriteMs.length - done);
        }
        Checkpoint stored = checkpoints.read(last.checkpointId());
        byte[] rawJson = MAPPER.writeValueAsBytes(stored.toJson());
        long compressed = last.sizeBytes();

        double[] gzipMs = new double[Math.min(settings.samples(), 500)];
        double[] gzipCpuMs = new double[gzipMs.length];
        double[] putMs = new double[gzipMs.length];
        for (int i = 0; i < gzipMs.length; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            byte[] gz = gzip(MAPPER.writeValueAsBytes(stored.toJson()));
            long t1 = System.nanoTime();
            gzipCpuMs[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            store.put("bench/raw-" + (i % 16), gz);
            long t2 = System.nanoTime();
            gzipMs[i] = (t1 - t0) / 1e6;
            putMs[i] = (t2 - t1) / 1e6;
        }
        // Cold: a manager that never saw the checkpoint (another function's container) gunzips, parses and
        // verifies the content hash. Warm: the manager that wrote it (the next agent in the same local cloud)
        // compares the stored bytes with the ones it wrote and skips the decode.
        double[] readMs = new double[gzipMs.length];
        double[] warmReadMs = new double[gzipMs.length];
        for (int i = 0; i < readMs.length; i++) {
            CheckpointManager cold = new CheckpointManager(store, Clock.systemUTC(), CheckpointPolicy.DEFAULT);
            long t0 = System.nanoTime();
            cold.read(last.checkpointId());
            long t1 = System.nanoTime();
            checkpoints.read(last.checkpointId());
            readMs[i] = (t1 - t0) / 1e6;
            warmReadMs[i] = (System.nanoTime() - t1) / 1e6;
        }

        ObjectNode report = MAPPER.createObjectNode();
        report.set("machine", MachineInfo.describe());
        report.put("store_dir", dir.getParent().toString());
        report.put("store_dir_filesystem", Files.getFileStore(dir).type());
        report.put("warmup_ms", warmedMs);
        report.put("methodology", "warmup until the JIT has settled (at least " + settings.warmupMs()
                + " ms), then " + settings.samples()
                + " timed CheckpointManager.create calls (six per workflow, fresh temp directory); state_data has "
                + "six ~8.5 KB agent outputs of seeded pseudo-prose, all new in each write (" + DISTINCT_STATES
                + " distinct states in turn); the same writes of states the rule-based agents wrote for "
                + DISTINCT_STATES + " campaigns (writer target_words " + BenchData.AGENT_ARTICLE_WORDS
                + ": the editor's, SEO's and distribution's outputs repeat the article); then as many writes as in"
                + " campaigns: checkpoint k holds steps 1..k, step k's output new");
        ObjectNode sizes = report.putObject("sizes");
        sizes.put("state_data_json_bytes", MAPPER.writeValueAsBytes(state.toJson()).length);
        sizes.put("checkpoint_json_bytes", rawJson.length);
        sizes.put("checkpoint_gzip_bytes", compressed);
        sizes.put("compression_ratio", EngineBench.round((double) rawJson.length / compressed, 2));
        sizes.put("compressed_percent_of_raw", EngineBench.round(100.0 * compressed / rawJson.length, 1));
        report.set("write_ms", latency(Stats.of(writeMs)));
        report.set("write_thread_cpu_ms", latency(Stats.of(writeCpuMs)));
        report.set("agent_outputs_write_ms", latency(Stats.of(agentWriteMs)));
        report.set("agent_outputs_write_thread_cpu_ms", latency(Stats.of(agentWriteCpuMs)));
        byte[] agentJson = MAPPER.writeValueAsBytes(checkpoints.read(lastOfAgents.checkpointId()).toJson());
        sizes.put("agent_outputs_state_data_json_bytes",
                MAPPER.writeValueAsBytes(agentStates.getFirst().toJson()).length);
        sizes.put("agent_outputs_checkpoint_json_bytes", agentJson.length);
        sizes.put("agent_outputs_checkpoint_gzip_bytes", lastOfAgents.sizeBytes());
        sizes.put("agent_outputs_compressed_percent_of_raw",
                EngineBench.round(100.0 * lastOfAgents.sizeBytes() / agentJson.length, 1));
        report.set("campaign_write_ms", latency(Stats.of(campaignWriteMs)));
        report.set("campaign_write_thread_cpu_ms", latency(Stats.of(campaignWriteCpuMs)));
        ObjectNode parts = report.putObject("parts_ms");
        parts.set("serialise_and_gzip", latency(Stats.of(gzipMs)));
        parts.set("serialise_and_gzip_thread_cpu", latency(Stats.of(gzipCpuMs)));
        parts.set("atomic_blob_put_fsync", latency(Stats.of(putMs)));
        parts.set("read_and_verify", latency(Stats.of(readMs)));
        parts.set("read_unchanged_by_the_writer", latency(Stats.of(warmReadMs)));
        report.put("target_median_ms", TARGET_MEDIAN_MS);
        report.put("meets_target", Stats.of(writeMs).median() <= TARGET_MEDIAN_MS);
        log.printf("%s: checkpoint write median %.3f ms, p95 %.3f ms; %d -> %d bytes%n", dir.getParent(), Stats.of(writeMs).median(),
                Stats.of(writeMs).p95(), rawJson.length, compressed);
        return report;
    }

    private static CheckpointEntry writeCampaign(CheckpointManager checkpoints, IntFunction<StateData> stateAtStep,
            String workflowId, double[] times, double[] cpuTimes, int offset) {
        CheckpointEntry last = null;
        for (int i = 0; i < BenchData.STEPS.size() && (times == null || offset + i < times.length); i++) {
            String step = BenchData.STEPS.get(i);
            NewCheckpoint draft = new NewCheckpoint(workflowId, "c-bench", "exec-1", step, step,
                    "agent_" + step + "_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                    stateAtStep.apply(i), "Continue from " + step, List.of("continue", "retry", "skip"), 0.8,
                    step + " completed", 5);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            last = checkpoints.create(draft);
            if (times != null) {
                times[offset + i] = (System.nanoTime() - t0) / 1e6;
                cpuTimes[offset + i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            }
        }
        return last;
    }

    /** The state after step {@code step} of a campaign whose last state is {@code full}. */
    private static StateData growing(StateData full, int step) {
        var data = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (int i = 0; i <= step; i++) {
            data.set(BenchData.STEPS.get(i), full.intermediateData().get(BenchData.STEPS.get(i)));
        }
        return new StateData(BenchData.STEPS.subList(0, step + 1), List.of(), data,
                Math.round(100f * (step + 1) / BenchData.STEPS.size()));
    }

    /** Deflate level 1, as CheckpointManager writes checkpoints. */
    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static ObjectNode latency(Stats s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("median", EngineBench.round(s.median(), 3));
        n.put("p95", EngineBench.round(s.p95(), 3));
        n.put("min", EngineBench.round(s.min(), 3));
        n.put("max", EngineBench.round(s.max(), 3));
        n.put("samples", s.samples());
        return n;
    }

    static String markdown(ObjectNode r) {
        StringBuilder md = new StringBuilder();
        var m = r.path("machine");
        md.append(String.format("Measured %s on %d cores, %s.%n%n", m.path("measured_at").asText(),
                m.path("nproc").asInt(), m.path("jdk").asText()));
        md.append("| store | operation | median ms | p95 ms | min ms | max ms |\n|---|---|---:|---:|---:|---:|\n");
        for (var store : List.of(r, r.path("no_fsync"), r.path("tmpfs"))) {
            if (store.isMissingNode()) {
                continue;
            }
            String where = store.path("store_dir").asText() + " (" + store.path("store_dir_filesystem").asText()
                    + (store.path("fsync").asBoolean(true) ? "" : ", --fsync false") + ")";
            row(md, where, "checkpoint write (CheckpointManager.create)", store.path("write_ms"));
            row(md, where, "checkpoint write, thread CPU time", store.path("write_thread_cpu_ms"));
            row(md, where, "checkpoint write, all new, of the agents' own outputs", store.path("agent_outputs_write_ms"));
            row(md, where, "checkpoint write in a campaign (one new output, the rest carried)",
                    store.path("campaign_write_ms"));
            row(md, where, "checkpoint write in a campaign, thread CPU time", store.path("campaign_write_thread_cpu_ms"));
            row(md, where, "part: serialise + gzip", store.path("parts_ms").path("serialise_and_gzip"));
            row(md, where, "part: serialise + gzip, thread CPU time", store.path("parts_ms").path("serialise_and_gzip_thread_cpu"));
            row(md, where, "part: one atomic blob put", store.path("parts_ms").path("atomic_blob_put_fsync"));
            row(md, where, "checkpoint read + verify (another process)", store.path("parts_ms").path("read_and_verify"));
            row(md, where, "checkpoint read, unchanged bytes (the writer's process)",
                    store.path("parts_ms").path("read_unchanged_by_the_writer"));
        }
        var s = r.path("sizes");
        md.append(String.format("%nCheckpoint JSON %,d bytes → gzip %,d bytes (%.1f%% of raw, ratio %.2f:1).%n",
                s.path("checkpoint_json_bytes").asInt(), s.path("checkpoint_gzip_bytes").asInt(),
                s.path("compressed_percent_of_raw").asDouble(), s.path("compression_ratio").asDouble()));
        if (s.has("agent_outputs_checkpoint_json_bytes")) {
            md.append(String.format("Of the agents' own outputs: checkpoint JSON %,d bytes → gzip %,d bytes (%.1f%% of"
                    + " raw).%n", s.path("agent_outputs_checkpoint_json_bytes").asInt(),
                    s.path("agent_outputs_checkpoint_gzip_bytes").asInt(),
                    s.path("agent_outputs_compressed_percent_of_raw").asDouble()));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String store, String name, com.fasterxml.jackson.databind.JsonNode l) {
        md.append(String.format("| %s | %s | %.3f | %.3f | %.3f | %.3f |%n", store, name, l.path("median").asDouble(),
                l.path("p95").asDouble(), l.path("min").asDouble(), l.path("max").asDouble()));
    }

}
