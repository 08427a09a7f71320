package com.campaignflow.functions.handlers;

import com.campaignflow.functions.domain.Text;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.ApiResponse;
import com.campaignflow.functions.api.ConnectionMessenger;
import com.campaignflow.functions.api.ErrorMapper;
import com.campaignflow.functions.api.ProgressSubscriptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress WebSocket: {@code $connect} (authenticated by the authorizer's {@code tenant}, else by the
 * {@code api_key} query parameter), {@code $disconnect}, {@code subscribe}; any other action gets an error message.
 * Replies are pushed through the management API (a subscribe answers with several messages); an error is one
 * message {@code {"type":"error","error","message"}} shaped like the REST errors.
 */
public final class WebSocketHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProgressSubscriptions subscriptions;
    private final ApiKeys keys;
    private final ApiServices services;

    public WebSocketHandler() {
        this(ApiServices.fromEnvironment());
    }

    public WebSocketHandler(ApiServices services) {
        this.services = services;
        this.subscriptions = services.subscriptions();
        this.keys = services.keys();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        APIGatewayV2WebSocketEvent.RequestContext request = event.getRequestContext();
        String connectionId = request.getConnectionId();
        String requestId = request.getRequestId();
        try {
            switch (request.getRouteKey()) {
                case "$connect" -> {
                    Optional<String> tenant = tenantOf(event);
                    if (tenant.isEmpty()) {
                        return response(401);
                    }
                    subscriptions.connect(connectionId, tenant.get());
                }
                case "$disconnect" -> subscriptions.disconnect(connectionId);
                case "subscribe" -> send(connectionId, subscriptions.subscribe(connectionId, event.getBody()));
                default -> send(connectionId, List.of(error("unknown_action", "unknown action " + actionOf(event.getBody())
                        + "; send {\"action\":\"subscribe\",\"campaign_id\":\"...\"}")));
            }
        } catch (RuntimeException e) {
            ApiResponse mapped = ErrorMapper.toResponse(e, requestId);
            if (!"subscribe".equals(request.getRouteKey())) {
                // $connect/$disconnect have no client to message: the status is the answer
                return response(mapped.status() >= 500 ? 500 : 400);
            }
            ObjectNode message = JsonNodeFactory.instance.objectNode().put("type", "error");
            message.setAll((ObjectNode) mapped.body());
            send(connectionId, List.of(message));
        }
        return response(200);
    }

    private Optional<String> tenantOf(APIGatewayV2WebSocketEvent event) {
        Map<String, Object> authorizer = event.getRequestContext().getAuthorizer();
        if (authorizer != null && authorizer.get("tenant") instanceof String tenant && !tenant.isBlank()) {
            return Optional.of(tenant);
        }
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? Optional.empty() : keys.tenantOf(query.get("api_key"));
    }

    private void send(String connectionId, List<ObjectNode> messages) {
        ConnectionMessenger messenger = services.messenger();
        for (ObjectNode message : messages) {
            if (!messenger.send(connectionId, message.toString())) {
                subscriptions.disconnect(connectionId);
                return;
            }
        }
    }

    /** The action named by a message, quoted and shortened, for an error message (the route key says $default). */
    private static String actionOf(String body) {
        try {
            if (body == null || body.isBlank()) {
                return "(the message is empty)";
            }
            JsonNode action = JSON.readTree(body).get("action");
            if (action == null || !action.isTextual()) {
                return "(none)";
            }
            String text = action.asText();
            return "'" + Text.ellipsize(text, 40) + "'";
        } catch (JsonProcessingException e) {
            return "(the message is not JSON)";
        }
    }

    private static ObjectNode error(String code, String text) {
        return JsonNodeFactory.instance.objectNode().put("type", "error").put("error", code).put("message", text);
    }

    private static APIGatewayV2WebSocketResponse response(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }
}
