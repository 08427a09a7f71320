package com.campaignflow.functions.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every environment variable campaignflow reads, and which ones each service path reads. The factories read their
 * configuration from these lists ({@code Services.fromEnvironment()} keys its cache on {@link #AGENT_SERVICES}), and
 * a test checks that template.yaml sets, per function, what the function's handler reads and nothing else: a
 * variable added here or in template.yaml alone fails the build.
 */
public final class EnvironmentVariables {

    /** How a deployed function relates to a variable. */
    public enum Kind {
        /** template.yaml must set it on every function that reads it (on AWS the function fails without it). */
        REQUIRED,
        /** template.yaml may set it; the code has a default. */
        OPTIONAL,
        /** Only the local cloud sets it; template.yaml must not (it would switch a deployed function off AWS). */
        LOCAL_ONLY
    }

    /** One variable: its name, kind and what it holds. */
    public record Variable(String name, Kind kind, String meaning) {
    }

    /** The variables one service path reads, in a fixed order. */
    public record Group(String name, List<Variable> variables) {

        public Group {
            variables = List.copyOf(variables);
        }

        public List<String> names() {
            return variables.stream().map(Variable::name).toList();
        }

        public Set<String> names(Kind kind) {
            return variables.stream().filter(v -> v.kind() == kind).map(Variable::name)
                    .collect(Collectors.toUnmodifiableSet());
        }

        public boolean contains(String variable) {
            return variables.stream().anyMatch(v -> v.name().equals(variable));
        }

        /** This group followed by {@code more} (a variable already present is not repeated). */
        public Group plus(String name, Variable... more) {
            Map<String, Variable> all = new LinkedHashMap<>();
            variables.forEach(v -> all.put(v.name(), v));
            for (Variable v : more) {
                all.putIfAbsent(v.name(), v);
            }
            return new Group(name, new ArrayList<>(all.values()));
        }
    }

    public static final Variable CAMPAIGNFLOW_DATA_DIR = new Variable("CAMPAIGNFLOW_DATA_DIR", Kind.LOCAL_ONLY,
            "when set, checkpoints and tables are files under this directory instead of S3 and DynamoDB");
    public static final Variable CAMPAIGNFLOW_FSYNC = new Variable("CAMPAIGNFLOW_FSYNC", Kind.LOCAL_ONLY,
            "with CAMPAIGNFLOW_DATA_DIR: false writes checkpoints and campaign records without fsync (they survive "
                    + "a killed process, not a power cut); default true");
    public static final Variable CHECKPOINT_BUCKET = new Variable("CHECKPOINT_BUCKET", Kind.REQUIRED,
            "S3 bucket of checkpoints/");
    public static final Variable CHECKPOINT_RETENTION_DAYS = new Variable("CHECKPOINT_RETENTION_DAYS", Kind.OPTIONAL,
            "days a checkpoint stays valid (its expires_at), the bucket lifecycle's expiration too; default 30");
    public static final Variable CAMPAIGNS_TABLE = new Variable("CAMPAIGNS_TABLE", Kind.REQUIRED,
            "DynamoDB table of campaign records");
    public static final Variable SERVICE_HEALTH_TABLE = new Variable("SERVICE_HEALTH_TABLE", Kind.REQUIRED,
            "DynamoDB table of ServiceHealth and degradation events");
    public static final Variable AGENT_PERFORMANCE_TABLE = new Variable("AGENT_PERFORMANCE_TABLE", Kind.REQUIRED,
            "DynamoDB table of AgentPerformance");
    public static final Variable CONNECTIONS_TABLE = new Variable("CONNECTIONS_TABLE", Kind.REQUIRED,
            "DynamoDB table of WebSocket connections and the progress log");
    public static final Variable IDEMPOTENCY_TABLE = new Variable("IDEMPOTENCY_TABLE", Kind.REQUIRED,
            "DynamoDB table of idempotency records and fault-injection counters");
    public static final Variable WEBSOCKET_ENDPOINT = new Variable("WEBSOCKET_ENDPOINT", Kind.REQUIRED,
            "https endpoint of the WebSocket management API (progress is pushed through it)");
    public static final Variable CAMPAIGNFLOW_FAULTS = new Variable("CAMPAIGNFLOW_FAULTS", Kind.OPTIONAL,
            "fault injection for resilience drills, e.g. researcher:once");
    public static final Variable STATE_MACHINE_ARN = new Variable("STATE_MACHINE_ARN", Kind.REQUIRED,
            "the deployed default campaign state machine");
    public static final Variable STATE_MACHINE_ROLE_ARN = new Variable("STATE_MACHINE_ROLE_ARN", Kind.REQUIRED,
            "role passed to CreateStateMachine for non-default plans");
    public static final Variable STATE_MACHINE_PREFIX = new Variable("STATE_MACHINE_PREFIX", Kind.OPTIONAL,
            "name prefix of plan state machines (default campaignflow-plan-)");
    public static final Variable AGENT_FUNCTION_ARNS = new Variable("AGENT_FUNCTION_ARNS", Kind.OPTIONAL,
            "JSON object: definition placeholder (PlannerFunctionArn, ...) to agent function ARN; without it only "
                    + "the default plan can start");
    public static final Variable API_KEYS = new Variable("API_KEYS", Kind.REQUIRED,
            "tenant=key,... : the API keys and the tenant each belongs to");
    public static final Variable CORS_ALLOW_ORIGIN = new Variable("CORS_ALLOW_ORIGIN", Kind.OPTIONAL,
            "dashboard origin answered in Access-Control-Allow-Origin");

    /** What {@code Services} reads: the stores, the progress publisher, fault injection (agent and health functions). */
    public static final Group AGENT_SERVICES = new Group("agent services", List.of(CAMPAIGNFLOW_DATA_DIR,
            CAMPAIGNFLOW_FSYNC, CHECKPOINT_BUCKET, CHECKPOINT_RETENTION_DAYS, CAMPAIGNS_TABLE, SERVICE_HEALTH_TABLE, AGENT_PERFORMANCE_TABLE, CONNECTIONS_TABLE,
            IDEMPOTENCY_TABLE, WEBSOCKET_ENDPOINT, CAMPAIGNFLOW_FAULTS));

    /**
     * What {@code ApiServices} reads on top of {@link #AGENT_SERVICES} (REST and WebSocket functions). API_KEYS is
     * optional there: behind the authorizer the tenant comes from the authorizer's context.
     */
    public static final Group API_SERVICES = AGENT_SERVICES.plus("api services", STATE_MACHINE_ARN,
            STATE_MACHINE_ROLE_ARN, STATE_MACHINE_PREFIX, AGENT_FUNCTION_ARNS,
            new Variable(API_KEYS.name(), Kind.OPTIONAL, API_KEYS.meaning()), CORS_ALLOW_ORIGIN);

    /**
     * What the health check reads on top of {@link #AGENT_SERVICES}: with AGENT_FUNCTION_ARNS its agent probes go to
     * the deployed agent functions (Lambda Invoke); without it they run in the health check's own process.
     */
    public static final Group HEALTH_CHECK = AGENT_SERVICES.plus("health check", new Variable(AGENT_FUNCTION_ARNS.name(),
            Kind.OPTIONAL, "JSON object: definition placeholder (PlannerFunctionArn, ...) to agent function ARN, the"
                    + " functions the agent probes invoke; without it agents are probed in process"));

    /** What the authorizer reads. */
    public static final Group AUTHORIZER = new Group("authorizer", List.of(API_KEYS));

    /** Set by Lambda itself or standard for every JVM function; never declared per service path. */
    private static final Set<String> STANDARD = Set.of("JAVA_TOOL_OPTIONS", "_HANDLER", "_X_AMZN_TRACE_ID", "TZ",
            "LANG", "PATH", "LD_LIBRARY_PATH");

    private EnvironmentVariables() {
    }

    /**
     * Whether {@code name} is configured by Lambda or the AWS SDK conventions ({@code AWS_*}, {@code LAMBDA_*},
     * {@code JAVA_TOOL_OPTIONS}, ...) rather than by campaignflow.
     */
    public static boolean isStandard(String name) {
        return STANDARD.contains(name) || name.startsWith("AWS_") || name.startsWith("LAMBDA_");
    }
}
