package com.campaignflow.functions.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.ProgressMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The connections table is DynamoDB on the emulator. The management API is a small HTTP server speaking
 * {@code POST /{stage}/@connections/{id}} like API Gateway, because moto's apigatewaymanagementapi accepts posts to
 * any connection id and never answers 410 Gone, the case that matters here.
 */
@ExtendWith(AwsEmulator.class)
class WebSocketProgressPublisherIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private ApiGatewayManagementApiClient api;
    private DynamoDbDocumentTable connections;
    private WebSocketProgressPublisher publisher;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/prod/@connections/", this::handle);
        server.start();
        api = ApiGatewayManagementApiClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod"))
                .build();
        String tableName = "Connections-" + UUID.randomUUID();
        var dynamoDb = AwsEmulator.clients().dynamoDb();
        dynamoDb.createTable(c -> c.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        connections = new DynamoDbDocumentTable(dynamoDb, tableName);
        publisher = new WebSocketProgressPublisher(api, connections);
    }

    @AfterEach
    void tearDown() {
        api.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String connectionId = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), UTF_8);
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status;
        if (!exchange.getRequestMethod().equals("POST")) {
            status = 405;
        } else if (gone.contains(connectionId)) {
            status = 410;
        } else if (failing.contains(connectionId)) {
            status = 500;
        } else {
            delivered.computeIfAbsent(connectionId, k -> new CopyOnWriteArrayList<>()).add(new String(body, UTF_8));
            status = 200;
        }
        byte[] response = status == 200 ? new byte[0]
                : ("{\"message\":\"" + (status == 410 ? "GoneException" : "error") + "\"}").getBytes(UTF_8);
        if (status == 410) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
        }
        exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    @Test
    void publish_postsSnakeCaseJsonToEverySubscriberOfTheCampaign() throws Exception {
        subscribe("conn-a=", "camp-1");
        subscribe("conn-b=", "camp-1");
        subscribe("conn-c=", "camp-2");

        publisher.publish(message("camp-1", 40));

        assertThat(delivered).containsOnlyKeys("conn-a=", "conn-b=");
        JsonNode sent = JSON.readTree(delivered.get("conn-a=").getFirst());
        assertThat(sent.get("type").asText()).isEqualTo("agent_progress");
        assertThat(sent.get("campaign_id").asText()).isEqualTo("camp-1");
        assertThat(sent.get("current_agent").asText()).isEqualTo("researcher");
        assertThat(sent.get("progress").asInt()).isEqualTo(40);
        assertThat(sent.get("checkpoint_created").asBoolean()).isTrue();
        assertThat(sent.get("degradation_level").asText()).isEqualTo("none");
        assertThat(sent.get("message").asText()).isEqualTo("researcher completed");
        assertThat(sent.get("sequence").asLong()).isEqualTo(7);
    }

    @Test
    void goneConnections_areRemovedWithAllTheirSubscriptions_andOthersStillReceive() {
        subscribe("conn-gone", "camp-1", "camp-9");
        subscribe("conn-live", "camp-1");
        gone.add("conn-gone");

        publisher.publish(message("camp-1", 60));

        assertThat(delivered).containsOnlyKeys("conn-live");
        assertThat(connections.get("connection#conn-gone", "#")).isEmpty();
        assertThat(connections.query("campaign#camp-1")).extracting(i -> i.get("sk").asText())
                .containsExactly("conn-live");
        assertThat(connections.query("campaign#camp-9")).isEmpty();
    }

    @Test
    void otherFailures_areSwallowed_andKeepTheSubscription() {
        subscribe("conn-broken", "camp-1");
        subscribe("conn-ok", "camp-1");
        failing.add("conn-broken");

        publisher.publish(message("camp-1", 80));

        assertThat(delivered).containsOnlyKeys("conn-ok");
        assertThat(connections.query("campaign#camp-1")).hasSize(2);
    }

    @Test
    void publish_neverThrows_evenWhenTheConnectionsTableIsUnreachable() {
        var missingTable = new DynamoDbDocumentTable(AwsEmulator.clients().dynamoDb(), "no-such-table");

        new WebSocketProgressPublisher(api, missingTable).publish(message("camp-1", 10));

        assertThat(delivered).isEmpty();
    }

    private void subscribe(String connectionId, String... campaignIds) {
        ObjectNode connection = JSON.createObjectNode()
                .put("pk", WebSocketProgressPublisher.connectionKey(connectionId)).put("sk", "#").put("tenant", "t1");
        var subscriptions = connection.putArray("subscriptions");
        for (String campaignId : campaignIds) {
            subscriptions.add(campaignId);
            connections.put(JSON.createObjectNode().put("pk", WebSocketProgressPublisher.campaignKey(campaignId))
                    .put("sk", connectionId).put("tenant", "t1"));
        }
        connections.put(connection);
    }

    private static ProgressMessage message(String campaignId, int progress) {
        return new ProgressMessage(ProgressMessage.AGENT_PROGRESS, campaignId, "researcher", progress, true, "none",
                "researcher completed", 7);
    }
}
