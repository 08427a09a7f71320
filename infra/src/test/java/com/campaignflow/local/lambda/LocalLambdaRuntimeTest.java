package com.campaignflow.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.local.fixtures.ProxyEchoHandler;
import com.campaignflow.local.fixtures.RuntimeFixtures;
import com.campaignflow.local.fixtures.ScheduledEventHandler;
import com.campaignflow.local.template.HandlerSpec;
import com.campaignflow.local.template.SamFunction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalLambdaRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private LocalLambdaRuntime runtime;

    private static SamFunction function(String name, Class<?> handler, String method, Duration timeout, Map<String, String> env) {
        return new SamFunction(name, new HandlerSpec(handler.getName(), method), "java21", timeout, 256, env, List.of(), List.of());
    }

    private LocalLambdaRuntime runtimeOf(SamFunction... functions) {
        runtime = new LocalLambdaRuntime(List.of(functions), getClass().getClassLoader(), Clock.systemUTC(),
                new PrintStream(logs, true, StandardCharsets.UTF_8));
        return runtime;
    }

    @AfterEach
    void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void mapHandler_seesItsOwnEnvironmentAtInitAndInvocation_andTheLambdaContext() throws Exception {
        runtimeOf(function("PlannerFunction", RuntimeFixtures.MapHandler.class, "handleRequest", Duration.ofSeconds(5),
                        Map.of("CAMPAIGNS_TABLE", "planner-table")),
                function("WriterFunction", RuntimeFixtures.MapHandler.class, "handleRequest", Duration.ofSeconds(5),
                        Map.of("CAMPAIGNS_TABLE", "writer-table")));

        InvocationResult planner = runtime.invoke("arn:aws:lambda:us-east-1:000000000000:function:PlannerFunction",
                "{\"step_id\":\"planner\"}");
        InvocationResult writer = runtime.invoke("WriterFunction:$LATEST", "{\"step_id\":\"writer\"}");

        assertThat(planner).isInstanceOf(InvocationResult.Success.class);
        assertThat(planner.requestId()).isNotEqualTo(writer.requestId())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        JsonNode plannerOut = JSON.readTree(planner.payload());
        assertThat(plannerOut.path("step_id").asText()).isEqualTo("planner");
        assertThat(plannerOut.path("table_at_init").asText()).isEqualTo("planner-table");
        assertThat(plannerOut.path("table_at_invoke").asText()).isEqualTo("planner-table");
        assertThat(plannerOut.path("function").asText()).isEqualTo("PlannerFunction");
        assertThat(plannerOut.path("arn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:PlannerFunction");
        assertThat(plannerOut.path("memory").asInt()).isEqualTo(256);
        assertThat(plannerOut.path("remaining_positive").asBoolean()).isTrue();
        assertThat(JSON.readTree(writer.payload()).path("table_at_init").asText()).isEqualTo("writer-table");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("[PlannerFunction ").contains("handled [step_id]");
    }

    @Test
    void environment_hasLambdasReservedVariables_underTheTemplatesOwn() {
        SamFunction function = function("PlannerFunction", RuntimeFixtures.MapHandler.class, "handleRequest",
                Duration.ofSeconds(5), Map.of("CAMPAIGNS_TABLE", "t", "AWS_REGION", "eu-west-1"));

        assertThat(LocalLambdaRuntime.environmentOf(function))
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "PlannerFunction")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
                .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java21")
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("CAMPAIGNS_TABLE", "t");
    }

    @Test
    void warmEnvironment_isReusedAcrossSequentialInvocations() {
        runtimeOf(function("PlannerFunction", RuntimeFixtures.MapHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of()));
        int before = RuntimeFixtures.MapHandler.CONSTRUCTED.get();

        runtime.invoke("PlannerFunction", "{}");
        runtime.invoke("PlannerFunction", "{}");
        runtime.invoke("PlannerFunction", "{}");

        assertThat(RuntimeFixtures.MapHandler.CONSTRUCTED.get() - before).isEqualTo(1);
        assertThat(runtime.warmEnvironments("PlannerFunction")).isEqualTo(1);
    }

    @Test
    void apiGatewayProxyEvent_isDeserializedWithLambdasFieldNames() throws Exception {
        runtimeOf(function("ApiFunction", ProxyEchoHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of("GREETING", "hi")));
        String event = """
                {"resource":"/campaigns/{campaignId}","path":"/campaigns/c1","httpMethod":"GET",
                 "headers":{"X-Test":"yes"},"queryStringParameters":{"q":"1"},
                 "multiValueQueryStringParameters":{"q":["0","1"]},"pathParameters":{"campaignId":"c1"},
                 "requestContext":{"stage":"Prod","resourcePath":"/campaigns/{campaignId}","identity":{"sourceIp":"127.0.0.1"},
                   "authorizer":{"tenant":"acme"}},
                 "body":null,"isBase64Encoded":false,"unknownField":1}""";

        InvocationResult result = runtime.invoke("ApiFunction", event);

        JsonNode response = JSON.readTree(result.payload());
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.has("isBase64Encoded")).as("null fields are left out, as the runtime does").isFalse();
        JsonNode echo = JSON.readTree(response.path("body").asText());
        assertThat(echo.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(echo.path("pathParameters").path("campaignId").asText()).isEqualTo("c1");
        assertThat(echo.path("multiValueQueryStringParameters").path("q")).hasSize(2);
        assertThat(echo.path("testHeader").asText()).isEqualTo("yes");
        assertThat(echo.path("isBase64Encoded").asBoolean(true)).isFalse();
        assertThat(echo.path("authorizer").path("tenant").asText()).isEqualTo("acme");
        assertThat(echo.path("greeting").asText()).isEqualTo("hi");
    }

    @Test
    void scheduledEvent_mapsDetailTypeAndIsoTime() {
        runtimeOf(function("HealthCheckFunction", ScheduledEventHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of()));

        InvocationResult result = runtime.invoke("HealthCheckFunction", """
                {"version":"0","id":"e1","detail-type":"Scheduled Event","source":"aws.events","account":"000000000000",
                 "time":"2026-11-26T01:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:000000000000:rule/r"],
                 "detail":{}}""");

        assertThat(result.payload()).isEqualTo("\"Scheduled Event from aws.events at 2026 resources "
                + "[arn:aws:events:us-east-1:000000000000:rule/r]\"");
    }

    @Test
    void scheduleEventSource_deliversTheEventBridgeEventItsFunctionReads() {
        SamFunction health = new SamFunction("HealthCheckFunction",
                new HandlerSpec(ScheduledEventHandler.class.getName(), "handleRequest"), "java21", Duration.ofSeconds(5), 256,
                Map.of(), List.of(), List.of(new SamFunction.ScheduleEvent("EveryMinute", "rate(1 minute)", true)));
        runtimeOf(health);

        String event = ScheduledEvents.event(health, health.scheduleEvents().getFirst(), java.time.Instant.parse("2026-11-26T01:00:00.5Z"));

        assertThat(event).contains("\"time\":\"2026-11-26T01:00:00Z\"");
        assertThat(runtime.invoke("HealthCheckFunction", event).payload()).isEqualTo("\"Scheduled Event from aws.events at 2026 "
                + "resources [arn:aws:events:us-east-1:000000000000:rule/HealthCheckFunctionEveryMinute]\"");
    }

    @Test
    void scheduleEventWithInput_deliversTheInputInsteadOfTheScheduledEvent() {
        SamFunction function = new SamFunction("Fn", new HandlerSpec(ScheduledEventHandler.class.getName(), "handleRequest"),
                "java21", Duration.ofSeconds(5), 256, Map.of(), List.of(),
                List.of(new SamFunction.ScheduleEvent("Tick", "rate(1 minute)", true, "{\"custom\":true}")));

        assertThat(ScheduledEvents.event(function, function.scheduleEvents().getFirst(), java.time.Instant.now()))
                .isEqualTo("{\"custom\":true}");
    }

    @Test
    void streamHandler_getsTheRawBytes() {
        runtimeOf(function("Upper", RuntimeFixtures.UpperCaseStreamHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of()));

        assertThat(runtime.invoke("Upper", "{\"a\":\"b\"}").payload()).isEqualTo("{\"A\":\"B\"}");
    }

    @Test
    void namedMethod_takesARecordInput() {
        runtimeOf(function("Greeter", RuntimeFixtures.RecordMethodHandler.class, "greet", Duration.ofSeconds(5), Map.of()));

        assertThat(runtime.invoke("Greeter", "{\"name\":\"ada\",\"times\":2}").payload()).isEqualTo("\"hello ada hello ada\"");
    }

    @Test
    void exception_becomesTheJavaRuntimesErrorJson_andKeepsTheEnvironmentWarm() throws Exception {
        runtimeOf(function("ResearcherFunction", RuntimeFixtures.FailingHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of()));

        InvocationResult result = runtime.invoke("ResearcherFunction", "{}");

        assertThat(result).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.errorMessage()).isEqualTo("researcher unavailable");
            assertThat(error.stackTrace()).first().asString()
                    .startsWith("com.campaignflow.local.fixtures.RuntimeFixtures$FailingHandler.handleRequest(RuntimeFixtures.java:");
            assertThat(error.stackTrace()).noneMatch(frame -> frame.contains("reflect") || frame.contains("local.lambda"));
        });
        JsonNode payload = JSON.readTree(result.payload());
        assertThat(payload.path("errorMessage").asText()).isEqualTo("researcher unavailable");
        assertThat(payload.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(payload.path("stackTrace").isArray()).isTrue();
        assertThat(payload.path("cause").path("errorType").asText()).isEqualTo("java.io.UncheckedIOException");
        assertThat(payload.path("cause").path("cause").path("errorMessage").asText()).isEqualTo("connection reset");
        assertThat(runtime.warmEnvironments("ResearcherFunction")).isEqualTo(1);
    }

    @Test
    void badHandlers_andBadEvents_areFunctionErrorsNamingTheProblem() {
        runtimeOf(function("Missing", RuntimeFixtures.class, "handleRequest", Duration.ofSeconds(5), Map.of()),
                new SamFunction("NoClass", new HandlerSpec("com.campaignflow.Nope", "handleRequest"), "java21",
                        Duration.ofSeconds(5), 128, Map.of(), List.of(), List.of()),
                function("Broken", RuntimeFixtures.BrokenInitHandler.class, "handleRequest", Duration.ofSeconds(5), Map.of()),
                function("Greeter", RuntimeFixtures.RecordMethodHandler.class, "greet", Duration.ofSeconds(5), Map.of()));

        assertThat(runtime.invoke("Missing", "{}")).isInstanceOfSatisfying(InvocationResult.FunctionError.class, e -> {
            assertThat(e.errorType()).isEqualTo("java.lang.NoSuchMethodException");
            assertThat(e.errorMessage()).contains("No public method named handleRequest");
        });
        assertThat(runtime.invoke("NoClass", "{}")).isInstanceOfSatisfying(InvocationResult.FunctionError.class, e ->
                assertThat(e.errorType()).isEqualTo("java.lang.ClassNotFoundException"));
        assertThat(runtime.invoke("Broken", "{}")).isInstanceOfSatisfying(InvocationResult.FunctionError.class, e ->
                assertThat(e.errorMessage()).isEqualTo("environment variable CAMPAIGNS_TABLE is not set"));
        assertThat(runtime.invoke("Greeter", "[1,2")).isInstanceOfSatisfying(InvocationResult.FunctionError.class, e ->
                assertThat(e.errorMessage()).startsWith("An error occurred during JSON parsing"));
        assertThatThrownBy(() -> runtime.invoke("arn:aws:lambda:us-east-1:000000000000:function:Nope", "{}"))
                .isInstanceOf(UnknownFunctionException.class).hasMessageContaining("Nope");
    }

    @Test
    void timeout_isAFunctionErrorLikeLambdas_andTheEnvironmentIsDiscarded() throws Exception {
        runtimeOf(function("SlowFunction", RuntimeFixtures.GateHandler.class, "handleRequest", Duration.ofMillis(200), Map.of()));
        RuntimeFixtures.GateHandler.release = new CountDownLatch(1); // never released: the function hangs

        InvocationResult result = runtime.invoke("SlowFunction", "\"x\"");

        assertThat(result).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Sandbox.Timedout");
            assertThat(error.errorMessage()).isEqualTo("RequestId: " + error.requestId() + " Error: Task timed out after 0.20 seconds");
        });
        assertThat(JSON.readTree(result.payload()).path("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(runtime.warmEnvironments("SlowFunction")).isZero();
    }

    @Test
    void init_doesNotCountAgainstTheTimeout_theHandlerGetsItsWholeTimeout() {
        runtimeOf(function("SlowInit", RuntimeFixtures.SlowInitHandler.class, "handleRequest", Duration.ofSeconds(1), Map.of()));
        RuntimeFixtures.SlowInitHandler.initMillis = 1_500; // longer than the timeout

        InvocationResult cold = runtime.invoke("SlowInit", "\"x\"");

        assertThat(cold).isInstanceOf(InvocationResult.Success.class);
        assertThat(Integer.parseInt(cold.payload())).isGreaterThan(800);
    }

    @Test
    void initOverTheInitLimit_isAnInitErrorSayingSo_andTheNextInvocationInitsAgain() {
        runtime = new LocalLambdaRuntime(List.of(function("SlowInit", RuntimeFixtures.SlowInitHandler.class,
                "handleRequest", Duration.ofSeconds(5), Map.of())), getClass().getClassLoader(), Clock.systemUTC(),
                new PrintStream(logs, true, StandardCharsets.UTF_8), Duration.ofMillis(300), Duration.ofSeconds(30));
        RuntimeFixtures.SlowInitHandler.initMillis = 600;

        InvocationResult tooSlow = runtime.invoke("SlowInit", "\"x\"");

        assertThat(tooSlow).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Runtime.InitError");
            assertThat(error.errorMessage()).contains("did not finish within Lambda's Init limit");
        });
        RuntimeFixtures.SlowInitHandler.initMillis = 0;
        assertThat(runtime.invoke("SlowInit", "\"x\"")).isInstanceOf(InvocationResult.Success.class);
    }

    @Test
    void anInvocationStillRunningAfterItsTimeout_isWarnedAboutOnce_namingFunctionAndRequest() throws Exception {
        runtime = new LocalLambdaRuntime(List.of(function("Stubborn", RuntimeFixtures.InterruptIgnoringHandler.class,
                "handleRequest", Duration.ofMillis(200), Map.of())), getClass().getClassLoader(), Clock.systemUTC(),
                new PrintStream(logs, true, StandardCharsets.UTF_8), LocalLambdaRuntime.INIT_LIMIT, Duration.ofMillis(300));
        RuntimeFixtures.InterruptIgnoringHandler.runMillis = 2_000;

        long invoked = System.nanoTime();
        InvocationResult timedOut = runtime.invoke("Stubborn", "\"x\"");
        String warning = "[Stubborn " + timedOut.requestId() + "] warning: still running 0.3 s after its timeout";
        long deadline = invoked + TimeUnit.SECONDS.toNanos(10);
        while (!logs.toString(StandardCharsets.UTF_8).contains(warning) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // once the handler has ended (2 s), nothing more can be said about it
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(invoked + TimeUnit.MILLISECONDS.toNanos(2_500)
                - System.nanoTime())));

        assertThat(timedOut).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error ->
                assertThat(error.errorType()).isEqualTo("Sandbox.Timedout"));
        assertThat(logs.toString(StandardCharsets.UTF_8))
                .containsOnlyOnce(warning);
    }

    @Test
    void anInvocationEndingSoonAfterItsTimeout_getsNoWarning() throws Exception {
        runtime = new LocalLambdaRuntime(List.of(function("Slow", RuntimeFixtures.InterruptIgnoringHandler.class,
                "handleRequest", Duration.ofMillis(200), Map.of())), getClass().getClassLoader(), Clock.systemUTC(),
                new PrintStream(logs, true, StandardCharsets.UTF_8), LocalLambdaRuntime.INIT_LIMIT, Duration.ofMillis(1_500));
        RuntimeFixtures.InterruptIgnoringHandler.runMillis = 300;

        runtime.invoke("Slow", "\"x\"");
        Thread.sleep(2_000); // past the moment a warning would come (timeout 0.2 s + 1.5 s); the handler ended at 0.3 s

        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("still running");
    }

    @Test
    void qualifiers_$LATESTAndTheAutoPublishAlias_areInvokedWithTheirQualifiedArn_othersAreUnknown() throws Exception {
        runtimeOf(new SamFunction("PlannerFunction", new HandlerSpec(RuntimeFixtures.MapHandler.class.getName(),
                "handleRequest"), "java21", Duration.ofSeconds(5), 256, Map.of(), List.of(), List.of(), "live"));
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:PlannerFunction";

        assertThat(JSON.readTree(runtime.invoke("PlannerFunction", "{}").payload()).path("arn").asText()).isEqualTo(arn);
        assertThat(JSON.readTree(runtime.invoke("PlannerFunction:live", "{}").payload()).path("arn").asText())
                .isEqualTo(arn + ":live");
        assertThat(JSON.readTree(runtime.invoke(arn + ":live", "{}").payload()).path("arn").asText())
                .isEqualTo(arn + ":live");
        assertThat(JSON.readTree(runtime.invoke("PlannerFunction:$LATEST", "{}").payload()).path("arn").asText())
                .isEqualTo(arn + ":$LATEST");
        for (String unknown : List.of("PlannerFunction:doesnotexist", "PlannerFunction:42", arn + ":staging")) {
            assertThatThrownBy(() -> runtime.invoke(unknown, "{}")).as(unknown)
                    .isInstanceOf(UnknownFunctionException.class).hasMessageContaining(unknown);
        }
    }

    @Test
    void aRequestOverSixMegabytes_isRefusedAsLambdaRefusesIt_oneAtTheLimitIsInvoked() {
        runtimeOf(function("EchoFunction", RuntimeFixtures.UpperCaseStreamHandler.class, "handleRequest",
                Duration.ofSeconds(20), Map.of()));
        String atTheLimit = "\"" + "a".repeat(LocalLambdaRuntime.MAX_REQUEST_BYTES - 2) + "\"";

        assertThat(runtime.invoke("EchoFunction", atTheLimit)).isInstanceOf(InvocationResult.Success.class);
        assertThatThrownBy(() -> runtime.invoke("EchoFunction", atTheLimit + " "))
                .isInstanceOf(RequestTooLargeException.class)
                .hasMessage("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    }

    @Test
    void aResponseOverSixMegabytes_isTheFunctionErrorLambdaGives_oneJustUnderIsAnswered() {
        runtimeOf(function("SizedFunction", RuntimeFixtures.SizedResponseHandler.class, "handleRequest",
                Duration.ofSeconds(20), Map.of()));
        int quotes = 2;

        InvocationResult tooLarge = runtime.invoke("SizedFunction",
                Integer.toString(LocalLambdaRuntime.MAX_RESPONSE_BYTES - quotes + 1)); // one byte over
        InvocationResult fits = runtime.invoke("SizedFunction",
                Integer.toString(LocalLambdaRuntime.MAX_RESPONSE_BYTES - quotes));

        assertThat(tooLarge).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Function.ResponseSizeTooLarge");
            assertThat(error.errorMessage()).contains("6291556 bytes");
        });
        assertThat(fits).isInstanceOf(InvocationResult.Success.class);
    }

    @Test
    void concurrentInvocations_runInSeparateEnvironments() throws Exception {
        runtimeOf(function("WriterFunction", RuntimeFixtures.GateHandler.class, "handleRequest", Duration.ofSeconds(20), Map.of()));
        RuntimeFixtures.GateHandler.arrived = new CountDownLatch(2);
        RuntimeFixtures.GateHandler.release = new CountDownLatch(1);

        var callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<InvocationResult> first = CompletableFuture.supplyAsync(() -> runtime.invoke("WriterFunction", "\"a\""), callers);
        CompletableFuture<InvocationResult> second = CompletableFuture.supplyAsync(() -> runtime.invoke("WriterFunction", "\"b\""), callers);
        callers.shutdown();
        assertThat(RuntimeFixtures.GateHandler.arrived.await(10, TimeUnit.SECONDS))
                .as("both invocations are inside the handler at once").isTrue();
        RuntimeFixtures.GateHandler.release.countDown();

        String firstInstance = first.get(10, TimeUnit.SECONDS).payload();
        String secondInstance = second.get(10, TimeUnit.SECONDS).payload();
        assertThat(firstInstance).isNotEqualTo(secondInstance);
        assertThat(runtime.warmEnvironments("WriterFunction")).isEqualTo(2);
    }

    @Test
    void closing_letsAnInvocationInFlightFinish_insteadOfInterruptingIt() throws Exception {
        runtimeOf(function("ResearcherFunction", RuntimeFixtures.GateHandler.class, "handleRequest", Duration.ofSeconds(20),
                Map.of()));
        RuntimeFixtures.GateHandler.arrived = new CountDownLatch(1);
        RuntimeFixtures.GateHandler.release = new CountDownLatch(1);
        CompletableFuture<InvocationResult> inFlight = CompletableFuture.supplyAsync(
                () -> runtime.invoke("ResearcherFunction", "\"a\""));
        assertThat(RuntimeFixtures.GateHandler.arrived.await(10, TimeUnit.SECONDS)).isTrue();

        // a Parallel branch still recording its run when the process ends: it finishes
        CompletableFuture<Void> closing = CompletableFuture.runAsync(runtime::close);
        Thread.sleep(200);
        RuntimeFixtures.GateHandler.release.countDown();
        closing.get(LocalLambdaRuntime.CLOSE_GRACE.toSeconds() + 5, TimeUnit.SECONDS);

        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(InvocationResult.Success.class);
    }
}
