package com.campaignflow.functions.handlers;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.rules.RuleBasedAgents;
import com.campaignflow.functions.aws.AwsClients;
import com.campaignflow.functions.aws.AwsCloudAdapters;
import com.campaignflow.functions.campaigns.CampaignRepository;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.config.EnvironmentVariables;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.faults.FaultInjector;
import com.campaignflow.functions.faults.FaultSpecParser;
import com.campaignflow.functions.faults.Sleeper;
import com.campaignflow.functions.health.CircuitBreaker;
import com.campaignflow.functions.health.DependencyProbe;
import com.campaignflow.functions.health.AgentProbe;
import com.campaignflow.functions.health.HealthChecker;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.functions.monitoring.PerformanceRepository;
import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.ProgressPublisher;
import com.campaignflow.functions.progress.ProgressLog;
import com.campaignflow.functions.progress.RecordingProgressPublisher;
import com.campaignflow.functions.runtime.AgentRuntime;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.functions.store.local.FileBlobStore;
import com.campaignflow.functions.store.local.FileDocumentTable;
import com.campaignflow.functions.store.local.FileProgressPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the agent and health-check handlers need, built once per container (per distinct environment in the
 * local cloud, which runs every function in one JVM). With {@code CAMPAIGNFLOW_DATA_DIR} set the ports are the
 * file adapters under that directory; otherwise the AWS adapters from {@link CloudAdapters}.
 */
public final class Services {

    /** Table names used under the data directory when the *_TABLE variables are unset. */
    static final Map<String, String> LOCAL_TABLES = Map.of(
            "CAMPAIGNS_TABLE", "campaigns",
            "SERVICE_HEALTH_TABLE", "service_health",
            "AGENT_PERFORMANCE_TABLE", "agent_performance",
            "CONNECTIONS_TABLE", "connections",
            "IDEMPOTENCY_TABLE", "idempotency");
    /** Tables that are only observed (a power cut losing their last writes loses no campaign or checkpoint). */
    private static final Set<String> OBSERVED_TABLES = Set.of("SERVICE_HEALTH_TABLE", "AGENT_PERFORMANCE_TABLE",
            "CONNECTIONS_TABLE");
    /** Tables with a time to live on {@code expires_at} (TimeToLiveSpecification in template.yaml). */
    public static final Set<String> TTL_TABLES = Set.of("CONNECTIONS_TABLE", "IDEMPOTENCY_TABLE");
    public static final String TTL_ATTRIBUTE = "expires_at";
    /** Everything {@link #fromEnvironment()} reads (the cache key): the declared list, so the two cannot differ. */
    private static final List<String> CONFIG_VARIABLES = EnvironmentVariables.AGENT_SERVICES.names();
    private static final Map<Map<String, String>, Services> PER_ENVIRONMENT = new ConcurrentHashMap<>();

    private final BlobStore blobStore;
    private final Map<String, DocumentTable> tables;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CheckpointManager checkpoints;
    private final CampaignRepository campaigns;
    private final HealthService health;
    private final PerformanceRepository performance;
    private final FaultInjector faults;
    private final ProgressPublisher publisher;
    private final ProgressLog progressLog;
    private final Map<String, Agent> agents;

    /**
     * @param tables by variable name: CAMPAIGNS_TABLE, SERVICE_HEALTH_TABLE, AGENT_PERFORMANCE_TABLE,
     *               CONNECTIONS_TABLE, IDEMPOTENCY_TABLE
     * @param faultSpec CAMPAIGNFLOW_FAULTS (null: none)
     */
    public Services(BlobStore blobStore, Map<String, DocumentTable> tables, ProgressPublisher publisher,
                    Map<String, Agent> agents, String faultSpec, Sleeper sleeper, Clock clock) {
        for (String name : LOCAL_TABLES.keySet()) {
            if (!tables.containsKey(name)) {
                throw new IllegalArgumentException("services need a table for " + name);
            }
        }
        this.blobStore = blobStore;
        this.tables = Map.copyOf(tables);
        this.clock = clock;
        // every message is also kept for WebSocket catch-up (subscribe with last_sequence)
        this.progressLog = new ProgressLog(table("CONNECTIONS_TABLE"), clock);
        this.publisher = new RecordingProgressPublisher(progressLog, publisher);
        this.agents = Map.copyOf(agents);
        CheckpointPolicy policy = CheckpointPolicy.withRetentionDays(
                FunctionEnvironment.get(EnvironmentVariables.CHECKPOINT_RETENTION_DAYS.name()).orElse(null));
        this.checkpoints = new CheckpointManager(blobStore, clock, policy);
        this.campaigns = new CampaignRepository(table("CAMPAIGNS_TABLE"), clock);
        this.health = new HealthService(table("SERVICE_HEALTH_TABLE"), CircuitBreaker.standard(), clock);
        this.performance = new PerformanceRepository(table("AGENT_PERFORMANCE_TABLE"));
        // Seeded from the spec: probability faults are reproducible for a given CAMPAIGNFLOW_FAULTS.
        long seed = faultSpec == null ? 0 : Arrays.hashCode(faultSpec.getBytes(StandardCharsets.UTF_8));
        this.sleeper = sleeper;
        this.faults = new FaultInjector(FaultSpecParser.parse(faultSpec), table("IDEMPOTENCY_TABLE"), sleeper,
                new Random(seed), clock, policy.retention());
    }

    /** File adapters under {@code dataDir}, every write that recovery relies on fsync'd. */
    public static Services local(Path dataDir, Map<String, Agent> agents, String faultSpec, Sleeper sleeper, Clock clock) {
        return local(dataDir, Durability.SYNCED, agents, faultSpec, sleeper, clock);
    }

    /**
     * File adapters under {@code dataDir}: checkpoints at dataDir/checkpoints, tables at dataDir/tables/<name>.
     * Checkpoints, campaigns and idempotency records are written with {@code durability}; health, performance,
     * connections and the progress log, which are only observed, never wait for an fsync.
     */
    public static Services local(Path dataDir, Durability durability, Map<String, Agent> agents, String faultSpec,
                                 Sleeper sleeper, Clock clock) {
        Map<String, DocumentTable> tables = new LinkedHashMap<>();
        LOCAL_TABLES.forEach((variable, name) -> tables.put(variable,
                localTable(dataDir, variable, FunctionEnvironment.get(variable).orElse(name), durability, clock)));
        return new Services(new FileBlobStore(dataDir, durability), tables, new FileProgressPublisher(dataDir), agents,
                faultSpec, sleeper, clock);
    }

    /**
     * The file table for the table variable (e.g. CONNECTIONS_TABLE) named {@code tableName} under dataDir/tables: only
     * observed tables skip fsync whatever {@code durability} says, and TTL tables expire items as DynamoDB does.
     */
    public static DocumentTable localTable(Path dataDir, String variable, String tableName, Durability durability,
                                           Clock clock) {
        if (!LOCAL_TABLES.containsKey(variable)) {
            throw new IllegalArgumentException("not a table variable: " + variable);
        }
        return new FileDocumentTable(dataDir.resolve("tables"), tableName,
                OBSERVED_TABLES.contains(variable) ? Durability.PROCESS_SAFE : durability,
                TTL_TABLES.contains(variable) ? TTL_ATTRIBUTE : null, clock);
    }

    /**
     * Reads every local table log under {@code dataDir} once, so that a corrupt one fails here, saying which file, where
     * and how to recover, instead of failing every later request with an internal error.
     *
     * @throws IllegalStateException naming the corrupt table log
     */
    public static void checkLocalTables(Path dataDir, Clock clock) {
        LOCAL_TABLES.forEach((variable, name) ->
                localTable(dataDir, variable, name, Durability.PROCESS_SAFE, clock).get("-", "-"));
    }

    /** The services for the current function environment, built on first use and then shared. */
    public static Services fromEnvironment() {
        Map<String, String> config = new LinkedHashMap<>();
        CONFIG_VARIABLES.forEach(v -> FunctionEnvironment.get(v).ifPresent(value -> config.put(v, value)));
        return PER_ENVIRONMENT.computeIfAbsent(Map.copyOf(config), c -> build());
    }

    private static Services build() {
        Map<String, Agent> agents = ruleBasedAgents();
        String faults = FunctionEnvironment.get("CAMPAIGNFLOW_FAULTS").orElse(null);
        var dataDir = FunctionEnvironment.get("CAMPAIGNFLOW_DATA_DIR");
        if (dataDir.isPresent()) {
            return local(Path.of(dataDir.get()), localDurability(), agents, faults, Sleeper.REAL, Clock.systemUTC());
        }
        CloudAdapters aws = new AwsCloudAdapters(AwsClients.shared());
        Map<String, DocumentTable> tables = new LinkedHashMap<>();
        LOCAL_TABLES.keySet().forEach(v -> tables.put(v, aws.table(FunctionEnvironment.require(v))));
        return new Services(aws.blobStore(FunctionEnvironment.require("CHECKPOINT_BUCKET")), tables,
                aws.progressPublisher(tables.get("CONNECTIONS_TABLE")), agents, faults, Sleeper.REAL, Clock.systemUTC());
    }

    /** CAMPAIGNFLOW_FSYNC: true (default) or false; anything else is a configuration error. */
    static Durability localDurability() {
        String fsync = FunctionEnvironment.get("CAMPAIGNFLOW_FSYNC").orElse("true");
        return switch (fsync) {
            case "true" -> Durability.SYNCED;
            case "false" -> Durability.PROCESS_SAFE;
            default -> throw new IllegalStateException("CAMPAIGNFLOW_FSYNC must be true or false: '" + fsync + "'");
        };
    }

    /** The deterministic rule-based agents, by wire name. */
    static Map<String, Agent> ruleBasedAgents() {
        RuleBasedAgents catalog = new RuleBasedAgents();
        Map<String, Agent> agents = new LinkedHashMap<>();
        catalog.names().forEach(name -> agents.put(name, catalog.agent(name)));
        return agents;
    }

    public DocumentTable table(String variable) {
        DocumentTable t = tables.get(variable);
        if (t == null) {
            throw new IllegalArgumentException("no table for " + variable);
        }
        return t;
    }

    public BlobStore blobStore() {
        return blobStore;
    }

    public CheckpointManager checkpoints() {
        return checkpoints;
    }

    public CampaignRepository campaigns() {
        return campaigns;
    }

    public HealthService health() {
        return health;
    }

    public PerformanceRepository performance() {
        return performance;
    }

    public ProgressPublisher publisher() {
        return publisher;
    }

    /** The recorded progress messages (what the publisher has published), for WebSocket catch-up. */
    public ProgressLog progressLog() {
        return progressLog;
    }

    public Map<String, Agent> agents() {
        return agents;
    }

    public Clock clock() {
        return clock;
    }

    public AgentRuntime agentRuntime() {
        return new AgentRuntime(agents, checkpoints, campaigns, health, performance, faults, publisher, progressLog, clock,
                sleeper);
    }

    /** Probes every agent (in this process), the checkpoint store and each table. */
    public HealthChecker healthChecker() {
        return new HealthChecker(health, () -> agents, dependencyProbes(), faults);
    }

    /** Probes the agents through {@code runner} (their deployed functions), the checkpoint store and each table. */
    public HealthChecker healthChecker(Set<String> probedAgents, AgentProbe.Runner runner) {
        return new HealthChecker(health, () -> probedAgents, runner, dependencyProbes(), () -> agents);
    }

    private Map<String, DependencyProbe> dependencyProbes() {
        Map<String, DependencyProbe> probes = new LinkedHashMap<>();
        probes.put(HealthService.CHECKPOINT_STORE, () -> {
            byte[] marker = clock.instant().toString().getBytes(StandardCharsets.UTF_8);
            blobStore.put("health/probe", marker);
            if (!blobStore.get("health/probe").map(b -> Arrays.equals(b.data(), marker)).orElse(false)) {
                throw new IllegalStateException("checkpoint store did not return what was written");
            }
        });
        tables.forEach((variable, table) -> probes.put(variable.toLowerCase(java.util.Locale.ROOT),
                () -> table.get("health#probe", "#")));
        return probes;
    }
}
