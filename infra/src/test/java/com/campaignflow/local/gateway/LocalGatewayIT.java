package com.campaignflow.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.local.fixtures.WebSocketEchoHandler;
import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.template.LocalIntrinsics;
import com.campaignflow.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** The local gateway over real HTTP and WebSocket connections, with the fixture template's test handlers. */
class LocalGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SamTemplate template;
    private static LocalLambdaRuntime runtime;
    private static LocalGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        template = SamTemplate.parse(Path.of(LocalGatewayIT.class.getResource("/templates/local-cloud-fixture.yaml").toURI()),
                new LocalIntrinsics("campaignflow", (id, attribute) -> Optional.empty()));
        runtime = new LocalLambdaRuntime(template);
        gateway = LocalGateway.start(template, runtime, 0);
        gateway.mountAwsJsonService("AWSStepFunctions", (target, body, headers) -> target.endsWith(".ListStateMachines")
                ? AwsJsonService.Response.ok("{\"stateMachines\":[],\"echo\":" + new String(body) + "}")
                : AwsJsonService.Response.error(400, "UnknownOperationException", target));
    }

    @AfterAll
    static void stopGateway() {
        gateway.stop();
        runtime.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(gateway.endpoint() + pathAndQuery));
    }

    /** A request to the gateway's AWS APIs, signed (as far as they look) with the gateway's access key. */
    private static HttpRequest.Builder signed(String pathAndQuery) {
        return signedWith(gateway.awsCredentials().accessKeyId(), pathAndQuery);
    }

    private static HttpRequest.Builder signedWith(String accessKeyId, String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId
                + "/20261128/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
    }

    // ---- REST ----

    @Test
    void aFunctionTimingOut_is502_unlessTheGatewayStoppedWaitingFirst_then504() throws Exception {
        // SlowFunction times out after 1 s: before API Gateway's 29 s, a function error
        HttpResponse<String> functionError = send(request("/slow").header("X-Api-Key", "good"));
        assertThat(functionError.statusCode()).isEqualTo(502);

        // a gateway that waits 1 s at most stops waiting first: its own 504
        LocalGateway impatient = LocalGateway.start(template, runtime, 0, new LocalGateway.Options(
                LocalGateway.DEFAULT_MAX_BODY_BYTES, java.time.Clock.systemUTC(), System.err,
                java.time.Duration.ofSeconds(1)));
        try {
            HttpResponse<String> timedOut = send(HttpRequest.newBuilder(URI.create(impatient.endpoint() + "/slow"))
                    .header("X-Api-Key", "good"));
            assertThat(timedOut.statusCode()).isEqualTo(504);
            assertThat(timedOut.body()).contains("Endpoint request timed out");
        } finally {
            impatient.stop();
        }
    }

    @Test
    void restRoute_passesPathQueryHeadersAndAuthorizerContextAsAProxyEvent() throws Exception {
        HttpResponse<String> response = send(request("/campaigns/camp%201?q=1&q=2&single=x")
                .header("X-Api-Key", "good").header("X-Test", "hi"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Handler")).contains("proxy-echo");
        assertThat(response.headers().allValues("X-Multi")).containsExactly("one", "two");
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.path("resource").asText()).isEqualTo("/campaigns/{campaignId}");
        assertThat(echo.path("path").asText()).as("encoded, as REST APIs deliver it").isEqualTo("/campaigns/camp%201");
        assertThat(echo.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(echo.path("pathParameters").path("campaignId").asText()).isEqualTo("camp 1");
        assertThat(echo.path("queryStringParameters").path("q").asText()).isEqualTo("2");
        assertThat(echo.path("multiValueQueryStringParameters").path("q").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(echo.path("testHeader").asText()).isEqualTo("hi");
        assertThat(echo.path("stage").asText()).isEqualTo("Prod");
        assertThat(echo.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(echo.path("authorizer").path("tenant").asText()).isEqualTo("acme");
        assertThat(echo.path("authorizer").path("principalId").asText()).isEqualTo("user-good");
        assertThat(echo.path("body").isNull()).isTrue();
        assertThat(echo.path("greeting").asText()).isEqualTo("hello");
    }

    @Test
    void literalRoute_winsOverParameterRoute_andGreedyProxyTakesTheRest() throws Exception {
        JsonNode latest = JSON.readTree(send(request("/campaigns/latest").header("X-Api-Key", "good")).body());
        HttpResponse<String> file = send(request("/files/reports/2026/q4.txt").header("X-Api-Key", "good")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"draft\":true}")));

        assertThat(latest.path("resource").asText()).isEqualTo("/campaigns/latest");
        JsonNode echo = JSON.readTree(file.body());
        assertThat(echo.path("resource").asText()).isEqualTo("/files/{proxy+}");
        assertThat(echo.path("httpMethod").asText()).isEqualTo("PUT");
        assertThat(echo.path("pathParameters").path("proxy").asText()).isEqualTo("reports/2026/q4.txt");
        assertThat(echo.path("body").asText()).isEqualTo("{\"draft\":true}");
    }

    @Test
    void functionStatusCode_isTheHttpStatus() throws Exception {
        assertThat(send(request("/system/health-status?status=503")).statusCode()).isEqualTo(503);
    }

    @Test
    void unknownPath_andUnknownMethodOnAKnownPath_areMissingAuthenticationToken_asApiGatewayAnswers() throws Exception {
        HttpResponse<String> missing = send(request("/nothing/here").header("X-Api-Key", "good"));
        HttpResponse<String> wrongMethod = send(request("/campaigns").header("X-Api-Key", "good"));

        for (HttpResponse<String> response : List.of(missing, wrongMethod)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).path("message").asText()).isEqualTo("Missing Authentication Token");
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
        }
    }

    @Test
    void aPathJettyRefusesBeforeRouting_isAJsonError_notAnHtmlPage() throws Exception {
        for (String path : List.of("/campaigns/%C0%AF", "/workflows/%2e%2e/checkpoints")) {
            HttpResponse<String> response = send(request(path).header("X-Api-Key", "good"));

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(JSON.readTree(response.body()).path("message").asText()).as(path).isNotBlank();
        }
    }

    @Test
    void bodyOverTheLimit_is413() throws Exception {
        byte[] body = new byte[LocalGateway.DEFAULT_MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(body, (byte) 'a');

        HttpResponse<String> response = send(request("/campaigns").header("X-Api-Key", "good")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("Request Too Long");
    }

    @Test
    void corsPreflight_answersFromTheTemplatesCorsConfig() throws Exception {
        HttpResponse<String> response = send(request("/campaigns")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("GET,POST,OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).contains("Content-Type,X-Api-Key");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("600");
    }

    @Test
    void authorizer_refusesMissingUnknownAndDeniedKeys_butNotOpenRoutes() throws Exception {
        HttpResponse<String> missing = send(request("/campaigns/c1"));
        HttpResponse<String> unknown = send(request("/campaigns/c1").header("X-Api-Key", "guess"));
        HttpResponse<String> denied = send(request("/campaigns/c1").header("X-Api-Key", "bad"));
        HttpResponse<String> open = send(request("/system/health-status"));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).path("message").asText()).isEqualTo("Unauthorized");
        assertThat(unknown.statusCode()).isEqualTo(401);
        // the fixture's GatewayResponses restyle ACCESS_DENIED (status, header, body); UNAUTHORIZED keeps API Gateway's own
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.headers().firstValue("X-Refused-By")).contains("gateway");
        assertThat(JSON.readTree(denied.body())).isEqualTo(JSON.readTree("{\"error\": \"unauthorized\", \"message\":"
                + " \"User is not authorized to access this resource with an explicit deny\", \"type\": \"ACCESS_DENIED\"}"));
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(open.body()).path("authorizer").isNull()).isTrue();
    }

    @Test
    void dashboardFiles_areServedFromTheClasspath_withoutEscapingIt() throws Exception {
        HttpResponse<String> root = send(request("/"));
        HttpResponse<String> script = send(request("/app.js"));
        HttpResponse<String> page = send(request("/fixture.html"));
        HttpResponse<String> escape = send(request("/%2e%2e/templates/local-cloud-fixture.yaml"));

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("<title>campaignflow");
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("campaignflow fixture dashboard");
        assertThat(escape.statusCode()).isIn(400, 404);
    }

    @Test
    void awsJsonRequests_goToTheServiceMountedForTheirTargetPrefix() throws Exception {
        HttpResponse<String> mounted = send(signed("/").header("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
                .header("Content-Type", "application/x-amz-json-1.0").POST(HttpRequest.BodyPublishers.ofString("{\"maxResults\":5}")));
        HttpResponse<String> unmounted = send(signed("/").header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(mounted.statusCode()).isEqualTo(200);
        assertThat(mounted.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.0");
        assertThat(JSON.readTree(mounted.body()).path("echo").path("maxResults").asInt()).isEqualTo(5);
        assertThat(unmounted.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unmounted.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
        // as Step Functions answers, successes and errors alike
        assertThat(mounted.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(unmounted.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void theAwsApis_refuseARequestNotSignedWithTheGatewaysKey_asAwsRefusesAnUnsignedOne() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");
        String otherKey = LocalAwsCredentials.generate().accessKeyId();
        List<HttpRequest.Builder> unsigned = List.of(
                request("/").header("X-Amz-Target", "AWSStepFunctions.ListStateMachines").POST(body("{}")),
                // what a web page can send: no custom header, a "simple" content type
                request("/2015-03-31/functions/ApiFunction/invocations").header("Content-Type", "text/plain")
                        .header("Origin", "https://elsewhere.example").POST(body("{}")),
                request("/@connections/" + connectionId).POST(body("hello")));
        List<HttpRequest.Builder> otherKeys = List.of(
                signedWith(otherKey, "/").header("X-Amz-Target", "AWSStepFunctions.ListStateMachines").POST(body("{}")),
                signedWith(otherKey, "/2015-03-31/functions/ApiFunction/invocations").POST(body("{}")),
                signedWith(otherKey, "/@connections/" + connectionId).POST(body("hello")),
                request("/@connections/" + connectionId).header("Authorization", "Bearer " + otherKey).POST(body("hello")));

        for (HttpRequest.Builder refused : unsigned) {
            HttpResponse<String> answer = send(refused);
            assertThat(answer.statusCode()).as(answer.request().uri().toString()).isEqualTo(403);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
            assertThat(JSON.readTree(answer.body()).path("message").asText()).startsWith("Missing Authentication Token");
        }
        for (HttpRequest.Builder refused : otherKeys) {
            HttpResponse<String> answer = send(refused);
            assertThat(answer.statusCode()).as(answer.request().uri().toString()).isEqualTo(403);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("UnrecognizedClientException");
        }
        assertThat(client.messages.poll(300, TimeUnit.MILLISECONDS)).as("no message reached the connection").isNull();
        HttpResponse<String> accepted = send(signed("/@connections/" + connectionId).POST(body("hello")));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(client.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    @Test
    void lambdaInvoke_withABodyThatIsNotJson_isInvalidRequestContent_andTheFunctionIsNotCalled() throws Exception {
        HttpResponse<String> notJson = send(signed("/2015-03-31/functions/ApiFunction/invocations")
                .POST(HttpRequest.BodyPublishers.ofString("notjson")));

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("x-amzn-ErrorType")).contains("InvalidRequestContentException");
        assertThat(notJson.headers().firstValue("X-Amz-Function-Error")).isEmpty();
        assertThat(JSON.readTree(notJson.body()).path("message").asText()).startsWith("Could not parse request body into json");
        HttpResponse<String> trailing = send(signed("/2015-03-31/functions/ApiFunction/invocations")
                .POST(HttpRequest.BodyPublishers.ofString("{} x")));
        assertThat(trailing.statusCode()).isEqualTo(400);
    }

    @Test
    void lambdaInvoke_takesPayloadsUpToLambdasSixMegabytes_andRefusesLargerAsRequestTooLarge() throws Exception {
        String twoMegabytes = "{\"body\":\"" + "a".repeat(2 << 20) + "\"}"; // over the REST API's body limit
        HttpResponse<String> invoked = send(signed("/2015-03-31/functions/ApiFunction/invocations")
                .POST(HttpRequest.BodyPublishers.ofString(twoMegabytes)));
        assertThat(invoked.statusCode()).isEqualTo(200);
        assertThat(invoked.headers().firstValue("x-amzn-ErrorType")).isEmpty();

        String sevenMegabytes = "{\"body\":\"" + "a".repeat(7_000_000) + "\"}";
        HttpResponse<String> tooLarge = send(signed("/2015-03-31/functions/ApiFunction/invocations")
                .POST(HttpRequest.BodyPublishers.ofString(sevenMegabytes)));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("x-amzn-ErrorType")).contains("RequestTooLargeException");
        assertThat(JSON.readTree(tooLarge.body()).path("message").asText())
                .isEqualTo("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    }

    @Test
    void lambdaInvoke_anUnknownQualifier_isResourceNotFound() throws Exception {
        for (String path : List.of("ApiFunction:doesnotexist", "ApiFunction:42", "ApiFunction?Qualifier=nope")) {
            HttpResponse<String> unknown = send(signed("/2015-03-31/functions/" + path.replace("?", "/invocations?")
                    + (path.contains("?") ? "" : "/invocations")).POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(unknown.statusCode()).as(path).isEqualTo(404);
            assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).as(path).contains("ResourceNotFoundException");
        }
        HttpResponse<String> latest = send(signed("/2015-03-31/functions/ApiFunction/invocations?Qualifier=%24LATEST")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(latest.statusCode()).isEqualTo(200);
        // an unqualified ARN with ?Qualifier=, as the SDKs send it
        String arn = java.net.URLEncoder.encode(com.campaignflow.local.template.LocalArns.functionArn("ApiFunction"),
                StandardCharsets.UTF_8);
        HttpResponse<String> arnUnknown = send(signed("/2015-03-31/functions/" + arn + "/invocations?Qualifier=nope")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(arnUnknown.statusCode()).isEqualTo(404);
        HttpResponse<String> conflicting = send(signed("/2015-03-31/functions/ApiFunction:live/invocations"
                + "?Qualifier=%24LATEST").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(conflicting.statusCode()).isEqualTo(400);
        assertThat(conflicting.headers().firstValue("x-amzn-ErrorType")).contains("InvalidParameterValueException");
    }

    // ---- WebSocket ----

    /** A JDK WebSocket client that queues what it receives. */
    private static class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Client connect(String query) throws Exception {
            Client client = new Client();
            client.socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(gateway.webSocketEndpoint() + query), client).get(10, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        String ask(String message) throws Exception {
            socket.sendText(message, true).get(5, TimeUnit.SECONDS);
            return next();
        }

        String next() throws Exception {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }
    }

    private static int refusedStatus(String query) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> Client.connect(query));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    @Test
    void webSocketMessages_areRoutedOnTheirAction_andTheRouteResponseComesBack() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");

        String echo = client.ask("{\"action\":\"echo\",\"n\":1}");

        assertThat(echo).isEqualTo("echo {\"action\":\"echo\",\"n\":1} to " + connectionId + " of acme");
        assertThat(connectionId).hasSize(16);
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBinaryFrame_isRefused_andTheClientDisconnectedWith1003() throws Exception {
        Client client = Client.connect("?api_key=good");

        client.socket.sendBinary(java.nio.ByteBuffer.wrap("{\"action\":\"echo\"}".getBytes()), true)
                .get(5, TimeUnit.SECONDS);

        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
        assertThat(client.messages).as("the frame was not routed").isEmpty();
    }

    @Test
    void messageWithoutAMatchingRoute_andNoDefaultRoute_getsForbidden() throws Exception {
        Client client = Client.connect("?api_key=good");

        JsonNode answer = JSON.readTree(client.ask("{\"action\":\"unknown\"}"));

        assertThat(answer.path("message").asText()).isEqualTo("Forbidden");
        assertThat(answer.path("connectionId").asText()).hasSize(16);
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void connect_isRefusedByTheAuthorizer_orByTheConnectRoutesStatusCode() {
        assertThat(refusedStatus("")).isEqualTo(401);
        assertThat(refusedStatus("?api_key=bad")).isEqualTo(403);
        assertThat(refusedStatus("?api_key=good&reject=yes")).isEqualTo(403);
    }

    @Test
    void managementApi_worksWithTheRealSdkClient_postGetDeleteAndGone() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");
        try (ApiGatewayManagementApiClient management = management()) {
            management.postToConnection(r -> r.connectionId(connectionId)
                    .data(SdkBytes.fromUtf8String("{\"type\":\"agent_progress\",\"progress\":40}")));
            assertThat(client.next()).isEqualTo("{\"type\":\"agent_progress\",\"progress\":40}");

            GetConnectionResponse connection = management.getConnection(r -> r.connectionId(connectionId));
            assertThat(connection.identity().sourceIp()).isEqualTo("127.0.0.1");
            assertThat(connection.identity().userAgent()).isNotBlank();
            assertThat(connection.connectedAt()).isNotNull();
            assertThat(connection.lastActiveAt()).isAfterOrEqualTo(connection.connectedAt());

            management.deleteConnection(r -> r.connectionId(connectionId));
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(awaitSeen("$disconnect DISCONNECT " + connectionId)).isTrue();

            assertThatThrownBy(() -> management.postToConnection(r -> r.connectionId(connectionId)
                    .data(SdkBytes.fromUtf8String("late")))).isInstanceOf(GoneException.class);
            assertThatThrownBy(() -> management.getConnection(r -> r.connectionId("AAAAAAAAAAAAAAA=")))
                    .isInstanceOf(GoneException.class);
        }
    }

    private static ApiGatewayManagementApiClient management() {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(gateway.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        gateway.awsCredentials().accessKeyId(), gateway.awsCredentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void managementApi_refusesAMessageOverApiGatewaysLimit_andTheConnectionStaysUsable() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");
        try (ApiGatewayManagementApiClient management = management()) {
            byte[] tooLarge = new byte[128 * 1024 + 1];
            java.util.Arrays.fill(tooLarge, (byte) 'x');

            assertThatThrownBy(() -> management.postToConnection(r -> r.connectionId(connectionId)
                    .data(SdkBytes.fromByteArray(tooLarge))))
                    .isInstanceOf(software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException.class);

            management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromUtf8String("still here")));
            assertThat(client.next()).isEqualTo("still here");
        }
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFrameOverApiGatewaysLimit_disconnectsTheClientWith1009_butALargeMessageInSmallFramesIsRouted() throws Exception {
        Client framed = Client.connect("?api_key=good");
        String payload = "y".repeat(90 * 1024);
        String message = "{\"action\":\"echo\",\"p\":\"" + payload + "\"}";
        for (int at = 0; at < message.length(); at += 24 * 1024) {
            int end = Math.min(message.length(), at + 24 * 1024);
            framed.socket.sendText(message.substring(at, end), end == message.length()).get(5, TimeUnit.SECONDS);
        }
        assertThat(framed.next()).startsWith("echo " + message);
        framed.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

        // the JDK client splits large messages into frames itself: one 40 KB frame written by hand
        assertThat(closeCodeAfterOneFrame(40 * 1024)).isEqualTo(1009);
    }

    @Test
    void messagesPostedAtOnce_inSeveralFramesEach_arriveWhole() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sent.add(i + ":" + String.valueOf((char) ('a' + i)).repeat(i % 2 == 0 ? 70 * 1024 : 100));
        }
        try (ApiGatewayManagementApiClient management = management();
             var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<?>> posts = new java.util.ArrayList<>();
            for (String message : sent) {
                posts.add(threads.submit(() -> management.postToConnection(r -> r.connectionId(connectionId)
                        .data(SdkBytes.fromUtf8String(message)))));
            }
            for (var post : posts) {
                post.get(30, TimeUnit.SECONDS);
            }
        }
        List<String> received = new java.util.ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            received.add(client.next());
        }

        assertThat(received).containsExactlyInAnyOrderElementsOf(sent); // none cut, merged or lost
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void stoppingTheGateway_closesItsSocketsAsGoingAway() throws Exception {
        LocalGateway stopping = LocalGateway.start(template, runtime, 0);
        Client client = new Client();
        client.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(stopping.webSocketEndpoint() + "?api_key=good"), client).get(10, TimeUnit.SECONDS);
        client.ask("{\"action\":\"whoami\"}");

        stopping.stop();

        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001); // not a dropped connection (1006)
    }

    @Test
    void stoppingTheGateway_runsDisconnectForEachOpenConnection() throws Exception {
        LocalGateway stopping = LocalGateway.start(template, runtime, 0);
        Client client = new Client();
        client.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(stopping.webSocketEndpoint() + "?api_key=good"), client).get(10, TimeUnit.SECONDS);
        String connectionId = client.ask("{\"action\":\"whoami\"}");
        WebSocketEchoHandler.SEEN.clear();

        stopping.stop();

        // when stop returns: the close handshake may end after the gateway is gone
        assertThat(WebSocketEchoHandler.SEEN).contains("$disconnect DISCONNECT " + connectionId);
    }

    @Test
    void aConnectionIsClosedAsGoingAway_atTheEndOfItsMaximumDuration_andDisconnected() throws Exception {
        LocalGateway shortLived = LocalGateway.start(template, runtime, 0, new LocalGateway.Options(
                LocalGateway.DEFAULT_MAX_BODY_BYTES, java.time.Clock.systemUTC(), System.err,
                LocalGateway.Options.DEFAULT_INTEGRATION_TIMEOUT, java.time.Duration.ofSeconds(3)));
        try {
            Client client = new Client();
            long beforeOpen = System.nanoTime(); // the duration counts from the open, which comes after this
            client.socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(shortLived.webSocketEndpoint() + "?api_key=good"), client)
                    .get(10, TimeUnit.SECONDS);
            String connectionId = client.ask("{\"action\":\"whoami\"}");

            assertThat(client.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(System.nanoTime() - beforeOpen).as("closed after its duration, not before")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2990));
            assertThat(awaitSeen("$disconnect DISCONNECT " + connectionId)).isTrue();
        } finally {
            shortLived.stop();
        }
    }

    @Test
    void aOneWayRoutesResponse_isNotPassedBackToTheClient_asApiGatewayDoesWithoutARouteResponse() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");

        client.socket.sendText("{\"action\":\"oneway\"}", true).get(5, TimeUnit.SECONDS);

        assertThat(awaitSeen("oneway MESSAGE " + connectionId)).isTrue();
        assertThat(client.messages.poll(1, TimeUnit.SECONDS)).as("a message after the oneway route ran").isNull();
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void theManagementApi_isOnlyAtTheRootsAtConnectionsPath() throws Exception {
        Client client = Client.connect("?api_key=good");
        String connectionId = client.ask("{\"action\":\"whoami\"}");

        HttpResponse<String> management = send(signed("/@connections/" + connectionId));
        HttpResponse<String> nested = send(request("/nothing/@connections/" + connectionId).header("X-Api-Key", "good"));

        assertThat(management.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(management.body()).has("connectedAt")).isTrue();
        assertThat(nested.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(nested.body()).path("message").asText()).isEqualTo("Missing Authentication Token");
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aHandshakeThatIsNotAValidVersion13Upgrade_isRefusedSayingWhy_notRoutedAsRest() throws Exception {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        String version8 = rawHandshake("GET", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n");
        String noVersion = rawHandshake("GET", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\n");
        String badKey = rawHandshake("GET", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: c2hvcnQ=\r\n");
        String post = rawHandshake("POST", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nContent-Length: 0\r\n");
        HttpResponse<String> plainGet = send(request(LocalGateway.WEBSOCKET_PATH + "?api_key=good"));

        assertThat(version8).startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13")
                .contains("Sec-WebSocket-Version 8 is not supported");
        assertThat(noVersion).startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13")
                .contains("Sec-WebSocket-Version header is missing");
        assertThat(badKey).startsWith("HTTP/1.1 400").contains("Sec-WebSocket-Key must be 16 bytes in base64");
        assertThat(post).startsWith("HTTP/1.1 400").contains("a WebSocket handshake is a GET request, not POST");
        assertThat(plainGet.statusCode()).isEqualTo(426);
        assertThat(plainGet.headers().firstValue("Upgrade")).contains("websocket");
    }

    /** Sends one request to the WebSocket path over a plain socket; returns the whole answer. */
    private static String rawHandshake(String method, String headers) throws Exception {
        URI ws = gateway.webSocketEndpoint();
        try (java.net.Socket socket = new java.net.Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((method + " " + ws.getPath() + "?api_key=good HTTP/1.1\r\nHost: "
                    + ws.getAuthority() + "\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Upgrades a plain socket, sends one masked text frame of about {@code size} bytes, returns the close code. */
    private static int closeCodeAfterOneFrame(int size) throws Exception {
        URI ws = gateway.webSocketEndpoint();
        try (java.net.Socket socket = new java.net.Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.DataInputStream(socket.getInputStream());
            out.write(("GET " + ws.getPath() + "?api_key=good HTTP/1.1\r\nHost: " + ws.getAuthority() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            byte[] payload = ("{\"action\":\"echo\",\"p\":\"" + "z".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            var frame = new java.io.ByteArrayOutputStream();
            frame.write(0x81); // FIN, text
            frame.write(0x80 | 127); // masked, 64-bit length
            frame.write(java.nio.ByteBuffer.allocate(8).putLong(payload.length).array());
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
            while (true) { // frames until the close frame: its first two payload bytes are the code
                int opcode = in.readUnsignedByte() & 0x0f;
                long length = in.readUnsignedByte() & 0x7f;
                length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                byte[] body = in.readNBytes((int) length);
                if (opcode == 0x8) {
                    return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                }
            }
        }
    }

    @Test
    void aClientThatStopsReading_isDisconnected_andOnlyThenReportedGone() throws Exception {
        Client stalled = new Client() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                messages.add(data.toString());
                return null; // no request(1): the client reads no more, its socket buffers fill up
            }
        };
        stalled.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(gateway.webSocketEndpoint() + "?api_key=good"), stalled).get(10, TimeUnit.SECONDS);
        String connectionId = stalled.ask("{\"action\":\"whoami\"}");
        byte[] chunk = new byte[120 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'w');
        try (ApiGatewayManagementApiClient management = management()) {
            boolean gone = false;
            for (int i = 0; i < 400 && !gone; i++) {
                try {
                    management.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromByteArray(chunk)));
                    // while the posts go through, the connection is there
                    assertThat(management.getConnection(r -> r.connectionId(connectionId)).connectedAt()).isNotNull();
                } catch (GoneException e) {
                    gone = true;
                }
            }

            assertThat(gone).as("a post that could not be delivered within 10 s").isTrue();
            // gone means gone: the socket was dropped, not left open without its messages
            assertThat(awaitSeen("$disconnect DISCONNECT " + connectionId)).isTrue();
            assertThatThrownBy(() -> management.getConnection(r -> r.connectionId(connectionId)))
                    .isInstanceOf(GoneException.class);
        }
    }

    private static boolean awaitSeen(String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String seen = WebSocketEchoHandler.SEEN.poll(100, TimeUnit.MILLISECONDS);
            if (line.equals(seen)) {
                return true;
            }
        }
        return false;
    }
}
