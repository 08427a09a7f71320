package com.campaignflow.local.sfn.service;

import com.campaignflow.local.sfn.DefinitionValidator;
import com.campaignflow.local.sfn.EngineClock;
import com.campaignflow.local.sfn.Execution;
import com.campaignflow.local.sfn.ExecutionOptions;
import com.campaignflow.local.sfn.ExecutionResult;
import com.campaignflow.local.sfn.ExecutionRunner;
import com.campaignflow.local.sfn.InvalidDefinitionException;
import com.campaignflow.local.sfn.ResumePlan;
import com.campaignflow.local.sfn.ResumePlanner;
import com.campaignflow.local.sfn.StateMachineDefinition;
import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.LambdaInvoker;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local Step Functions service: state machines and executions, every change journaled
 * (fsync'd) before it takes effect, running executions continued after a restart, and
 * redrive as AWS defines it. Transport-free: the API layer maps JSON requests onto it.
 */
public final class LocalStepFunctions implements AutoCloseable {

    static final int MAX_REDRIVES = 1000;
    static final Duration REDRIVE_PERIOD = Duration.ofDays(14);
    /** As on AWS, a Standard execution stays open at most a year from its start, redrives included. */
    static final Duration MAX_OPEN_TIME = Duration.ofDays(365);
    /** As on AWS, a redrive's client token makes a repeat idempotent for 15 minutes after its first use. */
    static final Duration REDRIVE_TOKEN_VALIDITY = Duration.ofMinutes(15);
    /** As on AWS, a closed execution's history is kept for 90 days; compaction drops older ones. */
    static final Duration RETENTION = Duration.ofDays(90);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A user's JSON: one value, nothing after it ({"a":1} xx is not the input {"a":1}). */
    private static final ObjectReader STRICT_JSON = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:#]+)(?:#(.+))?");
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):execution:([^:]+):([^:]+)");

    /** How the service runs; {@link #defaults(Path)} for a data directory with no functions and no mocks. */
    /**
     * @param fsync false: the journal is written but not fsync'd (survives a killed process, not a power cut)
     * @param maxHistoryEvents the most events an execution's history holds (AWS: 25,000); lower in tests
     */
    public record Config(Path dataDir, String region, String accountId, EngineClock clock, LambdaInvoker invoker,
            MockConfig mocks, long segmentLimitBytes, boolean fsync, int maxHistoryEvents) {

        public Config(Path dataDir, String region, String accountId, EngineClock clock, LambdaInvoker invoker,
                MockConfig mocks, long segmentLimitBytes, boolean fsync) {
            this(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync,
                    ExecutionOptions.MAX_HISTORY_EVENTS);
        }

        public static Config defaults(Path dataDir) {
            return new Config(dataDir, "us-east-1", "123456789012", EngineClock.system(), LambdaInvoker.none(), null,
                    16L << 20, true);
        }

        public Config withInvoker(LambdaInvoker invoker) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync,
                    maxHistoryEvents);
        }

        public Config withMocks(MockConfig mocks) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync,
                    maxHistoryEvents);
        }

        public Config withClock(EngineClock clock) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync,
                    maxHistoryEvents);
        }

        public Config withSegmentLimit(long bytes) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, bytes, fsync, maxHistoryEvents);
        }

        public Config withFsync(boolean fsync) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync,
                    maxHistoryEvents);
        }

        public Config withMaxHistoryEvents(int max) {
            return new Config(dataDir, region, accountId, clock, invoker, mocks, segmentLimitBytes, fsync, max);
        }
    }

    /** What startup found and how long it took. */
    public record Startup(long records, int tornTails, int executions, int resumed, long millis) {
    }

    private final Config config;
    private final Object lock = new Object();
    private final Map<String, StateMachineRecord> machines = new LinkedHashMap<>();
    /** Machines DeleteStateMachine was called for while executions of theirs ran: status DELETING until they end. */
    private final java.util.Set<String> deleting = new java.util.LinkedHashSet<>();
    /** Each state machine's tags (TagResource, or the tags it was created with), in the order they were added. */
    private final Map<String, Map<String, String>> tags = new HashMap<>();
    private final Map<String, ExecutionRecord> executions = new LinkedHashMap<>();
    private final Map<String, StateMachineDefinition> compiled = new HashMap<>();
    private final Journal journal;
    private final AtomicBoolean compacting = new AtomicBoolean();
    /** Closed executions whose histories are packed in batches of this many, between compactions too. */
    static final int PACK_BATCH = 256;
    private final AtomicBoolean packing = new AtomicBoolean();
    /** The latest batch pack pass (tests wait for it). */
    private volatile CompletableFuture<Void> lastPack = CompletableFuture.completedFuture(null);
    /** Executions closed since the last pack pass began (under lock). */
    private int closedSincePack;
    /** Held by one compaction from its snapshot to the file, and by close: snapshots are written one at a time. */
    private final Object compaction = new Object();
    /** Each kept state machine revision's journal JSON, encoded once (see executionRecord). */
    private final Map<StateMachineRecord, RawValue> machineJson = new HashMap<>();
    /** The revisions read from the journal, so the executions of one revision share its record. */
    private final Map<StateMachineRecord, StateMachineRecord> revisions = new HashMap<>();
    private final Startup startup;
    private volatile boolean closed;

    public LocalStepFunctions(Config config) {
        long t0 = System.nanoTime();
        this.config = config;
        this.journal = Journal.open(config.dataDir().resolve("journal"), config.segmentLimitBytes(), config.fsync(),
                this::replay);
        snapshotRevisions.clear(); // replayed: the executions hold their revisions
        int resumed = resumeRunning();
        synchronized (lock) {
            List.copyOf(deleting).forEach(this::deleteOnceIdle); // the last execution ended just before a crash
        }
        CompletableFuture<Void> startupPack = new CompletableFuture<>();
        lastPack = startupPack;
        Thread.ofVirtual().name("sfn-pack").start(() -> {
            try {
                synchronized (compaction) {
                    packClosedHistories(); // the histories replayed from the journal as records
                }
            } finally {
                startupPack.complete(null);
            }
        });
        Journal.RecoveryStats stats = journal.recovery();
        this.startup = new Startup(stats.records(), stats.tornTails(), executions.size(), resumed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * Why the engine stopped, if its journal could not be written (a full or failing disk): its executions then stay
     * RUNNING, as on disk, and continue from their last durable event the next time the service opens.
     */
    public java.util.Optional<String> stoppedBecause() {
        return journal.failure().map(e -> "the Step Functions journal in " + config.dataDir() + " could not be written ("
                + e.getMessage() + ")");
    }

    public Startup startup() {
        return startup;
    }

    public String region() {
        return config.region();
    }

    // ---------------------------------------------------------------- state machines

    public StateMachineRecord createStateMachine(String name, String definition, String roleArn, String type) {
        return createStateMachine(name, definition, roleArn, type, Map.of());
    }

    /** As {@link #createStateMachine(String, String, String, String)}, tagged (tags of an idempotent repeat are ignored). */
    public StateMachineRecord createStateMachine(String name, String definition, String roleArn, String type,
            Map<String, String> withTags) {
        return createStateMachine(name, definition, roleArn, type, withTags, null, null);
    }

    /**
     * As Step Functions' CreateStateMachine: {@code logging} and {@code tracing} are the request's
     * loggingConfiguration and tracingConfiguration (null: off). A repeat with the same name, definition, type,
     * logging and tracing is the same machine; another roleArn or other tags are ignored.
     */
    public StateMachineRecord createStateMachine(String name, String definition, String roleArn, String type,
            Map<String, String> withTags, JsonNode logging, JsonNode tracing) {
        checkName(name, "name");
        checkTags(withTags, withTags.size(), name);
        String loggingJson = loggingConfiguration(logging);
        String tracingJson = tracingConfiguration(tracing);
        String machineType = type == null ? "STANDARD" : type;
        if (!machineType.equals("STANDARD") && !machineType.equals("EXPRESS")) {
            throw StepFunctionsException.validation("type must be STANDARD or EXPRESS, got " + type);
        }
        checkRole(roleArn);
        compile(definition);
        String arn = "arn:aws:states:" + config.region() + ":" + config.accountId() + ":stateMachine:" + name;
        synchronized (lock) {
            checkNotDeleting(arn);
            StateMachineRecord existing = machines.get(arn);
            if (existing != null) {
                // as Step Functions: another roleArn (or tags) is ignored, the request is idempotent, the role unchanged
                if (existing.definition().equals(definition) && existing.type().equals(machineType)
                        && existing.logging().equals(loggingJson) && existing.tracing().equals(tracingJson)) {
                    return existing; // same request again: the same state machine
                }
                throw new StepFunctionsException("StateMachineAlreadyExists",
                        "State Machine Already Exists: '" + arn + "'");
            }
            StateMachineRecord m = new StateMachineRecord(arn, name, definition, roleArn, machineType, now(), null,
                    UUID.randomUUID().toString(), loggingJson, tracingJson);
            ObjectNode record = machineRecord(m);
            if (!withTags.isEmpty()) {
                record.set("tags", tagsJson(withTags));
            }
            write(record);
            return m;
        }
    }

    public StateMachineRecord updateStateMachine(String arn, String definition, String roleArn) {
        return updateStateMachine(arn, definition, roleArn, null, null);
    }

    /** Changes what is given (non-null) and keeps the rest. */
    public StateMachineRecord updateStateMachine(String arn, String definition, String roleArn, JsonNode logging,
            JsonNode tracing) {
        if (definition == null && roleArn == null && logging == null && tracing == null) {
            throw new StepFunctionsException("MissingRequiredParameter", "Either the definition, the roleArn, the"
                    + " loggingConfiguration or the tracingConfiguration must be specified");
        }
        String loggingJson = logging == null ? null : loggingConfiguration(logging);
        String tracingJson = tracing == null ? null : tracingConfiguration(tracing);
        if (definition != null) {
            compile(definition);
        }
        if (roleArn != null) {
            checkRole(roleArn);
        }
        synchronized (lock) {
            StateMachineRecord old = machine(arn);
            checkNotDeleting(arn);
            StateMachineRecord m = new StateMachineRecord(old.arn(), old.name(),
                    definition != null ? definition : old.definition(), roleArn != null ? roleArn : old.roleArn(),
                    old.type(), old.creationDate(), now(), UUID.randomUUID().toString(),
                    loggingJson != null ? loggingJson : old.logging(), tracingJson != null ? tracingJson : old.tracing());
            write(machineRecord(m));
            return m;
        }
    }

    public StateMachineRecord describeStateMachine(String arn) {
        synchronized (lock) {
            return machine(arn);
        }
    }

    public List<StateMachineRecord> listStateMachines() {
        synchronized (lock) {
            return List.copyOf(machines.values());
        }
    }

    /**
     * A loggingConfiguration in the form kept and described: level (ALL, ERROR, FATAL or OFF; OFF when absent),
     * includeExecutionData (false when absent) and, when given, its one CloudWatch Logs destination, which a level
     * other than OFF needs.
     */
    static String loggingConfiguration(JsonNode given) {
        if (given == null || given.isNull()) {
            return StateMachineRecord.LOGGING_OFF;
        }
        if (!given.isObject()) {
            throw StepFunctionsException.validation("loggingConfiguration must be an object");
        }
        String level = given.path("level").asText("OFF");
        if (!given.path("level").isMissingNode() && !given.get("level").isTextual()
                || !List.of("ALL", "ERROR", "FATAL", "OFF").contains(level)) {
            throw StepFunctionsException.validation("loggingConfiguration.level must be ALL, ERROR, FATAL or OFF, got "
                    + given.get("level"));
        }
        JsonNode include = given.path("includeExecutionData");
        if (!include.isMissingNode() && !include.isBoolean()) {
            throw StepFunctionsException.validation("loggingConfiguration.includeExecutionData must be a boolean");
        }
        ObjectNode out = NODES.objectNode().put("level", level).put("includeExecutionData", include.asBoolean(false));
        JsonNode destinations = given.path("destinations");
        if (!destinations.isMissingNode() && !destinations.isNull()) {
            if (!destinations.isArray()) {
                throw StepFunctionsException.validation("loggingConfiguration.destinations must be an array");
            }
            if (destinations.size() > 1) {
                throw new StepFunctionsException("InvalidLoggingConfiguration",
                        "Invalid Logging Configuration: at most one destination is allowed");
            }
            var kept = out.putArray("destinations");
            for (JsonNode d : destinations) {
                JsonNode group = d.path("cloudWatchLogsLogGroup").path("logGroupArn");
                if (!group.isTextual() || group.asText().length() > 256 || !LOG_GROUP_ARN.matcher(group.asText()).matches()) {
                    throw new StepFunctionsException("InvalidLoggingConfiguration", "Invalid Logging Configuration: a"
                            + " destination must be {\"cloudWatchLogsLogGroup\": {\"logGroupArn\": a CloudWatch Logs log"
                            + " group ARN ending with :*}}, got " + d);
                }
                kept.addObject().putObject("cloudWatchLogsLogGroup").put("logGroupArn", group.asText());
            }
        }
        if (!level.equals("OFF") && out.path("destinations").isEmpty()) {
            throw new StepFunctionsException("InvalidLoggingConfiguration",
                    "Invalid Logging Configuration: a log destination is required for level " + level);
        }
        return out.toString();
    }

    private static final Pattern LOG_GROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:logs:[a-z0-9-]+:\\d{12}:log-group:[^:]+:\\*");

    /** A tracingConfiguration in the form kept and described: {"enabled": boolean}, false when absent. */
    static String tracingConfiguration(JsonNode given) {
        if (given == null || given.isNull()) {
            return StateMachineRecord.TRACING_OFF;
        }
        JsonNode enabled = given.path("enabled");
        if (!given.isObject() || !enabled.isMissingNode() && !enabled.isBoolean()) {
            throw StepFunctionsException.validation("tracingConfiguration must be {\"enabled\": boolean}");
        }
        return NODES.objectNode().put("enabled", enabled.asBoolean(false)).toString();
    }

    // ---------------------------------------------------------------- tags

    /** Adds tags to a state machine, replacing the values of keys it has; at most {@link #MAX_TAGS} in all. */
    public void tagResource(String resourceArn, Map<String, String> add) {
        synchronized (lock) {
            StateMachineRecord m = taggable(resourceArn);
            Map<String, String> merged = new LinkedHashMap<>(tags.getOrDefault(resourceArn, Map.of()));
            merged.putAll(add);
            checkTags(add, merged.size(), m.name());
            write(NODES.objectNode().put("k", "tags").put("arn", resourceArn).set("tags", tagsJson(merged)));
        }
    }

    /** Removes the tags with these keys; keys it does not have are ignored. */
    public void untagResource(String resourceArn, List<String> keys) {
        for (String key : keys) {
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw StepFunctionsException.validation("tag key '" + key + "' must be 1 to 128 characters");
            }
        }
        synchronized (lock) {
            taggable(resourceArn);
            Map<String, String> left = new LinkedHashMap<>(tags.getOrDefault(resourceArn, Map.of()));
            if (left.keySet().removeAll(keys)) {
                write(NODES.objectNode().put("k", "tags").put("arn", resourceArn).set("tags", tagsJson(left)));
            }
        }
    }

    public Map<String, String> listTagsForResource(String resourceArn) {
        synchronized (lock) {
            taggable(resourceArn);
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags.getOrDefault(resourceArn, Map.of())));
        }
    }

    /** Step Functions allows 50 tags per resource. */
    static final int MAX_TAGS = 50;
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private StateMachineRecord taggable(String resourceArn) {
        if (resourceArn == null || resourceArn.isEmpty() || resourceArn.length() > 256) {
            throw StepFunctionsException.validation("resourceArn must be 1 to 256 characters");
        }
        if (!resourceArn.startsWith("arn:")) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + resourceArn + "'");
        }
        StateMachineRecord m = machines.get(resourceArn);
        if (m == null) {
            throw new StepFunctionsException("ResourceNotFound", "Resource not found: '" + resourceArn + "'",
                    resourceArn);
        }
        return m;
    }

    private static void checkTags(Map<String, String> given, int total, String resourceName) {
        for (var tag : given.entrySet()) {
            String key = tag.getKey();
            String value = tag.getValue();
            if (key == null || key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
                throw StepFunctionsException.validation("tag key '" + key + "' must be 1 to 128 Unicode letters,"
                        + " digits, white space or _ . : / = + - @");
            }
            if (value == null || value.length() > 256 || !TAG_TEXT.matcher(value).matches()) {
                throw StepFunctionsException.validation("the value of tag '" + key + "' must be 0 to 256 Unicode"
                        + " letters, digits, white space or _ . : / = + - @");
            }
        }
        if (total > MAX_TAGS) {
            throw new StepFunctionsException("TooManyTags", "Too many tags on " + resourceName + ": " + total
                    + ", at most " + MAX_TAGS, resourceName);
        }
    }

    private static ObjectNode tagsJson(Map<String, String> tagMap) {
        ObjectNode json = NODES.objectNode();
        tagMap.forEach(json::put);
        return json;
    }

    private static Map<String, String> tagsFrom(JsonNode json) {
        Map<String, String> tagMap = new LinkedHashMap<>();
        json.properties().forEach(e -> tagMap.put(e.getKey(), e.getValue().asText()));
        return tagMap;
    }

    /** True while the machine is DELETING: DeleteStateMachine was called and executions of it still run. */
    public boolean deleting(String arn) {
        synchronized (lock) {
            return deleting.contains(arn);
        }
    }

    /**
     * As on AWS: a machine with no running execution is deleted at once; otherwise it is DELETING (no new
     * executions, no updates) and each running execution fails with States.Runtime at its next state transition
     * (what it waits for now, a task's answer or a Wait, is not cut short); the machine goes once the last ends.
     */
    public void deleteStateMachine(String arn) {
        if (arn != null && arn.contains(":stateMachine:") && arn.substring(arn.indexOf(":stateMachine:")).contains("/")) {
            throw StepFunctionsException.validation("a qualified state machine ARN (a Distributed Map state's) cannot"
                    + " be deleted: " + arn);
        }
        parseMachineArn(arn);
        synchronized (lock) {
            StateMachineRecord m = machines.get(arn);
            if (m == null || deleting.contains(arn)) {
                return;
            }
            if (runningExecutionsOf(arn).isEmpty()) {
                write(NODES.objectNode().put("k", "smdel").put("arn", arn));
                return;
            }
            write(NODES.objectNode().put("k", "smdeleting").put("arn", arn));
            for (ExecutionRecord e : runningExecutionsOf(arn)) {
                if (e.running != null) {
                    e.running.failAtNextTransition("States.Runtime", deletedCause(m));
                }
            }
        }
    }

    private List<ExecutionRecord> runningExecutionsOf(String machineArn) {
        return executions.values().stream()
                .filter(e -> e.stateMachineArn.equals(machineArn) && e.status.equals("RUNNING")).toList();
    }

    private static String deletedCause(StateMachineRecord m) {
        return "State machine " + m.name() + " has been deleted.";
    }

    /** Deletes a DELETING machine whose executions have all ended; caller holds the lock. */
    private void deleteOnceIdle(String machineArn) {
        if (!closed && !journal.failed() && deleting.contains(machineArn) && runningExecutionsOf(machineArn).isEmpty()) {
            write(NODES.objectNode().put("k", "smdel").put("arn", machineArn));
        }
    }

    private void checkNotDeleting(String arn) {
        if (deleting.contains(arn)) {
            throw new StepFunctionsException("StateMachineDeleting", "State Machine is being deleted: '" + arn + "'");
        }
    }

    /** Problems in a definition, each naming the state and field; empty when valid. */
    public List<String> validateDefinition(String definition) {
        if (definition == null) {
            throw StepFunctionsException.validation("definition is required");
        }
        return DefinitionValidator.problems(definition);
    }

    // ---------------------------------------------------------------- executions

    public ExecutionView startExecution(String stateMachineArn, String name, String input) {
        Matcher m = parseMachineArn(stateMachineArn);
        String testCase = m.group(4);
        String machineArn = testCase == null ? stateMachineArn
                : stateMachineArn.substring(0, stateMachineArn.length() - testCase.length() - 1);
        String executionName = name != null ? name : UUID.randomUUID().toString();
        checkName(executionName, "name");
        String inputText = input == null ? "{}" : input;
        JsonNode inputJson = parseInput(inputText);
        ExecutionRecord record;
        synchronized (lock) {
            StateMachineRecord machine = machine(machineArn);
            checkNotDeleting(machineArn);
            if (testCase != null) {
                testCase(machine.name(), testCase); // fails now, not at the first mocked state
            }
            String arn = "arn:aws:states:" + config.region() + ":" + config.accountId() + ":execution:"
                    + machine.name() + ":" + executionName;
            ExecutionRecord existing = executions.get(arn);
            if (existing != null) {
                // AWS: the same name and input as a running execution is the same execution.
                if (!existing.status.equals("RUNNING") || !existing.input.equals(inputText)) {
                    throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
                }
                record = existing;
            } else {
                record = new ExecutionRecord(arn, machineArn, executionName, inputText, machine, testCase, now());
                record.startSequence = journal.append(encode(executionRecord(arn, machineArn, executionName,
                        inputText, record.startDate, machine, testCase)));
                executions.put(arn, record);
            }
        }
        // Durable before anyone is told it started, and fsync'd outside the lock: the executions running meanwhile
        // go on journaling (their records join this commit). A second caller with the same name waits here too.
        journal.commit(record.startSequence, true);
        maybeCompact();
        synchronized (lock) {
            // not if stopped meanwhile (StopExecution of an execution not begun ends it) or already begun
            if (!closed && record.status.equals("RUNNING") && record.running == null && record.eventCount() == 0) {
                start(record, inputJson, null);
            }
            return view(record);
        }
    }

    public ExecutionView describeExecution(String executionArn) {
        synchronized (lock) {
            return view(execution(executionArn));
        }
    }

    /** Executions of a state machine, newest first, optionally only those with a status. */
    public List<ExecutionView> listExecutions(String stateMachineArn, String statusFilter) {
        parseMachineArn(stateMachineArn);
        synchronized (lock) {
            machine(stateMachineArn);
            List<ExecutionView> out = new ArrayList<>();
            for (ExecutionRecord e : executions.values()) {
                if (e.stateMachineArn.equals(stateMachineArn)
                        && (statusFilter == null || statusFilter.equals(e.status))) {
                    out.add(view(e));
                }
            }
            out.sort(Comparator.comparing(ExecutionView::startDate).reversed()
                    .thenComparing(ExecutionView::executionArn));
            return out;
        }
    }

    /** Stops a running execution (status ABORTED) and returns when it stopped. */
    public Instant stopExecution(String executionArn, String error, String cause) {
        Execution running;
        synchronized (lock) {
            ExecutionRecord e = execution(executionArn);
            if (!e.status.equals("RUNNING")) {
                return e.stopDate;
            }
            running = e.running;
            if (running == null) {
                appendEvent(e, HistoryEventType.ExecutionAborted, abortDetails(error, cause), null);
                deleteOnceIdle(e.stateMachineArn);
                return e.stopDate;
            }
        }
        running.stop(error, cause);
        try {
            running.result().get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            // the abort is recorded by the engine; a slow task only delays our answer
        }
        synchronized (lock) {
            ExecutionRecord e = execution(executionArn);
            return e.stopDate != null ? e.stopDate : now();
        }
    }

    /** True when the execution's history is kept packed (tests). */
    boolean historyPacked(String executionArn) {
        synchronized (lock) {
            return execution(executionArn).isPacked();
        }
    }

    public List<HistoryEvent> history(String executionArn) {
        synchronized (lock) {
            return List.copyOf(events(execution(executionArn)));
        }
    }

    public StateMachineRecord describeStateMachineForExecution(String executionArn) {
        synchronized (lock) {
            return execution(executionArn).machine;
        }
    }

    /** The execution's result once it ends (tests and embedding callers). */
    public CompletableFuture<ExecutionResult> completion(String executionArn) {
        synchronized (lock) {
            ExecutionRecord e = execution(executionArn);
            if (e.running != null) {
                return e.running.result();
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Restarts a FAILED, TIMED_OUT or ABORTED execution from its unsuccessful state. A repeated call with the
     * clientToken of one of the last 10 redrives, within 15 minutes of it, returns that redrive instead of another.
     */
    public Instant redriveExecution(String executionArn, String clientToken) {
        if (clientToken != null && (clientToken.isEmpty() || clientToken.length() > 64)) {
            throw StepFunctionsException.validation("clientToken must be 1 to 64 characters");
        }
        synchronized (lock) {
            ExecutionRecord e = execution(executionArn);
            ExecutionRecord.RedriveToken earlier = clientToken == null ? null : e.redriveToken(clientToken);
            if (earlier != null && Duration.between(earlier.redriveDate(), now()).compareTo(REDRIVE_TOKEN_VALIDITY) <= 0) {
                return earlier.redriveDate(); // the same request again: the redrive it made
            }
            String reason = notRedrivableReason(e);
            if (reason != null) {
                throw new StepFunctionsException("ExecutionNotRedrivable", reason);
            }
            ObjectNode details = NODES.objectNode();
            details.putObject("executionRedrivenEventDetails").put("redriveCount", e.redriveCount + 1);
            appendEvent(e, HistoryEventType.ExecutionRedriven, details, clientToken);
            StateMachineDefinition definition = compileStored(e.machine.definition());
            ResumePlan plan = ResumePlanner.plan(definition, events(e), ResumePlanner.Mode.REDRIVE, e.redriveDate);
            start(e, storedInput(e.input), plan);
            return e.redriveDate;
        }
    }

    @Override
    public void close() {
        closed = true;
        List<Execution> running = new ArrayList<>();
        synchronized (lock) {
            for (ExecutionRecord e : executions.values()) {
                if (e.running != null && e.status.equals("RUNNING")) {
                    running.add(e.running);
                }
            }
        }
        synchronized (compaction) {
            journal.close();
        }
        // Running executions stay RUNNING in the journal and continue on the next start.
        // Stopping them now records nothing: the journal is closed and the listener refuses.
        running.forEach(x -> x.stop("States.Runtime", "the service closed"));
    }

    // ---------------------------------------------------------------- running

    /** Starts (plan null) or continues an execution on the engine; caller holds the lock. */
    private void start(ExecutionRecord e, JsonNode input, ResumePlan plan) {
        StateMachineRecord machine = e.machine;
        ExecutionOptions.Builder options = ExecutionOptions.builder()
                .name(e.name)
                .stateMachineName(machine.name())
                .region(config.region())
                .accountId(config.accountId())
                .roleArn(machine.roleArn())
                .clock(config.clock())
                .invoker(config.invoker())
                .listener(event -> onEvent(e, event))
                .maxHistoryEvents(config.maxHistoryEvents());
        if (e.testCase != null) {
            options.mocks(testCase(machine.name(), e.testCase));
        }
        if (e.redriveCount > 0) {
            options.redrive(e.redriveCount, e.redriveDate);
        }
        if (plan != null) {
            options.mockInvocationsSoFar(plan.invocations()); // mock indexes count across redrives and restarts
        }
        StateMachineDefinition definition = compileStored(machine.definition());
        e.journaledIds.clear();
        e.runBase = e.lastEventId();
        // the machine is DELETING: the execution fails before its first state (set before its thread starts)
        java.util.function.Consumer<Execution> beforeRun = x -> {
            if (deleting.contains(e.stateMachineArn)) {
                x.failAtNextTransition("States.Runtime", deletedCause(machine));
            }
        };
        Execution execution = plan == null
                ? ExecutionRunner.start(definition, input, options.build(), beforeRun)
                : ExecutionRunner.resume(definition, input, options.build(), plan, beforeRun);
        e.running = execution;
        execution.result().whenComplete((result, failure) -> {
            synchronized (lock) {
                // A journal that cannot be written stopped the engine: the execution did not fail, the disk did.
                // It stays RUNNING, as on disk, and continues from its last durable event after a restart.
                if (failure != null && !closed && e.status.equals("RUNNING") && !journal.failed()) {
                    ObjectNode d = NODES.objectNode();
                    ObjectNode details = d.putObject("executionFailedEventDetails");
                    details.put("error", "States.Runtime");
                    details.put("cause", "The engine failed: " + failure);
                    appendEvent(e, HistoryEventType.ExecutionFailed, d, null);
                }
                if (e.running == null) {
                    e.journaledIds.clear(); // the run is over: a kept execution does not hold its id map
                }
                deleteOnceIdle(e.stateMachineArn);
            }
        });
    }

    /**
     * Engine events the engine may go on from before they are on disk: they only announce work in flight
     * (the execution begun, whose StartExecution record is already durable; a state entered, a task scheduled,
     * started, or its result before the state exits). They are not
     * fsync'd: a power cut that loses them resumes from the last durable event and runs that work again, as a
     * restart does with any state in flight. The journal is one ordered log, so the fsync of the next event
     * waited for makes them durable too, and what is on disk is always a prefix of the history.
     */
    private static final java.util.Set<HistoryEventType> IN_FLIGHT = java.util.EnumSet.of(
            HistoryEventType.ExecutionStarted, HistoryEventType.PassStateEntered, HistoryEventType.TaskStateEntered, HistoryEventType.TaskScheduled,
            HistoryEventType.TaskStarted, HistoryEventType.TaskSucceeded, HistoryEventType.LambdaFunctionScheduled,
            HistoryEventType.LambdaFunctionStarted, HistoryEventType.LambdaFunctionSucceeded,
            HistoryEventType.ChoiceStateEntered, HistoryEventType.SucceedStateEntered, HistoryEventType.FailStateEntered,
            HistoryEventType.ParallelStateEntered, HistoryEventType.ParallelStateStarted,
            HistoryEventType.MapStateEntered, HistoryEventType.MapStateStarted, HistoryEventType.MapIterationStarted);

    /**
     * In-flight events after which the engine calls out of the process (a task's function). They are written
     * before the engine goes on, so that after a killed process the history shows the call may have happened
     * (a task is never invoked more often than it was scheduled). Other in-flight events are written with the
     * next commit: until then the engine does nothing outside this process that a restart would not redo,
     * so losing them with a killed process is the same as being killed a moment earlier.
     */
    private static final java.util.Set<HistoryEventType> CALLS_OUT = java.util.EnumSet.of(
            HistoryEventType.TaskStarted, HistoryEventType.LambdaFunctionStarted);

    /**
     * Journals an engine event before the engine goes on: durably, unless it only announces work in flight.
     * The record is queued in journal order under the lock and written (and fsync'd) outside it on this
     * thread, together with whatever other executions queued meanwhile (group commit).
     */
    private void onEvent(ExecutionRecord e, HistoryEvent event) {
        if (closed) {
            throw new IllegalStateException("the service is closed");
        }
        boolean inFlight = IN_FLIGHT.contains(event.type());
        long sequence;
        synchronized (lock) {
            long id = e.lastEventId() + 1;
            long previous = event.previousEventId() <= e.runBase ? event.previousEventId()
                    : e.journaledIds.getOrDefault(event.previousEventId(), event.previousEventId());
            e.journaledIds.put(event.id(), id);
            HistoryEvent journaled = new HistoryEvent(id, previous, event.timestamp(), event.type(), event.branch(),
                    event.retryCount(), event.details(), event.failure());
            byte[] record = encode(eventRecord(e.arn, journaled, null));
            sequence = journal.append(record);
            applyEvent(e, journaled, record, null);
            if (e.stopDate != null) {
                closedSincePack++;
            }
        }
        // A commit writes (and a synced one syncs) every record queued before it: the log has no silent gap.
        if (!inFlight) {
            journal.commit(sequence, true);
            maybeCompact();
            maybePack();
        } else if (CALLS_OUT.contains(event.type())) {
            journal.commit(sequence, false);
        }
    }

    /** A service-made event (redrive, abort without an engine): caller holds the lock. */
    private void appendEvent(ExecutionRecord e, HistoryEventType type, ObjectNode details, String token) {
        long last = e.lastEventId();
        HistoryEvent event = new HistoryEvent(last + 1, last, now(), type, "", 0, details);
        ObjectNode record = eventRecord(e.arn, event, token);
        byte[] bytes = encode(record);
        long sequence = journal.append(bytes);
        applyEvent(e, event, bytes, token);
        journal.commit(sequence, true);
        maybeCompact();
    }

    private int resumeRunning() {
        int resumed = 0;
        Instant now = now();
        synchronized (lock) {
            for (ExecutionRecord e : executions.values()) {
                if (!e.status.equals("RUNNING")) {
                    continue;
                }
                JsonNode input = storedInput(e.input);
                if (e.eventCount() == 0) {
                    start(e, input, null); // journaled but not begun: begin now
                } else {
                    StateMachineDefinition definition = compileStored(e.machine.definition());
                    start(e, input, ResumePlanner.plan(definition, events(e), ResumePlanner.Mode.CRASH, now));
                }
                resumed++;
            }
        }
        return resumed;
    }

    // ---------------------------------------------------------------- journal records

    /** Journals a record and applies it; caller holds the lock. Waits until it is durable. */
    private void write(ObjectNode record) {
        byte[] bytes = encode(record);
        long sequence = journal.append(bytes);
        apply(record, bytes);
        journal.commit(sequence, true);
        maybeCompact();
    }

    /**
     * Packs closed histories once {@link #PACK_BATCH} executions closed since the last pass, off the executions'
     * threads. Compaction packs them too, but its interval grows with the snapshot: without this, a burst of
     * executions kept every unpacked history in memory until the next compaction (about 35 KB each instead of 2).
     */
    private void maybePack() {
        synchronized (lock) {
            if (closedSincePack < PACK_BATCH || !packing.compareAndSet(false, true)) {
                return;
            }
            closedSincePack = 0;
        }
        CompletableFuture<Void> pass = new CompletableFuture<>();
        lastPack = pass;
        Thread.ofVirtual().name("sfn-pack").start(() -> {
            try {
                synchronized (compaction) {
                    packClosedHistories();
                }
            } finally {
                packing.set(false);
                pass.complete(null);
            }
        });
    }

    /** The latest pack pass started at startup or by {@link #maybePack} (tests). */
    CompletableFuture<Void> lastPack() {
        return lastPack;
    }

    private void maybeCompact() {
        if (journal.needsCompaction() && compacting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("sfn-compaction").start(() -> {
                try {
                    compactNow().join();
                } catch (java.util.concurrent.CompletionException ex) {
                    if (!closed) {
                        throw ex;
                    }
                } finally {
                    compacting.set(false);
                }
            });
        }
    }

    /**
     * Drops executions closed longer than {@link #RETENTION} ago and writes a snapshot of the rest.
     * Under the lock it only collects what the snapshot holds (each execution's summary and its history as
     * journaled) and starts the next segment; encoding the summaries and writing the file happen outside it,
     * while executions go on appending. A closed execution's history goes into the snapshot packed (one block,
     * see {@link ExecutionRecord#pack}; packed here if it was not yet, and then kept packed in memory too), a
     * running one's record by record. Then it packs the histories of executions closed since (see
     * {@link #packClosedHistories}).
     */
    CompletableFuture<Void> compactNow() {
        synchronized (compaction) {
            List<ObjectNode> heads = new ArrayList<>();
            List<ExecutionRecord.History> histories = new ArrayList<>();
            // by index in heads: a closed execution whose history is packed for the snapshot, or null
            List<ExecutionRecord> packedHere = new ArrayList<>();
            try {
                long segment;
                synchronized (lock) {
                    Instant cutoff = now().minus(RETENTION);
                    executions.values().removeIf(e -> e.stopDate != null && e.stopDate.isBefore(cutoff));
                    for (StateMachineRecord m : machines.values()) {
                        heads.add(machineRecord(m));
                        histories.add(new ExecutionRecord.History(List.of(), null, 0));
                        packedHere.add(null);
                    }
                    tags.forEach((arn, tagMap) -> {
                        heads.add(NODES.objectNode().put("k", "tags").put("arn", arn).set("tags", tagsJson(tagMap)));
                        histories.add(new ExecutionRecord.History(List.of(), null, 0));
                        packedHere.add(null);
                    });
                    for (String arn : deleting) {
                        heads.add(NODES.objectNode().put("k", "smdeleting").put("arn", arn));
                        histories.add(new ExecutionRecord.History(List.of(), null, 0));
                        packedHere.add(null);
                    }
                    // each revision an execution runs, once: the summaries name it instead of carrying it
                    java.util.Set<StateMachineRecord> ran = new java.util.LinkedHashSet<>();
                    executions.values().forEach(e -> ran.add(e.machine));
                    for (StateMachineRecord m : ran) {
                        heads.add(machineRecord(m).put("k", "rv"));
                        histories.add(new ExecutionRecord.History(List.of(), null, 0));
                        packedHere.add(null);
                    }
                    for (ExecutionRecord e : executions.values()) {
                        ExecutionRecord.History history = e.history();
                        boolean packNow = !history.isPacked() && !"RUNNING".equals(e.status) && history.size() > 0;
                        heads.add(summaryRecord(e, history.isPacked() || packNow));
                        histories.add(history);
                        packedHere.add(packNow ? e : null);
                    }
                    java.util.Set<StateMachineRecord> live = liveMachines();
                    machineJson.keySet().retainAll(live);
                    revisions.keySet().retainAll(live);
                    segment = journal.roll();
                }
                java.util.Map<Integer, byte[]> blocks = new java.util.HashMap<>();
                Iterable<byte[]> records = () -> java.util.stream.IntStream.range(0, heads.size()).boxed()
                        .flatMap(i -> java.util.stream.Stream.concat(java.util.stream.Stream.of(encode(heads.get(i))),
                                snapshotHistory(histories.get(i), packedHere.get(i) != null, i, blocks)))
                        .iterator();
                journal.writeSnapshot(segment, records);
                synchronized (lock) {
                    blocks.forEach((i, block) -> packedHere.get(i).usePacked(histories.get(i), block));
                }
                packClosedHistories();
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException ex) {
                return CompletableFuture.failedFuture(ex);
            }
        }
    }

    /** A history as the snapshot holds it: its block if packed or {@code packNow} (kept in {@code blocks}), else its records. */
    private static java.util.stream.Stream<byte[]> snapshotHistory(ExecutionRecord.History history, boolean packNow,
            int index, java.util.Map<Integer, byte[]> blocks) {
        if (history.isPacked()) {
            return java.util.stream.Stream.of(history.packed());
        }
        if (packNow) {
            byte[] block = ExecutionRecord.pack(history.records());
            blocks.put(index, block);
            return java.util.stream.Stream.of(block);
        }
        return history.records().stream();
    }

    /**
     * Packs the histories of closed executions not packed yet (one deflated block each, see
     * {@link ExecutionRecord#pack}): deflated outside the lock, swapped in under it unless the execution
     * got events meanwhile (a redrive). Runs after each compaction and once after startup, off the
     * executions' threads; caller holds the compaction monitor.
     */
    private void packClosedHistories() {
        List<ExecutionRecord> closedOnes = new ArrayList<>();
        List<ExecutionRecord.History> taken = new ArrayList<>();
        synchronized (lock) {
            for (ExecutionRecord e : executions.values()) {
                if (!e.status.equals("RUNNING") && !e.isPacked() && e.eventCount() > 0) {
                    closedOnes.add(e);
                    taken.add(e.history());
                }
            }
        }
        for (int i = 0; i < closedOnes.size() && !closed; i++) {
            byte[] block = ExecutionRecord.pack(taken.get(i).records());
            synchronized (lock) {
                closedOnes.get(i).usePacked(taken.get(i), block);
            }
        }
    }

    /**
     * An execution's "ex" record with a summary of its history, so startup can attach its event records unparsed.
     * {@code packed}: the history follows as one record, its packed block ({@link ExecutionRecord#pack}), which
     * startup keeps as it is: a closed campaign's history is ~3 KB in the snapshot instead of ~35 KB of records.
     */
    private ObjectNode summaryRecord(ExecutionRecord e, boolean packed) {
        ObjectNode r = executionHead(e.arn, e.stateMachineArn, e.name, e.input, e.startDate, e.testCase);
        r.put("mrev", e.machine.revisionId()); // its "rv" record comes earlier in the snapshot
        ObjectNode summary = r.putObject("sum").put("status", e.status).put("rc", e.redriveCount)
                .put("last", e.lastEventId()).put("events", e.eventCount());
        if (packed) {
            summary.put("packed", true);
        }
        putIfSet(summary, "stop", e.stopDate == null ? null : e.stopDate.toString());
        putIfSet(summary, "out", e.output);
        putIfSet(summary, "err", e.error);
        putIfSet(summary, "cause", e.cause);
        putIfSet(summary, "rd", e.redriveDate == null ? null : e.redriveDate.toString());
        if (!e.redriveTokens.isEmpty()) {
            var tokens = summary.putArray("toks");
            e.redriveTokens.forEach(t -> tokens.addObject().put("tok", t.token()).put("at", t.redriveDate().toString()));
        }
        return r;
    }

    private java.util.Set<StateMachineRecord> liveMachines() {
        java.util.Set<StateMachineRecord> live = new java.util.HashSet<>(machines.values());
        for (ExecutionRecord e : executions.values()) {
            live.add(e.machine);
        }
        return live;
    }

    /**
     * An "ex" record as StartExecution journals it. The state machine revision it runs is spliced in as JSON
     * encoded once per revision: its definition is most of the record's bytes and would otherwise be escaped
     * again for every execution started. (A snapshot names the revision instead, see summaryRecord.)
     */
    private ObjectNode executionRecord(String arn, String machineArn, String name, String input, Instant startDate,
            StateMachineRecord machine, String testCase) {
        ObjectNode r = executionHead(arn, machineArn, name, input, startDate, testCase);
        r.putRawValue("m", machineJson.computeIfAbsent(machine,
                m -> new RawValue(new String(encode(machineRecord(m)), StandardCharsets.UTF_8))));
        return r;
    }

    private static ObjectNode executionHead(String arn, String machineArn, String name, String input,
            Instant startDate, String testCase) {
        ObjectNode r = NODES.objectNode().put("k", "ex").put("x", arn).put("sm", machineArn).put("n", name)
                .put("in", input).put("sd", startDate.toString());
        if (testCase != null) {
            r.put("tc", testCase);
        }
        return r;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /**
     * While replaying a snapshot: the execution whose event records come next, and how many remain; or, when
     * {@code summarizedPacked}, the number of events in the packed block that comes next.
     */
    private ExecutionRecord summarized;
    private long summarizedRemaining;
    private boolean summarizedPacked;
    /** While replaying: the snapshot's "rv" records (the revisions its executions ran) by revision id. */
    private final Map<String, StateMachineRecord> snapshotRevisions = new HashMap<>();

    private void replay(byte[] payload) {
        if (summarizedPacked) {
            summarized.restorePacked(payload, (int) summarizedRemaining);
            summarizedPacked = false;
            summarizedRemaining = 0;
            return;
        }
        if (summarizedRemaining > 0) {
            summarized.add(payload, summarized.lastEventId()); // status is in the summary already
            summarizedRemaining--;
            return;
        }
        try {
            if (!deferEvent(payload)) {
                apply((ObjectNode) MAPPER.readTree(payload), payload);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable journal record", e);
        }
    }

    /**
     * Keeps an event record unparsed when it does not change the execution's status: reads
     * only the leading fields eventRecord writes first (k, x, id, p, t, ty). Startup then
     * parses a few records per execution instead of its whole history.
     */
    private boolean deferEvent(byte[] payload) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            String arn = null;
            long id = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "k" -> {
                        if (!"ev".equals(p.getText())) {
                            return false;
                        }
                    }
                    case "x" -> arn = p.getText();
                    case "id" -> id = p.getLongValue();
                    case "ty" -> {
                        String type = p.getText();
                        ExecutionRecord e = arn == null ? null : executions.get(arn);
                        if (e == null || id < 0 || type.startsWith("Execution")) {
                            return false;
                        }
                        e.add(payload, id);
                        return true;
                    }
                    default -> p.skipChildren();
                }
            }
            return false;
        }
    }

    private List<HistoryEvent> events(ExecutionRecord e) {
        return e.events(record -> {
            try {
                return eventFrom((ObjectNode) MAPPER.readTree(record));
            } catch (IOException ex) {
                throw new UncheckedIOException("unreadable journal record", ex);
            }
        });
    }

    private static HistoryEvent eventFrom(ObjectNode r) {
        return new HistoryEvent(r.get("id").asLong(), r.get("p").asLong(), Instant.parse(r.get("t").asText()),
                HistoryEventType.valueOf(r.get("ty").asText()), r.get("b").asText(), r.get("r").asInt(),
                (ObjectNode) r.get("d"), r.get("f") instanceof ObjectNode f ? f : null);
    }

    /** Applies a journal record; {@code payload} is its encoded form. */
    private void apply(ObjectNode r, byte[] payload) {
        switch (r.path("k").asText()) {
            case "sm" -> {
                StateMachineRecord m = revision(machineFrom(r));
                machines.put(m.arn(), m);
                if (r.has("tags")) {
                    tags.put(m.arn(), tagsFrom(r.get("tags")));
                }
            }
            case "tags" -> tags.put(r.get("arn").asText(), tagsFrom(r.get("tags")));
            case "rv" -> {
                StateMachineRecord m = revision(machineFrom(r));
                snapshotRevisions.put(m.revisionId(), m);
            }
            case "smdeleting" -> deleting.add(r.get("arn").asText());
            case "smdel" -> {
                machines.remove(r.get("arn").asText());
                deleting.remove(r.get("arn").asText());
                tags.remove(r.get("arn").asText());
            }
            case "ex" -> {
                String arn = r.get("x").asText();
                StateMachineRecord machine = r.has("mrev") ? snapshotRevisions.get(r.get("mrev").asText())
                        : revision(machineFrom((ObjectNode) r.get("m")));
                if (machine == null) {
                    throw new IllegalStateException("execution " + arn + " names a state machine revision the snapshot"
                            + " does not hold: " + r.get("mrev").asText());
                }
                ExecutionRecord e = new ExecutionRecord(arn, r.get("sm").asText(), r.get("n").asText(),
                        r.get("in").asText(), machine,
                        r.hasNonNull("tc") ? r.get("tc").asText() : null, Instant.parse(r.get("sd").asText()));
                executions.put(arn, e);
                JsonNode summary = r.get("sum");
                if (summary != null) {
                    e.status = summary.get("status").asText();
                    e.redriveCount = summary.get("rc").asInt();
                    e.stopDate = summary.hasNonNull("stop") ? Instant.parse(summary.get("stop").asText()) : null;
                    e.output = text(summary, "out");
                    e.error = text(summary, "err");
                    e.cause = text(summary, "cause");
                    e.redriveDate = summary.hasNonNull("rd") ? Instant.parse(summary.get("rd").asText()) : null;
                    for (JsonNode t : summary.path("toks")) {
                        e.rememberRedriveToken(t.get("tok").asText(), Instant.parse(t.get("at").asText()));
                    }
                    if (summary.hasNonNull("tok") && e.redriveDate != null) { // a snapshot that kept the last one only
                        e.rememberRedriveToken(summary.get("tok").asText(), e.redriveDate);
                    }
                    e.setLastEventId(summary.get("last").asLong());
                    summarized = e;
                    summarizedRemaining = summary.get("events").asLong();
                    summarizedPacked = summary.path("packed").asBoolean(false) && summarizedRemaining > 0;
                }
            }
            case "ev" -> {
                ExecutionRecord e = executions.get(r.get("x").asText());
                if (e != null) {
                    applyEvent(e, eventFrom(r), payload, r.hasNonNull("tok") ? r.get("tok").asText() : null);
                }
            }
            default -> throw new IllegalStateException("unknown journal record kind " + r.path("k"));
        }
    }

    /**
     * The revision as already kept, when it is: every execution of a revision replayed from the
     * journal shares one record (and one copy of its definition) instead of holding its own.
     */
    private StateMachineRecord revision(StateMachineRecord m) {
        StateMachineRecord kept = revisions.putIfAbsent(m, m);
        return kept != null ? kept : m;
    }

    /** Applies a journaled event; {@code record} is its journal record. */
    private void applyEvent(ExecutionRecord e, HistoryEvent event, byte[] record, String token) {
        e.add(record, event.id());
        JsonNode details = event.details().elements().hasNext() ? event.details().elements().next() : NODES.objectNode();
        switch (event.type()) {
            case ExecutionSucceeded -> end(e, "SUCCEEDED", event, details.path("output").asText(null), null, null);
            case ExecutionFailed -> end(e, "FAILED", event, null, text(details, "error"), text(details, "cause"));
            case ExecutionTimedOut -> end(e, "TIMED_OUT", event, null, text(details, "error"), text(details, "cause"));
            case ExecutionAborted -> end(e, "ABORTED", event, null, text(details, "error"), text(details, "cause"));
            case ExecutionRedriven -> {
                e.status = "RUNNING";
                e.stopDate = null;
                e.error = null;
                e.cause = null;
                e.redriveCount = details.path("redriveCount").asInt(e.redriveCount + 1);
                e.redriveDate = event.timestamp();
                e.rememberRedriveToken(token, event.timestamp());
            }
            default -> {
            }
        }
    }

    private static void end(ExecutionRecord e, String status, HistoryEvent event, String output, String error,
            String cause) {
        e.status = status;
        e.stopDate = event.timestamp();
        e.output = output;
        e.error = error;
        e.cause = cause;
        e.running = null;
    }

    private static String text(JsonNode details, String field) {
        JsonNode v = details.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ObjectNode machineRecord(StateMachineRecord m) {
        ObjectNode r = NODES.objectNode().put("k", "sm").put("arn", m.arn()).put("name", m.name())
                .put("def", m.definition()).put("role", m.roleArn()).put("type", m.type())
                .put("created", m.creationDate().toString()).put("rev", m.revisionId());
        if (m.updateDate() != null) {
            r.put("updated", m.updateDate().toString());
        }
        if (!m.logging().equals(StateMachineRecord.LOGGING_OFF)) {
            r.put("log", m.logging());
        }
        if (!m.tracing().equals(StateMachineRecord.TRACING_OFF)) {
            r.put("trc", m.tracing());
        }
        return r;
    }

    private static StateMachineRecord machineFrom(ObjectNode r) {
        return new StateMachineRecord(r.get("arn").asText(), r.get("name").asText(), r.get("def").asText(),
                r.get("role").asText(), r.get("type").asText(), Instant.parse(r.get("created").asText()),
                r.hasNonNull("updated") ? Instant.parse(r.get("updated").asText()) : null, r.get("rev").asText(),
                r.path("log").asText(null), r.path("trc").asText(null));
    }

    private static ObjectNode eventRecord(String arn, HistoryEvent event, String token) {
        ObjectNode r = NODES.objectNode().put("k", "ev").put("x", arn).put("id", event.id())
                .put("p", event.previousEventId()).put("t", event.timestamp().toString())
                .put("ty", event.type().name()).put("b", event.branch()).put("r", event.retryCount());
        r.set("d", event.details());
        if (event.failure() != null) {
            r.set("f", event.failure());
        }
        if (token != null) {
            r.put("tok", token);
        }
        return r;
    }

    private static byte[] encode(JsonNode record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a journal record", e);
        }
    }

    // ---------------------------------------------------------------- lookups and checks

    private ExecutionView view(ExecutionRecord e) {
        String reason = notRedrivableReason(e);
        return new ExecutionView(e.arn, e.stateMachineArn, e.name, e.status, e.startDate, e.stopDate, e.input,
                e.output, e.error, e.cause, e.redriveCount, e.redriveDate,
                reason == null ? "REDRIVABLE" : "NOT_REDRIVABLE", reason);
    }

    /** Why the execution cannot be redriven now, or null when it can (AWS's reasons). */
    private String notRedrivableReason(ExecutionRecord e) {
        // AWS: RedriveExecution is not supported by EXPRESS state machines, whatever the status.
        if (e.machine.type().equals("EXPRESS")) {
            return "Execution of an EXPRESS state machine cannot be redriven";
        }
        if (e.status.equals("RUNNING") || e.status.equals("SUCCEEDED")) {
            return "Execution is " + e.status + " and cannot be redriven";
        }
        if (!machines.containsKey(e.stateMachineArn) || deleting.contains(e.stateMachineArn)) {
            return "State machine is in DELETING status";
        }
        // a redrive's ExecutionRedriven needs a place, and the end event another
        if (e.eventCount() >= config.maxHistoryEvents() - 1) {
            return "Execution history event limit exceeded";
        }
        if (e.redriveCount >= MAX_REDRIVES) {
            return "Execution has been redriven the maximum of " + MAX_REDRIVES + " times";
        }
        if (Duration.between(e.startDate, now()).compareTo(MAX_OPEN_TIME) > 0) {
            return "Execution has exceeded the max execution time";
        }
        if (e.stopDate != null && Duration.between(e.stopDate, now()).compareTo(REDRIVE_PERIOD) > 0) {
            return "Execution redrivable period exceeded";
        }
        return null;
    }

    private StateMachineRecord machine(String arn) {
        parseMachineArn(arn);
        StateMachineRecord m = machines.get(arn);
        if (m == null) {
            throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return m;
    }

    private ExecutionRecord execution(String arn) {
        if (arn == null || !EXECUTION_ARN.matcher(arn).matches()) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: "
                    + arn + "'");
        }
        ExecutionRecord e = executions.get(arn);
        if (e == null) {
            throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return e;
    }

    private static Matcher parseMachineArn(String arn) {
        Matcher m = arn == null ? null : MACHINE_ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        return m;
    }

    private MockConfig.TestCase testCase(String machineName, String testCase) {
        if (config.mocks() == null) {
            throw StepFunctionsException.validation("test case \"" + testCase
                    + "\" requested but the service runs without a mock config");
        }
        try {
            return config.mocks().testCase(machineName, testCase);
        } catch (IllegalArgumentException e) {
            throw StepFunctionsException.validation(e.getMessage());
        }
    }

    /** A new definition (create, update), with every check. */
    private StateMachineDefinition compile(String definition) {
        if (definition == null) {
            throw StepFunctionsException.validation("definition is required");
        }
        StateMachineDefinition d = parsed(definition, StateMachineDefinition::parse);
        synchronized (compiled) {
            compiled.put(definition, d);
        }
        return d;
    }

    /**
     * The definition of a machine this service holds, to run: accepted when it was created, perhaps by an earlier
     * version with fewer checks, so what it let through still runs (see
     * {@link StateMachineDefinition#parseAcceptedBefore}); a journal from then must not stop the service starting.
     */
    private StateMachineDefinition compileStored(String definition) {
        synchronized (compiled) {
            StateMachineDefinition d = compiled.get(definition);
            if (d == null) {
                d = parsed(definition, StateMachineDefinition::parseAcceptedBefore);
                compiled.put(definition, d);
            }
            return d;
        }
    }

    private static StateMachineDefinition parsed(String definition,
            java.util.function.Function<String, StateMachineDefinition> parser) {
        try {
            return parser.apply(definition);
        } catch (InvalidDefinitionException e) {
            throw new StepFunctionsException("InvalidDefinition",
                    "Invalid State Machine Definition: '" + String.join("; ", e.problems()) + "'");
        }
    }

    /** The input of an execution this service started, perhaps before inputs were read strictly. */
    private static JsonNode storedInput(String input) {
        try {
            return MAPPER.readTree(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journaled execution input is not JSON", e);
        }
    }

    private static JsonNode parseInput(String input) {
        try {
            JsonNode node = STRICT_JSON.readTree(input);
            if (node == null || node.isMissingNode()) {
                throw new StepFunctionsException("InvalidExecutionInput", "Invalid execution input: empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("InvalidExecutionInput",
                    "Invalid State Machine Execution Input: '" + e.getOriginalMessage() + "'");
        }
    }

    /** AWS name rules: 1-80 characters, no white space, brackets, wildcards, specials or controls. */
    static void checkName(String name, String field) {
        if (name == null || name.isEmpty() || name.length() > 80) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (" + field
                    + " must be 1 to 80 characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // isSpaceChar: no-break spaces too, which isWhitespace leaves out
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || "<>{}[]?*\"#%\\^|~`$&,;:/".indexOf(c) >= 0
                    || c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (" + field
                        + " must not contain " + String.format("U+%04X", (int) c) + ")");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (" + field
                        + " is not valid Unicode: a lone surrogate)");
            }
        }
    }

    private static void checkRole(String roleArn) {
        if (roleArn == null || !roleArn.startsWith("arn:")) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: 'roleArn " + roleArn + "'");
        }
    }

    private ObjectNode abortDetails(String error, String cause) {
        ObjectNode d = NODES.objectNode();
        ObjectNode details = d.putObject("executionAbortedEventDetails");
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        return d;
    }

    private Instant now() {
        return config.clock().now();
    }
}
