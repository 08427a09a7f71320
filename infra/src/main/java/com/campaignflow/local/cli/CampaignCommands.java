package com.campaignflow.local.cli;

import com.campaignflow.functions.api.ApiResponse;
import com.campaignflow.functions.api.ErrorMapper;
import com.campaignflow.functions.api.exceptions.PayloadTooLargeException;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.InvalidCheckpointIdException;
import com.campaignflow.functions.faults.FaultSpecParser;
import com.campaignflow.functions.orchestration.ResumeAction;
import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.campaignflow.local.cloud.DataDirInUseException;
import com.campaignflow.local.cloud.LocalCloud;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * The campaign commands: each starts the local cloud on the data directory (a free port, the directory's
 * development tenant), acts as a client of its REST API over HTTP, and stops it again.
 * <ul>
 *   <li>{@code run FILE}: creates the campaign (POST /campaigns), shows progress on stderr, prints the final result.
 *   <li>{@code checkpoints WORKFLOW_ID}: prints the workflow's checkpoints as one JSON array.
 *   <li>{@code resume CHECKPOINT_ID --action continue|retry|skip [--params JSON]}: resumes from a checkpoint.
 *   <li>{@code redrive WORKFLOW_ID}: redrives the failed execution from where it failed.
 * </ul>
 * The last line of stdout is the JSON answer (one line). Exit codes: 0 completed (degraded or not), 1 failed (or
 * refused for the system's state: 503, or another error), 2 bad input (a wrong argument or request, an id naming no
 * workflow or checkpoint, a request the campaign's state does not allow, a corrupt or expired checkpoint; the message on
 * stderr says what is wrong).
 */
public final class CampaignCommands {

    /** Default data directory, relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = ".campaignflow";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final Duration MAX_TIMEOUT = Duration.ofDays(365);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Strict as the API's own parsers: trailing text or a key given twice is an error, not silently dropped. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static final String RUN_USAGE = "run FILE [--data-dir DIR] [--faults SPEC] [--timeout SECONDS] [--fsync true|false]";
    public static final String CHECKPOINTS_USAGE = "checkpoints WORKFLOW_ID [--data-dir DIR]";
    public static final String RESUME_USAGE = "resume CHECKPOINT_ID --action continue|retry|skip [--params JSON]"
            + " [--data-dir DIR] [--faults SPEC] [--timeout SECONDS] [--fsync true|false]";
    public static final String REDRIVE_USAGE = "redrive WORKFLOW_ID [--data-dir DIR] [--faults SPEC] [--timeout SECONDS]"
            + " [--fsync true|false]";

    private CampaignCommands() {
    }

    // ---------------------------------------------------------------- run

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return guarded("run", RUN_USAGE, out, err, () -> {
            Arguments a = Arguments.parse(args, 1, Set.of("--data-dir", "--faults", "--timeout", "--fsync"));
            timeout(a);
            String faults = faults(a, System.getenv());
            Path file = Path.of(a.positional(0));
            byte[] body = readRequest(file);
            try {
                // the API checks it again; checked here first, a bad request starts nothing and creates no data directory
                if (body.length > CampaignRequestParser.MAX_BODY_BYTES) {
                    throw tooLarge(file);
                }
                CampaignRequestParser.refuseResearchFocusWithParallelStrategy(new CampaignRequestParser().parse(body));
            } catch (InvalidRequestException | PayloadTooLargeException e) {
                // what the API would have answered
                ApiResponse answer = ErrorMapper.toResponse(e, "local");
                return refused("run", new GatewayClient.Answer(answer.status(), answer.body()), out, err);
            }
            // Watch from before the cloud starts: it goes on with an execution a killed command left running (this
            // campaign's, when the same command is run again), and from before the request, so no agent is missed.
            String requestedId = JSON.readTree(body).path("campaign_id").asText("");
            ProgressView early = requestedId.matches("[A-Za-z0-9_-]{1,64}")
                    ? Session.progress(Session.dataDir(a), requestedId, err) : null;
            try (Session session = Session.open(a, faults, err)) {
                GatewayClient.Answer created = session.client.post("/campaigns", body);
                if (!created.ok()) {
                    return refused("run", created, out, err);
                }
                JsonNode c = created.body();
                String campaignId = c.path("campaign_id").asText();
                err.println("campaign " + campaignId + (c.path("replayed").asBoolean() ? " (already created: replayed)" : "")
                        + ": workflow " + c.path("workflow_id").asText() + ", degradation "
                        + c.path("degradation_level").asText());
                c.path("limitations").forEach(l -> err.println("  limitation: " + l.asText()));
                ProgressView progress = early != null && requestedId.equals(campaignId) ? early
                        : session.progress(campaignId, err);
                return finish(session, progress, campaignId, c.path("workflow_execution_id").asText(null), a, out, err);
            }
        });
    }

    // ---------------------------------------------------------------- checkpoints

    public static int checkpoints(String[] args, PrintStream out, PrintStream err) {
        return guarded("checkpoints", CHECKPOINTS_USAGE, out, err, () -> {
            Arguments a = Arguments.parse(args, 1, Set.of("--data-dir"));
            workflowId(a.positional(0));
            try (Session session = Session.openExisting(a, null, err)) {
                GatewayClient.Answer answer = session.client.get("/workflows/"
                        + GatewayClient.segment(a.positional(0)) + "/checkpoints");
                if (!answer.ok()) {
                    return refused("checkpoints", answer, out, err);
                }
                out.println(JSON.writeValueAsString(answer.body()));
                return 0;
            }
        });
    }

    // ---------------------------------------------------------------- resume

    public static int resume(String[] args, PrintStream out, PrintStream err) {
        return guarded("resume", RESUME_USAGE, out, err, () -> {
            Arguments a = Arguments.parse(args, 1, Set.of("--data-dir", "--action", "--params", "--faults", "--timeout",
                    "--fsync"));
            timeout(a);
            String faults = faults(a, System.getenv());
            try {
                CheckpointIds.parse(a.positional(0));
            } catch (InvalidCheckpointIdException e) {
                throw new Arguments.UsageException("CHECKPOINT_ID: " + e.getMessage());
            }
            String action = a.option("--action").orElseThrow(() ->
                    new Arguments.UsageException("--action is required: continue, retry or skip"));
            try {
                ResumeAction.fromWireName(action);
            } catch (IllegalArgumentException e) {
                throw new Arguments.UsageException("--action: " + e.getMessage());
            }
            ObjectNode request = JSON.createObjectNode().put("action", action);
            if (a.option("--params").isPresent()) {
                JsonNode params;
                try {
                    params = JSON.readTree(a.option("--params").get());
                } catch (IOException e) {
                    throw new Arguments.UsageException("--params is not valid JSON: " + e.getMessage());
                }
                if (params == null || !params.isObject()) {
                    throw new Arguments.UsageException("--params must be a JSON object of agent name to parameters,"
                            + " e.g. {\"writer\":{\"tone\":\"formal\"}}");
                }
                request.set("parameters", params);
            }
            try (Session session = Session.openExisting(a, faults, err)) {
                ProgressView early = session.progressOfWorkflow(CheckpointIds.parse(a.positional(0)).workflowId(), err);
                GatewayClient.Answer answer = session.client.post("/workflows/resume/"
                        + GatewayClient.segment(a.positional(0)), JSON.writeValueAsBytes(request));
                if (!answer.ok()) {
                    return refused("resume", answer, out, err);
                }
                JsonNode c = answer.body();
                err.println("resumed " + a.positional(0) + " (" + action + "): execution "
                        + c.path("workflow_execution_id").asText());
                String campaignId = c.path("campaign_id").asText();
                return finish(session, early != null ? early : session.progress(campaignId, err), campaignId,
                        c.path("workflow_execution_id").asText(null), a, out, err);
            }
        });
    }

    // ---------------------------------------------------------------- redrive

    public static int redrive(String[] args, PrintStream out, PrintStream err) {
        return guarded("redrive", REDRIVE_USAGE, out, err, () -> {
            Arguments a = Arguments.parse(args, 1, Set.of("--data-dir", "--faults", "--timeout", "--fsync"));
            timeout(a);
            String faults = faults(a, System.getenv());
            workflowId(a.positional(0));
            try (Session session = Session.openExisting(a, faults, err)) {
                ProgressView early = session.progressOfWorkflow(a.positional(0), err);
                GatewayClient.Answer answer = session.client.post("/workflows/"
                        + GatewayClient.segment(a.positional(0)) + "/redrive", "{}".getBytes(StandardCharsets.UTF_8));
                if (!answer.ok()) {
                    return refused("redrive", answer, out, err);
                }
                JsonNode c = answer.body();
                err.println("redriven " + a.positional(0) + ": execution " + c.path("workflow_execution_id").asText());
                String campaignId = c.path("campaign_id").asText();
                return finish(session, early != null ? early : session.progress(campaignId, err), campaignId,
                        c.path("workflow_execution_id").asText(null), a, out, err);
            }
        });
    }

    // ---------------------------------------------------------------- shared

    /** Waits for the execution to end, showing progress, then prints the result; 0 when it completed. */
    private static int finish(Session session, ProgressView progress, String campaignId, String executionArn,
                              Arguments a, PrintStream out, PrintStream err) throws IOException {
        Duration timeout = timeout(a);
        LocalStepFunctions engine = session.cloud.stepFunctions();
        JsonNode result = awaitResult(session.client, campaignId, executionArn, progress, timeout,
                () -> engine.stoppedBecause().isPresent());
        progress.finish();
        if (result == null) {
            Optional<String> stopped = engine.stoppedBecause();
            err.println(stopped.isPresent()
                    ? "the engine stopped: " + stopped.get() + "; free space (or fix the disk), and the campaign"
                            + " continues from its last durable step the next time the local cloud runs on "
                            + session.cloud.dataDir()
                    : "the campaign did not finish within " + timeout.toSeconds() + " s; it continues the next time"
                            + " the local cloud runs on " + session.cloud.dataDir());
            // the last line still tells a script where the campaign stands: its status, "running", and progress
            GatewayClient.Answer answer = session.client.get("/campaigns/" + GatewayClient.segment(campaignId));
            if (answer.ok()) {
                ObjectNode running = JSON.createObjectNode().put("success", false);
                running.setAll((ObjectNode) answer.body());
                out.println(JSON.writeValueAsString(running));
                out.flush();
            }
            return 1;
        }
        String status = result.path("status").asText();
        err.println("status " + status + ", quality " + result.path("quality_score").asText() + ", "
                + result.path("checkpoints_created").asInt() + " checkpoints, "
                + result.path("degradation_events").asInt() + " degradation events, "
                + result.path("total_duration").asText() + " s");
        if (result.hasNonNull("error")) {
            err.println("error: " + result.path("error").path("error").asText() + ": "
                    + result.path("error").path("cause").asText());
        }
        out.println(JSON.writeValueAsString(result));
        out.flush();
        return status.equals("completed") || status.equals("completed_degraded") ? 0 : 1;
    }

    /**
     * Polls GET /campaigns/{id} until the result of {@code executionArn} (or of any execution, when null) is final;
     * null on timeout, or once {@code engineStopped} (its executions then go nowhere until the next start).
     */
    static JsonNode awaitResult(GatewayClient client, String campaignId, String executionArn, ProgressView progress,
                                Duration timeout, java.util.function.BooleanSupplier engineStopped) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String path = "/campaigns/" + GatewayClient.segment(campaignId);
        while (true) {
            GatewayClient.Answer answer = client.get(path);
            if (!answer.ok()) {
                throw new IllegalStateException("GET " + path + " failed: " + answer.status() + " " + answer.message());
            }
            JsonNode result = answer.body().get("result");
            if (result != null && !"running".equals(result.path("status").asText())
                    && (executionArn == null || executionArn.equals(result.path("workflow_execution_id").asText()))) {
                return result;
            }
            progress.poll();
            if (System.nanoTime() > deadline || engineStopped.getAsBoolean()) {
                return null;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * The request file, read no further than one byte past the largest body the API takes (FILE may be a pipe or a
     * device); whether it is a valid request is the API's parser's to say.
     */
    private static byte[] readRequest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(CampaignRequestParser.MAX_BODY_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new Arguments.UsageException("FILE " + file + " does not exist");
        } catch (IOException e) {
            throw new Arguments.UsageException("cannot read FILE " + file + ": " + e.getMessage());
        }
    }

    /** The API's 413 for a request file read only in part: its size if it is a file, else (a pipe) unknown. */
    private static PayloadTooLargeException tooLarge(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return new PayloadTooLargeException(Files.size(file), CampaignRequestParser.MAX_BODY_BYTES);
            }
        } catch (IOException e) {
            // its size is not known then
        }
        return PayloadTooLargeException.overLimit(CampaignRequestParser.MAX_BODY_BYTES);
    }

    /**
     * The API refused the command: its message on stderr, and as the last line of stdout the API's error (with
     * {@code "success": false}), so a script reading that line learns why. Bad input (400; 404, an id that names no
     * workflow or checkpoint; 409, a request the campaign's state does not allow; 410; 413; 415; 422, a corrupt
     * checkpoint to resume from) is exit 2, anything else (503, a refused campaign; 5xx) exit 1.
     */
    private static int refused(String command, GatewayClient.Answer answer, PrintStream out, PrintStream err)
            throws IOException {
        err.println(command + ": " + answer.message() + " (HTTP " + answer.status() + ")");
        ObjectNode line = JSON.createObjectNode().put("success", false);
        if (answer.body() != null && answer.body().isObject()) {
            line.setAll((ObjectNode) answer.body());
        } else {
            line.put("error", "http_" + answer.status()).put("message", answer.message());
        }
        out.println(JSON.writeValueAsString(line));
        out.flush();
        int status = answer.status();
        return status == 400 || status == 404 || status == 409 || status == 410 || status == 413 || status == 415
                || status == 422 ? 2 : 1;
    }

    /**
     * The faults a command injects: {@code --faults}, else this process's {@code CAMPAIGNFLOW_FAULTS} (a game day
     * can set it once for every command); null for none. Checked with the functions' own parser, so a typo is exit 2
     * rather than failing agents.
     */
    static String faults(Arguments a, Map<String, String> environment) {
        java.util.Optional<String> option = a.option("--faults");
        String spec = option.orElseGet(() -> environment.get("CAMPAIGNFLOW_FAULTS"));
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            FaultSpecParser.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException((option.isPresent() ? "--faults: " : "CAMPAIGNFLOW_FAULTS: ")
                    + e.getMessage());
        }
        return spec;
    }

    /** Ids become URL paths: checked here with the service's own rules, before any request. */
    private static void workflowId(String id) {
        try {
            CheckpointIds.validateWorkflowId(id);
        } catch (InvalidCheckpointIdException e) {
            throw new Arguments.UsageException("WORKFLOW_ID: " + e.getMessage());
        }
    }

    private static Duration timeout(Arguments a) {
        String value = a.option("--timeout").orElse(null);
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0 && seconds <= MAX_TIMEOUT.toSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Arguments.UsageException("--timeout must be a whole number of seconds from 1 to "
                + MAX_TIMEOUT.toSeconds() + " (a year, the longest a Standard execution runs), got " + value);
    }

    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    /** Runs a command: usage errors are exit 2 with the usage line, anything unexpected exit 1 with its message. */
    static int guarded(String command, String usage, PrintStream err, Body body) {
        return guarded(command, usage, null, err, body);
    }

    /**
     * {@link #guarded(String, String, PrintStream, Body)} for a command whose last stdout line is its result: when it
     * cannot run (its data directory used by another local cloud, a store it cannot read), that line is
     * {@code {"success": false, "error", "message"}}, so a script reading it learns why, as for a refused request.
     */
    static int guarded(String command, String usage, PrintStream out, PrintStream err, Body body) {
        try {
            return body.run();
        } catch (Arguments.UsageException e) {
            err.println(command + ": " + e.getMessage() + "\nusage: " + usage);
            return 2;
        } catch (Exception e) {
            err.println(command + ": " + e.getMessage());
            if (out != null) {
                out.println(JSON.createObjectNode().put("success", false)
                        .put("error", e instanceof DataDirInUseException ? "data_dir_in_use" : "local_cloud_error")
                        .put("message", String.valueOf(e.getMessage())).toString());
                out.flush();
            }
            return 1;
        }
    }

    /** A local cloud on the command's data directory and a client for its development tenant. */
    private static final class Session implements AutoCloseable {
        final LocalCloud cloud;
        final GatewayClient client;
        final PrintStream log;
        final Handler[] previousHandlers;
        final PrintStream err;

        private Session(LocalCloud cloud, GatewayClient client, PrintStream log, Handler[] previousHandlers,
                        PrintStream err) {
            this.err = err;
            this.cloud = cloud;
            this.client = client;
            this.log = log;
            this.previousHandlers = previousHandlers;
        }

        static Path dataDir(Arguments a) {
            return Path.of(a.option("--data-dir").orElse(DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        }

        /**
         * A session on a data directory that must hold a local cloud already: checkpoints, resume and redrive work on
         * what a run left there, and a mistyped --data-dir must not leave an empty local cloud behind.
         */
        static Session openExisting(Arguments a, String faults, PrintStream err) throws IOException {
            Path dataDir = dataDir(a);
            if (!Files.exists(dataDir)) {
                throw new Arguments.UsageException("no local cloud data in " + dataDir + ": pass the --data-dir of the"
                        + " run that created the campaign");
            }
            return open(a, faults, err);
        }

        static Session open(Arguments a, String faults, PrintStream err) throws IOException {
            Path dataDir = dataDir(a);
            if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
                throw new Arguments.UsageException("--data-dir " + dataDir + " is not a directory");
            }
            boolean fsync = a.bool("--fsync", true);
            LocalTenant tenant = LocalTenant.of(dataDir, fsync);
            // Function logs would drown the progress: they go to a file, named on stderr.
            Path logFile = dataDir.resolve("logs").resolve("functions.log");
            Files.createDirectories(logFile.getParent());
            PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8);
            Handler[] previous = logTo(log);
            try {
                LocalCloud cloud = LocalCloud.start(LocalCloud.Options.of(dataDir, tenant.apiKeysSpec())
                        .withFaults(faults).withFunctionLog(log).withFsync(fsync));
                err.println("local cloud on " + cloud.endpoint() + " (data " + dataDir + ", function logs " + logFile
                        + (faults == null ? "" : ", faults " + faults) + ")");
                int continuing = cloud.stepFunctions().startup().resumed();
                if (continuing > 0) {
                    // a run stopped by --timeout or killed: its execution goes on now, before this command's request
                    err.println(continuing == 1 ? "1 execution left running by an earlier command continues now"
                            : continuing + " executions left running by an earlier command continue now");
                }
                return new Session(cloud, new GatewayClient(cloud.endpoint(), tenant.apiKey()), log, previous, err);
            } catch (RuntimeException e) {
                restore(previous);
                log.close();
                throw e;
            }
        }

        /** Sends java.util.logging (the functions' System.Logger, Jetty) to the log file; returns what it replaced. */
        private static Handler[] logTo(PrintStream log) {
            Logger root = Logger.getLogger("");
            Handler[] previous = root.getHandlers();
            for (Handler h : previous) {
                root.removeHandler(h);
            }
            root.addHandler(new StreamHandler(log, new SimpleFormatter()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            });
            return previous;
        }

        private static void restore(Handler[] previous) {
            Logger root = Logger.getLogger("");
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : previous) {
                root.addHandler(h);
            }
        }

        /**
         * A progress view of the campaign owning {@code workflowId}, started before the request that restarts it so
         * that its first agent's progress is shown; null when the tenant has no such workflow (the request says why).
         */
        ProgressView progressOfWorkflow(String workflowId, PrintStream err) {
            GatewayClient.Answer campaigns = client.get("/campaigns");
            if (!campaigns.ok()) {
                return null;
            }
            for (JsonNode campaign : campaigns.body().path("campaigns")) {
                if (workflowId.equals(campaign.path("workflow_id").asText())) {
                    return progress(campaign.path("campaign_id").asText(), err);
                }
            }
            return null;
        }

        ProgressView progress(String campaignId, PrintStream err) {
            return progress(cloud.dataDir(), campaignId, err);
        }

        static ProgressView progress(Path dataDir, String campaignId, PrintStream err) {
            return new ProgressView(dataDir, campaignId, err, err == System.err && ProgressView.isTerminal());
        }

        @Override
        public void close() {
            try {
                cloud.close();
            } catch (RuntimeException e) {
                // the command's outcome is decided and its last stdout line printed: a failure to shut down (its
                // data is on disk already) is told on stderr and does not add a second result line
                err.println("closing the local cloud on " + cloud.dataDir() + " failed: " + e.getMessage());
            } finally {
                restore(previousHandlers);
                log.close();
            }
        }
    }

}
