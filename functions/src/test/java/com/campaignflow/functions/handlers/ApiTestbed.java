package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.ConnectionMessenger;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.faults.Sleeper;
import com.campaignflow.functions.orchestration.CampaignService;
import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.store.local.InMemoryBlobStore;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.MutableClock;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API handlers over real services (CampaignService, CheckpointManager, HealthService, repositories) on in-memory
 * stores, an in-memory workflow engine and a recording WebSocket messenger; events come from the files in events/.
 */
final class ApiTestbed {

    /** The tenant and key of the sample events. */
    static final String NORTHWIND = "northwind";
    static final String NORTHWIND_KEY = "cf_live_tenant_northwind_3f9a2c";
    static final String GLOBEX_KEY = "globex-demo-key-0001";
    static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:campaignflow-default";

    /** The mapping the Lambda Java runtime uses for events (standard bean names, unknown properties ignored). */
    static final ObjectMapper LAMBDA_JSON = JsonMapper.builder()
            .enable(MapperFeature.USE_STD_BEAN_NAMING)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T01:00:00Z"));
    final InMemoryBlobStore blobs = new InMemoryBlobStore();
    final Map<String, InMemoryDocumentTable> tables = new TreeMap<>();
    final List<ProgressMessage> pushed = Collections.synchronizedList(new ArrayList<>());
    final InMemoryWorkflowEngine engine = new InMemoryWorkflowEngine(clock);
    final Map<String, List<String>> sent = new LinkedHashMap<>();
    final List<String> goneConnections = new ArrayList<>();
    final Services services;
    final CampaignService campaigns;
    final ApiServices apiServices;
    final ApiHandler api;
    final WebSocketHandler webSocket;

    /** Stores that fail as in an outage (StoreUnavailableException): {@link #BLOBS} or a table variable. */
    final Set<String> down = ConcurrentHashMap.newKeySet();
    static final String BLOBS = "blobs";
    /** Calls of each store's port methods: {@code "AGENT_PERFORMANCE_TABLE.query"} and the like. */
    final Map<String, Integer> storeCalls = new ConcurrentHashMap<>();
    /** How long each store call waits before it is made (a round trip to S3 or DynamoDB; 0 by default). */
    volatile long storeLatencyMillis;

    ApiTestbed() {
        Map<String, DocumentTable> byVariable = new LinkedHashMap<>();
        for (String variable : Services.LOCAL_TABLES.keySet()) {
            InMemoryDocumentTable table = new InMemoryDocumentTable();
            tables.put(variable, table);
            byVariable.put(variable, failingWhenDown(DocumentTable.class, table, variable));
        }
        services = new Services(failingWhenDown(BlobStore.class, blobs, BLOBS), byVariable, pushed::add, Map.of(), null,
                Sleeper.REAL, clock);
        Map<String, String> arns = new LinkedHashMap<>();
        for (String agent : PlanCompiler.AGENTS) {
            String placeholder = PlanCompiler.functionPlaceholder(agent);
            String name = placeholder.substring(2, placeholder.length() - 1);
            arns.put(name, "arn:aws:lambda:us-east-1:000000000000:function:" + name.replace("Arn", ""));
        }
        campaigns = ApiServices.campaignService(services, engine, STATE_MACHINE_ARN, "campaignflow-plan-", arns);
        ConnectionMessenger messenger = (connectionId, message) -> {
            synchronized (sent) {
                sent.computeIfAbsent(connectionId, c -> new ArrayList<>()).add(message);
            }
            return !goneConnections.contains(connectionId);
        };
        apiServices = new ApiServices(services, campaigns,
                ApiKeys.parse("northwind=" + NORTHWIND_KEY + ",globex=" + GLOBEX_KEY), () -> messenger, null);
        api = new ApiHandler(apiServices);
        webSocket = new WebSocketHandler(apiServices);
    }

    /** {@code target} behind a port that throws StoreUnavailableException while {@code name} is {@link #down}. */
    @SuppressWarnings("unchecked")
    private <T> T failingWhenDown(Class<T> port, T target, String name) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            storeCalls.merge(name + "." + method.getName(), 1, Integer::sum);
            if (storeLatencyMillis > 0) {
                Thread.sleep(storeLatencyMillis);
            }
            if (down.contains(name)) {
                throw new StoreUnavailableException(name + " " + method.getName(), new IOException("outage"));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    // ---- events ----

    static Path eventsDir() {
        for (Path candidate : List.of(Path.of("../events"), Path.of("events"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("events/ not found from " + Path.of("").toAbsolutePath());
    }

    static String eventText(String file) {
        try {
            return Files.readString(eventsDir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T event(String file, Class<T> type) {
        try {
            return LAMBDA_JSON.readValue(eventText(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of events/create-campaign.json, with campaign_id replaced. */
    static String campaignBody(String campaignId) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(eventText("create-campaign.json"));
            body.put("campaign_id", campaignId);
            return body.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A request as the gateway sends it without an authorizer (the tenant comes from the key): the sample create
     * event with method, path and body replaced; no Idempotency-Key unless added.
     */
    static APIGatewayProxyRequestEvent request(String method, String path, String body, String apiKey) {
        APIGatewayProxyRequestEvent event = event("api-create-campaign.json", APIGatewayProxyRequestEvent.class);
        event.setHttpMethod(method);
        event.setPath(path);
        event.setResource(path);
        event.setBody(body);
        event.getRequestContext().setAuthorizer(null);
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        headers.remove("Idempotency-Key");
        headers.remove("x-api-key");
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        if (body == null) {
            headers.remove("Content-Type");
        }
        event.setHeaders(headers);
        event.setMultiValueHeaders(null);
        return event;
    }

    static APIGatewayProxyRequestEvent withHeader(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        event.setHeaders(headers);
        return event;
    }

    APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return api.handleRequest(event, null);
    }

    APIGatewayProxyResponseEvent call(String method, String path, String body, String apiKey) {
        return call(request(method, path, body, apiKey));
    }

    static JsonNode json(APIGatewayProxyResponseEvent response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a campaign of the key's tenant; returns the response body. */
    JsonNode create(String campaignId, String apiKey) {
        APIGatewayProxyResponseEvent response = call("POST", "/campaigns", campaignBody(campaignId), apiKey);
        if (response.getStatusCode() != 202) {
            throw new AssertionError("create failed: " + response.getStatusCode() + " " + response.getBody());
        }
        return json(response);
    }

    /** An automatic checkpoint as the agent runtime writes it, after {@code completed} steps. */
    CheckpointEntry checkpoint(JsonNode campaign, String stepId, List<String> completed, int progress) {
        return checkpoint(campaign, campaign.path("workflow_id").asText(), stepId, completed, progress);
    }

    /** The same, written by the execution named {@code executionId} (a resume's). */
    CheckpointEntry checkpoint(JsonNode campaign, String executionId, String stepId, List<String> completed, int progress) {
        ObjectNode data = JSON.createObjectNode();
        completed.forEach(s -> data.putObject(s).put("agent", s));
        return services.checkpoints().create(new NewCheckpoint(campaign.path("workflow_id").asText(),
                campaign.path("campaign_id").asText(), executionId, stepId, stepId,
                "agent_" + stepId + "_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                new StateData(completed, List.of(), data, progress), "continue after " + stepId,
                List.of("continue", "retry", "skip"), 0.8, stepId + " done", 3));
    }

    /** Every stored item, object and engine call: equal before and after means nothing changed. */
    String state() {
        StringBuilder s = new StringBuilder();
        tables.forEach((name, table) -> table.scan().forEach(item -> s.append(name).append(' ').append(item).append('\n')));
        for (String key : blobs.list("")) {
            s.append(key).append(' ').append(HexFormat.of().formatHex(blobs.get(key).orElseThrow().data()).hashCode())
                    .append('\n');
        }
        s.append(engine.starts()).append(engine.redrives()).append(engine.stateMachines().keySet());
        return s.toString();
    }

    // ---- WebSocket ----

    static APIGatewayV2WebSocketEvent connectEvent(String connectionId, String apiKey) {
        APIGatewayV2WebSocketEvent event = event("websocket-connect.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setAuthorizer(null);
        event.setQueryStringParameters(apiKey == null ? null : Map.of("api_key", apiKey));
        return event;
    }

    static APIGatewayV2WebSocketEvent messageEvent(String connectionId, String routeKey, String body) {
        APIGatewayV2WebSocketEvent event = event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setRouteKey(routeKey);
        event.setBody(body);
        return event;
    }

    static APIGatewayV2WebSocketEvent disconnectEvent(String connectionId) {
        APIGatewayV2WebSocketEvent event = messageEvent(connectionId, "$disconnect", null);
        event.getRequestContext().setEventType("DISCONNECT");
        return event;
    }

    List<JsonNode> sentTo(String connectionId) {
        List<JsonNode> messages = new ArrayList<>();
        synchronized (sent) {
            for (String m : sent.getOrDefault(connectionId, List.of())) {
                try {
                    messages.add(JSON.readTree(m.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return messages;
    }
}
