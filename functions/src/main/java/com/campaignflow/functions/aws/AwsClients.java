package com.campaignflow.functions.aws;

import com.campaignflow.functions.config.FunctionEnvironment;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The AWS SDK clients of one function container, built lazily once and shared by every invocation
 * ({@link #shared()}), all on one {@link UrlConnectionHttpClient}.
 *
 * <p>Region and endpoints come from the standard variables, read through {@link FunctionEnvironment} (not
 * {@code System.getenv}, which is what the SDK itself would read) so the local cloud's per-function environment
 * applies too: {@code AWS_REGION} (then {@code AWS_DEFAULT_REGION}), {@code AWS_ENDPOINT_URL_<SERVICE>} (S3,
 * DYNAMODB, SFN, LAMBDA, APIGATEWAYMANAGEMENTAPI) before {@code AWS_ENDPOINT_URL}. With an endpoint override S3 uses
 * path-style addressing (emulators do not resolve bucket subdomains), and explicit {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} are used as static credentials. Without an override the default provider chain
 * is used: on Lambda it re-reads the environment on every call, which matters after a SnapStart restore.
 *
 * <p>The WebSocket management client needs the API's own endpoint ({@code WEBSOCKET_ENDPOINT},
 * {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}); an
 * {@code AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI} override wins over it.
 */
public final class AwsClients {

    /** Every variable these clients read; {@link #shared()} keeps one set of clients per distinct value set. */
    private static final List<String> VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_LAMBDA",
            "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "WEBSOCKET_ENDPOINT", "CHECKPOINT_BUCKET", "CAMPAIGNS_TABLE", "SERVICE_HEALTH_TABLE",
            "AGENT_PERFORMANCE_TABLE", "CONNECTIONS_TABLE", "IDEMPOTENCY_TABLE");

    private static final class Holder {
        static final Map<Map<String, String>, AwsClients> SHARED = new ConcurrentHashMap<>();

        static {
            // First use is in a handler's constructor, during Lambda init: in time for the SnapStart snapshot.
            SnapStartPriming.register();
        }
    }
    /**
     * Bounds on every call to S3, DynamoDB, Step Functions and the WebSocket API, the SDK's retries included: a stalled
     * connection fails the call well inside the API function's 29 s instead of running the Lambda out of time halfway
     * through a multi-step operation. The Lambda client has its own bound ({@link #PROBE_CALLS}).
     */
    static final ClientOverrideConfiguration BOUNDED_CALLS = ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(Duration.ofSeconds(10))
            .apiCallTimeout(Duration.ofSeconds(20))
            .build();

    /**
     * An agent's health probe gets no longer than this: one hanging agent must not use up the health check's run (it
     * probes the agents one after another) and leave the others unprobed. A probe cut off here is not counted as a
     * failure (the agent may be slow within its function's timeout; its campaign runs tell).
     */
    static final ClientOverrideConfiguration PROBE_CALLS = ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(10))
            .build();

    private final Function<String, Optional<String>> env;
    private final Region region;
    private final SdkHttpClient httpClient;
    private S3Client s3;
    private DynamoDbClient dynamoDb;
    private SfnClient sfn;
    private LambdaClient lambda;
    private ApiGatewayManagementApiClient webSocket;

    private AwsClients(Function<String, Optional<String>> env) {
        this.env = env;
        this.region = Region.of(env.apply("AWS_REGION").or(() -> env.apply("AWS_DEFAULT_REGION")).orElseThrow(
                () -> new IllegalStateException("environment variable AWS_REGION is not set")));
        this.httpClient = UrlConnectionHttpClient.builder().build();
    }

    /**
     * The clients of this container, configured from {@link FunctionEnvironment} on first use, which also registers
     * {@link SnapStartPriming} so that a SnapStart snapshot is taken with warmed clients.
     */
    public static AwsClients shared() {
        // On Lambda the environment never changes, so this is one set of clients per container. The local cloud
        // runs many functions (and, in tests, several clouds on different ports) in one JVM: each distinct
        // configuration gets its own clients, configured from a snapshot of its variables.
        Map<String, String> config = new HashMap<>();
        VARIABLES.forEach(v -> FunctionEnvironment.get(v).ifPresent(value -> config.put(v, value)));
        return Holder.SHARED.computeIfAbsent(Map.copyOf(config),
                snapshot -> fromEnvironment(name -> Optional.ofNullable(snapshot.get(name))));
    }

    /** Clients configured from the given variable lookup (tests, and the local cloud's --aws-endpoint mode). */
    public static AwsClients fromEnvironment(Function<String, Optional<String>> env) {
        return new AwsClients(env);
    }

    public Region region() {
        return region;
    }

    /** The endpoint override for a service: {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}. */
    public Optional<URI> endpointOverride(String serviceEnvName) {
        return env.apply("AWS_ENDPOINT_URL_" + serviceEnvName.toUpperCase(Locale.ROOT))
                .or(() -> env.apply("AWS_ENDPOINT_URL"))
                .map(URI::create);
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            var builder = S3Client.builder().httpClient(httpClient).region(region).credentialsProvider(credentials())
                    .overrideConfiguration(BOUNDED_CALLS);
            endpointOverride("S3").ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
            s3 = builder.build();
        }
        return s3;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            var builder = DynamoDbClient.builder().httpClient(httpClient).region(region).credentialsProvider(credentials())
                    .overrideConfiguration(BOUNDED_CALLS);
            endpointOverride("DYNAMODB").ifPresent(builder::endpointOverride);
            dynamoDb = builder.build();
        }
        return dynamoDb;
    }

    public synchronized SfnClient sfn() {
        if (sfn == null) {
            var builder = SfnClient.builder().httpClient(httpClient).region(region).credentialsProvider(credentials())
                    .overrideConfiguration(BOUNDED_CALLS);
            endpointOverride("SFN").ifPresent(builder::endpointOverride);
            sfn = builder.build();
        }
        return sfn;
    }

    /** Invokes the agent functions (the health check's probes). */
    public synchronized LambdaClient lambda() {
        if (lambda == null) {
            var builder = LambdaClient.builder().httpClient(httpClient).region(region).credentialsProvider(credentials())
                    .overrideConfiguration(PROBE_CALLS);
            endpointOverride("LAMBDA").ifPresent(builder::endpointOverride);
            lambda = builder.build();
        }
        return lambda;
    }

    /** The management client of the WebSocket API; requires {@code WEBSOCKET_ENDPOINT} unless overridden. */
    public synchronized ApiGatewayManagementApiClient webSocket() {
        if (webSocket == null) {
            URI endpoint = env.apply("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI")
                    .or(() -> env.apply("WEBSOCKET_ENDPOINT"))
                    .map(URI::create)
                    .orElseThrow(() -> new IllegalStateException("environment variable WEBSOCKET_ENDPOINT is not set"));
            webSocket = ApiGatewayManagementApiClient.builder().httpClient(httpClient).region(region)
                    .credentialsProvider(credentials()).endpointOverride(endpoint).overrideConfiguration(BOUNDED_CALLS)
                    .build();
        }
        return webSocket;
    }

    /**
     * Warms the clients this function uses before a SnapStart snapshot: builds them and sends one cheap read per
     * configured resource, so the SDK's request pipeline, marshallers and signer are loaded and JIT-warmed in the
     * snapshot rather than on the first invocation after restore. Failures are ignored: priming must never stop
     * a function from initialising (the read may lack permission or the resource may not exist yet).
     */
    public void prime() {
        env.apply("CHECKPOINT_BUCKET").ifPresent(bucket -> quietly(() -> s3().headBucket(b -> b.bucket(bucket))));
        for (String tableVar : new String[] {"CAMPAIGNS_TABLE", "SERVICE_HEALTH_TABLE", "AGENT_PERFORMANCE_TABLE",
                "CONNECTIONS_TABLE", "IDEMPOTENCY_TABLE"}) {
            env.apply(tableVar).ifPresent(table -> quietly(() -> dynamoDb().getItem(g -> g.tableName(table)
                    .key(java.util.Map.of("pk", DynamoDbDocumentTable.s("prime#"), "sk", DynamoDbDocumentTable.s("#"))))));
        }
        // Only the functions that start executions have a state machine (read at priming time, not part of the
        // client configuration, so agent functions never read it).
        FunctionEnvironment.get("STATE_MACHINE_ARN")
                .ifPresent(arn -> quietly(() -> sfn().describeStateMachine(d -> d.stateMachineArn(arn))));
        if (env.apply("WEBSOCKET_ENDPOINT").isPresent()) {
            quietly(this::webSocket);
        }
    }

    private AwsCredentialsProvider credentials() {
        boolean overridden = env.apply("AWS_ENDPOINT_URL").isPresent()
                || env.apply("AWS_ENDPOINT_URL_S3").isPresent()
                || env.apply("AWS_ENDPOINT_URL_DYNAMODB").isPresent()
                || env.apply("AWS_ENDPOINT_URL_SFN").isPresent()
                || env.apply("AWS_ENDPOINT_URL_LAMBDA").isPresent()
                || env.apply("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI").isPresent();
        Optional<String> key = env.apply("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.apply("AWS_SECRET_ACCESS_KEY");
        if (overridden && key.isPresent() && secret.isPresent()) {
            Optional<String> token = env.apply("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (SdkException | IllegalStateException e) {
            System.getLogger(AwsClients.class.getName())
                    .log(System.Logger.Level.DEBUG, "priming call failed (ignored): " + e.getMessage());
        }
    }
}
