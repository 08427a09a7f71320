package com.campaignflow.local.gateway;

import com.campaignflow.local.lambda.InvocationResult;
import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.template.Authorizer;
import com.campaignflow.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket API: {@code $connect} (authorizer, then the route's function; a non-2xx statusCode refuses the
 * upgrade), messages routed on {@code $request.body.action} (else {@code $default}), {@code $disconnect} on close, and
 * the live connections the management API ({@code @connections}) reaches.
 */
final class WebSocketApi {

    /** What the upgrade request gets: a connection to open, or a refusal with an HTTP status. */
    sealed interface ConnectOutcome {
    }

    record Accepted(WebSocketConnection connection) implements ConnectOutcome {
    }

    record Refused(int status, String body) implements ConnectOutcome {
    }

    /** A connection whose socket is open. */
    static final class Live {
        final WebSocketConnection connection;
        final Session session;
        volatile Instant lastActiveAt;

        Live(WebSocketConnection connection, Session session, Instant lastActiveAt) {
            this.connection = connection;
            this.session = session;
            this.lastActiveAt = lastActiveAt;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SamTemplate template;
    private final LocalLambdaRuntime runtime;
    private final Clock clock;
    private final PrintStream log;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final ExecutorService messages = Executors.newVirtualThreadPerTaskExecutor();

    WebSocketApi(SamTemplate template, LocalLambdaRuntime runtime, Clock clock, PrintStream log) {
        this.template = template;
        this.runtime = runtime;
        this.clock = clock;
        this.log = log;
    }

    Optional<Live> connection(String connectionId) {
        return Optional.ofNullable(live.get(connectionId)).filter(c -> c.session.isOpen());
    }

    ConnectOutcome connect(IncomingRequest upgrade, String domainName) {
        Instant now = clock.instant();
        String stage = template.webSocketStage();
        String connectionId = newConnectionId();
        JsonNode authorizerContext = null;
        Optional<Authorizer> authorizer = template.webSocketAuthorizer();
        WebSocketConnection pending = new WebSocketConnection(connectionId, stage, domainName, now, upgrade.sourceIp(),
                upgrade.userAgent(), null);
        if (authorizer.isPresent()) {
            String requestId = UUID.randomUUID().toString();
            String methodArn = ProxyEvents.webSocketMethodArn(stage, "$connect");
            LambdaAuthorizers.Decision decision = LambdaAuthorizers.authorize(runtime, authorizer.get(), upgrade, () -> {
                ObjectNode event = ProxyEvents.webSocketEvent("CONNECT", "$connect", pending, requestId, now, upgrade, null);
                event.remove("isBase64Encoded");
                ObjectNode ordered = GatewayJson.object().put("type", "REQUEST").put("methodArn", methodArn);
                ordered.setAll(event);
                return ordered;
            }, methodArn);
            if (decision instanceof LambdaAuthorizers.Refused refused) {
                return new Refused(refused.status(), refused.body());
            }
            authorizerContext = ((LambdaAuthorizers.Allowed) decision).context();
        }
        WebSocketConnection connection = new WebSocketConnection(connectionId, stage, domainName, now, upgrade.sourceIp(),
                upgrade.userAgent(), authorizerContext);
        String function = template.webSocketRoutes().get("$connect");
        if (function != null) {
            ObjectNode event = ProxyEvents.webSocketEvent("CONNECT", "$connect", connection,
                    UUID.randomUUID().toString(), now, upgrade, null);
            InvocationResult result = runtime.invoke(function, event.toString());
            if (result instanceof InvocationResult.FunctionError error) {
                log.println("[gateway] $connect function " + function + " failed: " + error.payload());
                return new Refused(500, GatewayJson.message("Internal server error"));
            }
            int status = statusCode(result.payload()).orElse(200);
            if (status < 200 || status > 299) {
                return new Refused(status, GatewayJson.message("Forbidden"));
            }
        }
        return new Accepted(connection);
    }

    Session.Listener endpoint(WebSocketConnection connection, IncomingRequest upgrade) {
        return new WebSocketEndpoint(this, connection, upgrade);
    }

    void opened(WebSocketConnection connection, Session session) {
        live.put(connection.id(), new Live(connection, session, clock.instant()));
    }

    void received(WebSocketConnection connection, Session session, String message) {
        touch(connection.id());
        messages.submit(() -> route(connection, session, message));
    }

    void closed(WebSocketConnection connection, IncomingRequest upgrade, int statusCode, String reason) {
        if (live.remove(connection.id()) != null) {
            messages.submit(() -> disconnect(connection, upgrade, statusCode, reason));
        }
    }

    private void touch(String connectionId) {
        Live connection = live.get(connectionId);
        if (connection != null) {
            connection.lastActiveAt = clock.instant();
        }
    }

    private void route(WebSocketConnection connection, Session session, String message) {
        String requestId = UUID.randomUUID().toString();
        String routeKey = selectRoute(message);
        if (routeKey == null) {
            session.sendText(GatewayJson.object().put("message", "Forbidden").put("connectionId", connection.id())
                    .put("requestId", requestId).toString(), Callback.NOOP);
            return;
        }
        ObjectNode event = ProxyEvents.webSocketEvent("MESSAGE", routeKey, connection, requestId, clock.instant(), null, message);
        InvocationResult result = runtime.invoke(template.webSocketRoutes().get(routeKey), event.toString());
        if (result instanceof InvocationResult.FunctionError error) {
            log.println("[gateway] WebSocket route " + routeKey + " failed: " + error.payload());
            session.sendText(GatewayJson.object().put("message", "Internal server error")
                    .put("connectionId", connection.id()).put("requestId", requestId).toString(), Callback.NOOP);
            return;
        }
        responseBody(result.payload()).ifPresent(body -> session.sendText(body, Callback.NOOP));
    }

    /**
     * Route selection on the template's {@code $request.body.<field>}: the selected route, else {@code $default}, else
     * none.
     */
    private String selectRoute(String message) {
        Map<String, String> routes = template.webSocketRoutes();
        try {
            JsonNode action = GatewayJson.MAPPER.readTree(message);
            for (String field : template.webSocketRouteSelection().substring("$request.body.".length()).split("\\.")) {
                action = action == null ? null : action.get(field);
            }
            if (action != null && action.isTextual() && !action.asText().startsWith("$")
                    && routes.containsKey(action.asText())) {
                return action.asText();
            }
        } catch (IOException e) {
            // not JSON: only $default can take it
        }
        return routes.containsKey("$default") ? "$default" : null;
    }

    private void disconnect(WebSocketConnection connection, IncomingRequest upgrade, int statusCode, String reason) {
        String function = template.webSocketRoutes().get("$disconnect");
        if (function == null) {
            return;
        }
        ObjectNode event = ProxyEvents.webSocketEvent("DISCONNECT", "$disconnect", connection,
                UUID.randomUUID().toString(), clock.instant(), upgrade, null);
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("disconnectStatusCode", statusCode);
        context.put("disconnectReason", reason == null ? "" : reason);
        InvocationResult result = runtime.invoke(function, event.toString());
        if (result instanceof InvocationResult.FunctionError error) {
            log.println("[gateway] $disconnect function " + function + " failed: " + error.payload());
        }
    }

    /** Sends data to a connection (management API PostToConnection); false when the connection is gone. */
    boolean post(String connectionId, byte[] data) {
        Optional<Live> connection = connection(connectionId);
        if (connection.isEmpty()) {
            return false;
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Callback callback = Callback.from(() -> sent.complete(null), sent::completeExceptionally);
        String text = utf8(data);
        if (text != null) {
            connection.get().session.sendText(text, callback);
        } else {
            connection.get().session.sendBinary(ByteBuffer.wrap(data), callback);
        }
        try {
            sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Closes a connection (management API DeleteConnection); false when it is gone already. */
    boolean close(String connectionId) {
        Optional<Live> connection = connection(connectionId);
        connection.ifPresent(c -> c.session.close(1000, "closed by the application", Callback.NOOP));
        return connection.isPresent();
    }

    void stop() {
        messages.shutdownNow();
    }

    private static Optional<Integer> statusCode(String payload) {
        try {
            JsonNode response = GatewayJson.MAPPER.readTree(payload);
            return response != null && response.path("statusCode").canConvertToInt()
                    ? Optional.of(response.get("statusCode").asInt()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> responseBody(String payload) {
        try {
            JsonNode response = GatewayJson.MAPPER.readTree(payload);
            JsonNode body = response == null ? null : response.get("body");
            return body != null && body.isTextual() && !body.asText().isEmpty() ? Optional.of(body.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** Connection ids look like API Gateway's: 16 characters of base64 ending in '='. */
    private static String newConnectionId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).replace('/', '_').replace('+', '-');
    }
}
