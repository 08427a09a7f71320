package com.campaignflow.local.cloud;

import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.config.EnvironmentVariables;
import com.campaignflow.functions.handlers.Services;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.local.gateway.AwsJsonService;
import com.campaignflow.local.gateway.LocalAwsCredentials;
import com.campaignflow.local.gateway.LocalGateway;
import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.lambda.ScheduledEvents;
import com.campaignflow.local.lambda.UnknownFunctionException;
import com.campaignflow.local.sfn.EngineClock;
import com.campaignflow.local.sfn.api.StepFunctionsService;
import com.campaignflow.local.sfn.lambda.InvocationResult;
import com.campaignflow.local.sfn.lambda.LambdaInvoker;
import com.campaignflow.local.sfn.lambda.LambdaServiceException;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.campaignflow.local.sfn.service.StateMachineRecord;
import com.campaignflow.local.template.IntrinsicResolver;
import com.campaignflow.local.template.LocalArns;
import com.campaignflow.local.template.LocalIntrinsics;
import com.campaignflow.local.template.SamFunction;
import com.campaignflow.local.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole local cloud in one process: the functions of template.yaml in a {@link LocalLambdaRuntime}, the durable
 * Step Functions service (its journal under {@code <data-dir>/sfn}) running the committed default definition, and
 * API Gateway ({@link LocalGateway}: REST, WebSocket, management API, dashboard, and the Step Functions API) on one
 * port. Functions see the environment template.yaml gives them, resolved locally: tables and the bucket are dropped
 * (the file adapters under {@code CAMPAIGNFLOW_DATA_DIR} replace them), ARNs are local ARNs, and the Step Functions
 * endpoint ({@code AWS_ENDPOINT_URL_SFN}) is this gateway, so the API function starts executions through
 * {@code SfnClient} exactly as on AWS. Schedule events fire at their {@code rate(...)} ({@code HealthCheckFunction}
 * every minute; a {@code cron(...)} schedule does not run locally), and the
 * {@link ProgressRelay} pushes the agents' progress to WebSocket subscribers.
 */
public final class LocalCloud implements AutoCloseable {

    /** The default state machine's name ({@code CampaignStateMachine} in template.yaml). */
    public static final String STATE_MACHINE_NAME = "campaignflow-workflow";
    public static final String STATE_MACHINE_ARN =
            "arn:aws:states:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT_ID + ":stateMachine:" + STATE_MACHINE_NAME;
    static final String STATE_MACHINE_ROLE_ARN =
            "arn:aws:iam::" + LocalArns.ACCOUNT_ID + ":role/campaignflow-local-state-machine";
    static final String TEMPLATE_FILE = "template.yaml";
    static final String DEFINITION_FILE = "statemachine/campaign-workflow.asl.json";
    /** Where the build embeds the two files above in the jar. */
    static final String EMBEDDED = "campaignflow/";

    /** The connections table's local name (Services' default for CONNECTIONS_TABLE). */
    static final String CONNECTIONS_TABLE = "connections";
    /** How often new progress lines are relayed to WebSocket subscribers. */
    static final Duration PROGRESS_POLL = Duration.ofMillis(100);

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)Arn}");

    /**
     * @param dataDir             everything the cloud keeps: checkpoints, tables, progress, the Step Functions journal
     * @param faults              {@code CAMPAIGNFLOW_FAULTS} for every function, or null
     * @param apiKeys             {@code API_KEYS} ({@code tenant=key,...}) for every function
     * @param port                the gateway's port; 0 picks a free one
     * @param functionLog         where function log lines go
     * @param schedulePeriod      null: each Schedule event of the template fires at its {@code rate(...)} (the health
     *                            check every minute); a period: every rate schedule fires at that period instead
     *                            (tests); zero: no schedule fires
     * @param awsEndpoint         an AWS-compatible endpoint (moto, LocalStack) for checkpoints (S3) and tables
     *                            (DynamoDB) instead of files under the data directory; null: files
     * @param fsync               false: the engine journal, checkpoints and campaign records under the data
     *                            directory are not fsync'd (they survive a killed process, not a power cut)
     */
    public record Options(Path dataDir, String faults, String apiKeys, int port, PrintStream functionLog,
                          Duration schedulePeriod, String awsEndpoint, boolean fsync) {

        public Options(Path dataDir, String faults, String apiKeys, int port, PrintStream functionLog,
                       Duration schedulePeriod) {
            this(dataDir, faults, apiKeys, port, functionLog, schedulePeriod, null, true);
        }

        public Options {
            if (dataDir == null) {
                throw new IllegalArgumentException("a data directory is required");
            }
            if (apiKeys == null || apiKeys.isBlank()) {
                throw new IllegalArgumentException("at least one API key (tenant=key) is required");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            if (awsEndpoint != null && !awsEndpoint.matches("https?://[^\\s/]+(/.*)?")) {
                throw new IllegalArgumentException("the AWS endpoint must be an http(s) URL, got " + awsEndpoint);
            }
            dataDir = dataDir.toAbsolutePath().normalize();
            functionLog = functionLog == null ? System.err : functionLog;
        }

        public static Options of(Path dataDir, String apiKeys) {
            return new Options(dataDir, null, apiKeys, 0, System.err, null);
        }

        public Options withFaults(String spec) {
            return new Options(dataDir, spec, apiKeys, port, functionLog, schedulePeriod, awsEndpoint, fsync);
        }

        public Options withPort(int newPort) {
            return new Options(dataDir, faults, apiKeys, newPort, functionLog, schedulePeriod, awsEndpoint, fsync);
        }

        public Options withFunctionLog(PrintStream log) {
            return new Options(dataDir, faults, apiKeys, port, log, schedulePeriod, awsEndpoint, fsync);
        }

        public Options withSchedulePeriod(Duration period) {
            return new Options(dataDir, faults, apiKeys, port, functionLog, period, awsEndpoint, fsync);
        }

        public Options withAwsEndpoint(String endpoint) {
            return new Options(dataDir, faults, apiKeys, port, functionLog, schedulePeriod, endpoint, fsync);
        }

        public Options withFsync(boolean on) {
            return new Options(dataDir, faults, apiKeys, port, functionLog, schedulePeriod, awsEndpoint, on);
        }
    }

    private final Options options;
    private final SamTemplate template;
    private final LocalLambdaRuntime runtime;
    private final LocalStepFunctions stepFunctions;
    private final LocalGateway gateway;
    private final ScheduledExecutorService schedules;
    private final DataDirLock lock;
    /** Null in --aws-endpoint mode. */
    private final CheckpointRetention retention;
    /** The sweep that runs when the cloud starts: how many expired checkpoints it deleted (tests). */
    private volatile java.util.concurrent.Future<Integer> firstRetentionSweep;

    private LocalCloud(Options options, SamTemplate template, LocalLambdaRuntime runtime,
                       LocalStepFunctions stepFunctions, LocalGateway gateway, ScheduledExecutorService schedules,
                       DataDirLock lock, CheckpointRetention retention) {
        this.lock = lock;
        this.retention = retention;
        this.options = options;
        this.template = template;
        this.runtime = runtime;
        this.stepFunctions = stepFunctions;
        this.gateway = gateway;
        this.schedules = schedules;
    }

    /** Starts everything; running executions journaled by an earlier run continue. */
    public static LocalCloud start(Options options) {
        try {
            // made durable when the stores under it are: a power cut must not take the directory with their files
            (options.fsync() ? Durability.SYNCED : Durability.PROCESS_SAFE).on(options.dataDir())
                    .createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + options.dataDir(), e);
        }
        DataDirLock lock = DataDirLock.acquire(options.dataDir());
        try {
            return start(options, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static LocalCloud start(Options options, DataDirLock lock) {
        // Functions must know the endpoint before they are built, so the port is fixed first.
        int port = options.port() == 0 ? freePort() : options.port();
        // the key the functions' AWS clients sign with, which the gateway's AWS APIs take (see LocalAwsCredentials)
        LocalAwsCredentials awsCredentials = LocalAwsCredentials.generate();
        SamTemplate template = withLocalEnvironment(parseTemplate(port), options, port, awsCredentials);
        if (options.awsEndpoint() != null) {
            AwsEndpointResources.ensure(options.awsEndpoint(), checkpointRetentionDays(template));
        } else {
            Services.checkLocalTables(options.dataDir(), Clock.systemUTC());
        }
        LocalLambdaRuntime runtime = new LocalLambdaRuntime(template.functions().values(),
                Thread.currentThread().getContextClassLoader(), Clock.systemUTC(), options.functionLog());
        LocalStepFunctions stepFunctions = null;
        LocalGateway gateway = null;
        try {
            stepFunctions = new LocalStepFunctions(new LocalStepFunctions.Config(options.dataDir().resolve("sfn"),
                    LocalArns.REGION, LocalArns.ACCOUNT_ID, EngineClock.system(), invoker(runtime), null, 16L << 20,
                    options.fsync()));
            deployDefaultStateMachine(stepFunctions);
            gateway = LocalGateway.start(template, runtime, port, new LocalGateway.Options(
                    LocalGateway.DEFAULT_MAX_BODY_BYTES, Clock.systemUTC(), options.functionLog())
                    .withAwsCredentials(awsCredentials));
            StepFunctionsService api = new StepFunctionsService(stepFunctions);
            gateway.mountAwsJsonService(StepFunctionsService.TARGET_PREFIX, (target, body, headers) -> {
                StepFunctionsService.Response response = api.handle(target, body);
                return new AwsJsonService.Response(response.status(), response.bodyText());
            });
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            if (stepFunctions != null) {
                stepFunctions.close();
            }
            runtime.close();
            throw e;
        }
        ScheduledExecutorService schedules = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
        });
        CheckpointRetention retention = options.awsEndpoint() != null ? null // on the endpoint: its bucket's business
                : new CheckpointRetention(options.dataDir(), options.fsync() ? Durability.SYNCED : Durability.PROCESS_SAFE,
                        Clock.systemUTC(), options.functionLog());
        LocalCloud cloud = new LocalCloud(options, template, runtime, stepFunctions, gateway, schedules, lock, retention);
        if (retention != null) {
            cloud.firstRetentionSweep = schedules.submit(retention::sweep);
            schedules.scheduleWithFixedDelay(retention::sweep, CheckpointRetention.INTERVAL.toMillis(),
                    CheckpointRetention.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        ProgressRelay relay = ProgressRelay.over(options.dataDir(), gatewayUrl(port), awsCredentials, CONNECTIONS_TABLE,
                options.functionLog());
        schedules.scheduleWithFixedDelay(relay::poll, 0, PROGRESS_POLL.toMillis(), TimeUnit.MILLISECONDS);
        cloud.startSchedules();
        return cloud;
    }

    /** {@code http://localhost:PORT}: REST API, management API and Step Functions API. */
    public URI endpoint() {
        return gateway.endpoint();
    }

    /** The key the Step Functions, Lambda Invoke and WebSocket management APIs of {@link #endpoint()} take. */
    public LocalAwsCredentials awsCredentials() {
        return gateway.awsCredentials();
    }

    public URI webSocketEndpoint() {
        return gateway.webSocketEndpoint();
    }

    public int port() {
        return gateway.port();
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public SamTemplate template() {
        return template;
    }

    /** The retention sweep run at start (null in --aws-endpoint mode). */
    java.util.concurrent.Future<Integer> firstRetentionSweep() {
        return firstRetentionSweep;
    }

    public LocalLambdaRuntime runtime() {
        return runtime;
    }

    /** The Step Functions service itself (history and completion for callers in this process). */
    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    /** Stops the schedules, the gateway and the engine; running executions stay journaled and continue on restart. */
    @Override
    public void close() {
        // a health check or progress relay in flight finishes first, so nothing writes after close returns
        if (retention != null) {
            retention.stop();
        }
        schedules.shutdown();
        try {
            if (!schedules.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                schedules.shutdownNow();
            }
        } catch (InterruptedException e) {
            schedules.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            gateway.close();
        } finally {
            try {
                stepFunctions.close();
            } finally {
                try {
                    runtime.close();
                } finally {
                    lock.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- template and environment

    /** template.yaml from the working directory when there is one, else the copy built into the jar. */
    static SamTemplate parseTemplate(int port) {
        IntrinsicResolver resolver = resolver(port);
        Path local = Path.of(TEMPLATE_FILE);
        if (Files.isRegularFile(local)) {
            return SamTemplate.parse(local, resolver);
        }
        try (Reader reader = new InputStreamReader(embedded(TEMPLATE_FILE), StandardCharsets.UTF_8)) {
            return SamTemplate.parse(reader, resolver);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded " + TEMPLATE_FILE, e);
        }
    }

    /** The committed default definition (working directory first, else the jar's copy), placeholders unresolved. */
    static String defaultDefinition() {
        Path local = Path.of(DEFINITION_FILE);
        try {
            if (Files.isRegularFile(local)) {
                return Files.readString(local);
            }
            try (InputStream in = embedded(DEFINITION_FILE)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFINITION_FILE, e);
        }
    }

    private static InputStream embedded(String file) {
        InputStream in = LocalCloud.class.getClassLoader().getResourceAsStream(EMBEDDED + file);
        if (in == null) {
            throw new IllegalStateException(file + " is neither in the working directory nor built into the jar"
                    + " (rebuild infra)");
        }
        return in;
    }

    /**
     * The local values of template intrinsics: the state machine and its role get local ARNs, the WebSocket
     * management endpoint is this gateway, and every table and bucket reference is dropped (the file adapters under
     * the data directory use their local table names).
     */
    static IntrinsicResolver resolver(int port) {
        LocalIntrinsics intrinsics = new LocalIntrinsics("campaignflow", (id, attribute) -> Optional.empty());
        return request -> switch (request.variable()) {
            case "STATE_MACHINE_ARN" -> Optional.of(STATE_MACHINE_ARN);
            case "STATE_MACHINE_ROLE_ARN" -> Optional.of(STATE_MACHINE_ROLE_ARN);
            case "WEBSOCKET_ENDPOINT" -> Optional.of(gatewayUrl(port));
            default -> intrinsics.resolve(request);
        };
    }

    /** The functions' CHECKPOINT_RETENTION_DAYS (template.yaml's CheckpointRetentionDays), for the bucket's lifecycle. */
    private static int checkpointRetentionDays(SamTemplate template) {
        return template.functions().values().stream()
                .map(f -> f.environment().get(EnvironmentVariables.CHECKPOINT_RETENTION_DAYS.name()))
                .filter(Objects::nonNull).findFirst()
                .map(days -> (int) CheckpointPolicy.withRetentionDays(days).retention().toDays())
                .orElse((int) CheckpointPolicy.DEFAULT.retention().toDays());
    }

    static String gatewayUrl(int port) {
        return "http://localhost:" + port;
    }

    /** Adds what the local cloud itself provides to every function's environment. */
    static SamTemplate withLocalEnvironment(SamTemplate template, Options options, int port,
                                            LocalAwsCredentials awsCredentials) {
        Map<String, SamFunction> functions = new LinkedHashMap<>();
        for (SamFunction f : template.functions().values()) {
            Map<String, String> env = new LinkedHashMap<>(f.environment());
            if (options.awsEndpoint() == null) {
                env.put("CAMPAIGNFLOW_DATA_DIR", options.dataDir().toString());
                if (options.fsync()) {
                    env.remove("CAMPAIGNFLOW_FSYNC");
                } else {
                    env.put("CAMPAIGNFLOW_FSYNC", "false");
                }
            } else {
                // checkpoints and tables on the AWS-compatible endpoint, through the production adapters
                env.remove("CAMPAIGNFLOW_DATA_DIR");
                env.put("AWS_ENDPOINT_URL_S3", options.awsEndpoint());
                env.put("AWS_ENDPOINT_URL_DYNAMODB", options.awsEndpoint());
                env.putAll(AwsEndpointResources.NAMES);
            }
            if (options.faults() != null && !options.faults().isBlank()) {
                env.put("CAMPAIGNFLOW_FAULTS", options.faults());
            } else {
                env.remove("CAMPAIGNFLOW_FAULTS");
            }
            env.put("API_KEYS", options.apiKeys());
            env.put("AWS_REGION", LocalArns.REGION);
            env.put("AWS_ACCESS_KEY_ID", awsCredentials.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", awsCredentials.secretAccessKey());
            env.put("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:" + port);
            env.put("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + port); // the health check's agent probes
            // Not only the functions that message connections: it also tells apart the configurations of two local
            // clouds in one JVM (tests), whose per-environment service caches must not be shared.
            env.put("WEBSOCKET_ENDPOINT", gatewayUrl(port));
            env.putIfAbsent("CORS_ALLOW_ORIGIN", "*"); // docs/contracts.md: the local dashboard may call from anywhere
            env.remove("JAVA_TOOL_OPTIONS"); // one JVM for all functions: its options are the process's
            functions.put(f.logicalId(), new SamFunction(f.logicalId(), f.handler(), f.runtime(), f.timeout(),
                    f.memoryMb(), env, f.apiEvents(), f.scheduleEvents(), f.autoPublishAlias()));
        }
        return new SamTemplate(functions, template.restRoutes(), template.restStage(), template.cors(),
                template.gatewayResponses(), template.webSocketRoutes(), template.webSocketRouteResponses(),
                template.webSocketAuthorizer(), template.webSocketStage(),
                template.webSocketRouteSelection());
    }

    // ---------------------------------------------------------------- Step Functions

    /** The Step Functions Lambda integration over the local runtime (Invoke semantics, as the runtime documents). */
    static LambdaInvoker invoker(LocalLambdaRuntime runtime) {
        return (functionArn, payloadJson) -> {
            com.campaignflow.local.lambda.InvocationResult result;
            try {
                result = runtime.invoke(functionArn, payloadJson);
            } catch (UnknownFunctionException e) {
                throw LambdaServiceException.resourceNotFound(functionArn);
            } catch (com.campaignflow.local.lambda.RequestTooLargeException e) {
                throw new LambdaServiceException("Lambda.RequestTooLargeException", e.getMessage());
            }
            return switch (result) {
                case com.campaignflow.local.lambda.InvocationResult.Success s -> InvocationResult.success(s.payload());
                case com.campaignflow.local.lambda.InvocationResult.FunctionError f ->
                        InvocationResult.functionError(f.payload());
            };
        };
    }

    /** The committed definition with {@code ${<LogicalId>Arn}} replaced, as DefinitionSubstitutions does on AWS. */
    static String substitute(String definition) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(LocalArns.functionArn(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Creates the default state machine, or updates it when the committed definition changed since. */
    private static void deployDefaultStateMachine(LocalStepFunctions service) {
        String definition = substitute(defaultDefinition());
        Optional<StateMachineRecord> existing = service.listStateMachines().stream()
                .filter(m -> m.arn().equals(STATE_MACHINE_ARN)).findFirst();
        if (existing.isEmpty()) {
            service.createStateMachine(STATE_MACHINE_NAME, definition, STATE_MACHINE_ROLE_ARN, "STANDARD");
        } else if (!existing.get().definition().equals(definition)) {
            service.updateStateMachine(STATE_MACHINE_ARN, definition, null);
        }
    }

    // ---------------------------------------------------------------- schedules

    private void startSchedules() {
        Duration fixedPeriod = options.schedulePeriod();
        if (fixedPeriod != null && (fixedPeriod.isZero() || fixedPeriod.isNegative())) {
            return;
        }
        for (SamFunction function : template.functions().values()) {
            for (SamFunction.ScheduleEvent event : function.scheduleEvents()) {
                firingPeriod(function, event, fixedPeriod, options.functionLog()).ifPresent(period ->
                        // Like an EventBridge rate rule: the first run is one period after the rule is created.
                        schedules.scheduleAtFixedRate(() -> fire(function, event), period.toMillis(), period.toMillis(),
                                TimeUnit.MILLISECONDS));
            }
        }
    }

    /**
     * How often the schedule fires locally: its rate, or {@code fixedPeriod} when set; empty when disabled or a cron
     * (or at) expression, which the local cloud does not run (saying so on {@code log}).
     */
    static Optional<Duration> firingPeriod(SamFunction function, SamFunction.ScheduleEvent event, Duration fixedPeriod,
                                           PrintStream log) {
        if (!event.enabled()) {
            return Optional.empty();
        }
        Optional<Duration> rate = event.rate();
        if (rate.isEmpty()) {
            log.println("warning: " + function.logicalId() + " (schedule " + event.name() + "): " + event.expression()
                    + " is not run by the local cloud (only rate expressions are); invoke the function to run it");
            return Optional.empty();
        }
        return Optional.of(fixedPeriod != null ? fixedPeriod : rate.get());
    }

    private void fire(SamFunction function, SamFunction.ScheduleEvent event) {
        try {
            var result = runtime.invoke(function.logicalId(), ScheduledEvents.event(function, event, java.time.Instant.now()));
            if (result instanceof com.campaignflow.local.lambda.InvocationResult.FunctionError error) {
                options.functionLog().println(function.logicalId() + " (schedule " + event.name() + ") failed: "
                        + error.errorType() + ": " + error.errorMessage());
            }
        } catch (RuntimeException e) {
            options.functionLog().println(function.logicalId() + " (schedule " + event.name() + ") failed: " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
