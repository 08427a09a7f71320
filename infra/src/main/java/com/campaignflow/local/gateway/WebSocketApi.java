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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
        final IncomingRequest upgrade;
        final Session session;
        volatile Instant lastActiveAt;
        /** The close at the end of the connection's maximum duration. */
        volatile ScheduledFuture<?> expiry;

        /** The last message handed to the socket; the next goes out once it is sent (or failed). */
        private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);

        Live(WebSocketConnection connection, IncomingRequest upgrade, Session session, Instant lastActiveAt) {
            this.connection = connection;
            this.upgrade = upgrade;
            this.session = session;
            this.lastActiveAt = lastActiveAt;
        }

        /**
         * Sends a message after the ones handed over before it: a message goes out in several frames (see
         * {@link #sendText}), and another message's frames must not come between them.
         */
        CompletableFuture<Void> send(byte[] data) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            CompletableFuture<Void> previous;
            synchronized (this) {
                previous = lastSend;
                lastSend = sent;
            }
            previous.whenComplete((ignored, failure) -> {
                Callback callback = Callback.from(() -> sent.complete(null), sent::completeExceptionally);
                String text = utf8(data);
                if (text != null) {
                    sendText(session, text, callback);
                } else {
                    sendBinary(session, data, 0, callback);
                }
            });
            return sent;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int SEND_TIMEOUT_SECONDS = 10;
    /** API Gateway's WebSocket message limit, also of a PostToConnection body. */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    /** API Gateway's WebSocket frame limit: a client sending a larger frame is disconnected (1009). */
    static final int MAX_FRAME_BYTES = 32 * 1024;
    /** Characters per frame sent: a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 4 bytes for 2). */
    private static final int FRAME_CHARS = MAX_FRAME_BYTES / 3;
    /**
     * API Gateway's quotas for WebSocket APIs: a connection lasts at most 2 hours, idle or not, and an idle one is
     * closed after 10 minutes; neither can be raised
     * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
     */
    static final Duration MAX_CONNECTION_DURATION = Duration.ofHours(2);
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** How long stopping waits for the $disconnect routes (and messages being routed) before it gives up on them. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final SamTemplate template;
    private final LocalLambdaRuntime runtime;
    private final Clock clock;
    private final PrintStream log;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final ExecutorService messages = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("websocket-expiry").factory());
    private final Duration maxConnectionDuration;

    WebSocketApi(SamTemplate template, LocalLambdaRuntime runtime, Clock clock, PrintStream log,
                 Duration maxConnectionDuration) {
        this.template = template;
        this.runtime = runtime;
        this.clock = clock;
        this.log = log;
        this.maxConnectionDuration = maxConnectionDuration;
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

    void opened(WebSocketConnection connection, IncomingRequest upgrade, Session session) {
        Live opened = new Live(connection, upgrade, session, clock.instant());
        live.put(connection.id(), opened);
        try {
            // the close handshake's onWebSocketClose runs $disconnect, as for any close
            opened.expiry = expiries.schedule(() -> session.close(1001, "Going away", Callback.NOOP),
                    maxConnectionDuration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            session.close(1001, "the server is stopping", Callback.NOOP);
        }
    }

    void received(WebSocketConnection connection, String message) {
        touch(connection.id());
        try {
            messages.submit(() -> route(connection, message));
        } catch (RejectedExecutionException stopping) {
            // the gateway is stopping: its connections are closing
        }
    }

    void closed(WebSocketConnection connection, IncomingRequest upgrade, int statusCode, String reason) {
        Live closed = live.remove(connection.id());
        if (closed != null) {
            cancelExpiry(closed);
            try {
                messages.submit(() -> disconnect(connection, upgrade, statusCode, reason));
            } catch (RejectedExecutionException stopping) {
                // stop() ran $disconnect for every connection it found open
            }
        }
    }

    private static void cancelExpiry(Live connection) {
        ScheduledFuture<?> expiry = connection.expiry;
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    /**
     * A connection's failure. The client's own doing (gone without a close frame, a reset, a frame or message over the
     * limits, idle too long) is part of a WebSocket's life and its close runs {@code $disconnect}; anything else is
     * logged.
     */
    void failed(WebSocketConnection connection, Throwable cause) {
        if (cause instanceof IOException || cause instanceof org.eclipse.jetty.websocket.api.exceptions.WebSocketException) {
            return;
        }
        log.println("[gateway] WebSocket connection " + connection.id() + " failed: " + cause);
    }

    private void touch(String connectionId) {
        Live connection = live.get(connectionId);
        if (connection != null) {
            connection.lastActiveAt = clock.instant();
        }
    }

    private void route(WebSocketConnection connection, String message) {
        String requestId = UUID.randomUUID().toString();
        String routeKey = selectRoute(message);
        if (routeKey == null) {
            reply(connection, GatewayJson.object().put("message", "Forbidden").put("connectionId", connection.id())
                    .put("requestId", requestId).toString());
            return;
        }
        ObjectNode event = ProxyEvents.webSocketEvent("MESSAGE", routeKey, connection, requestId, clock.instant(), null, message);
        InvocationResult result = runtime.invoke(template.webSocketRoutes().get(routeKey), event.toString());
        if (result instanceof InvocationResult.FunctionError error) {
            log.println("[gateway] WebSocket route " + routeKey + " failed: " + error.payload());
            reply(connection, GatewayJson.object().put("message", "Internal server error")
                    .put("connectionId", connection.id()).put("requestId", requestId).toString());
            return;
        }
        // on AWS "API Gateway will not pass the backend response through to the route response, unless you set up a
        // route response"
        if (template.webSocketRouteResponses().contains(routeKey)) {
            responseBody(result.payload()).ifPresent(body -> reply(connection, body));
        }
    }

    /** A route's response to its connection, in turn with the messages the management API posts to it. */
    private void reply(WebSocketConnection connection, String message) {
        Live open = live.get(connection.id());
        if (open != null) {
            open.send(message.getBytes(StandardCharsets.UTF_8));
        }
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

    /**
     * Sends data to a connection (management API PostToConnection); false when the connection is gone. A client that
     * has not taken the message within {@value #SEND_TIMEOUT_SECONDS} s (it stopped reading) is disconnected and
     * counts as gone from then on: the management API never answers 410 for a socket that is still open.
     */
    boolean post(String connectionId, byte[] data) {
        Optional<Live> connection = connection(connectionId);
        if (connection.isEmpty()) {
            return false;
        }
        CompletableFuture<Void> sent = connection.get().send(data);
        try {
            sent.get(SEND_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return connection.get().session.isOpen();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!connection.get().session.isOpen()) {
                return false; // closed while the message was on its way
            }
            log.println("[gateway] connection " + connectionId + " could not take a message (" + e.getCause()
                    + "); disconnecting it");
        } catch (java.util.concurrent.TimeoutException e) {
            log.println("[gateway] connection " + connectionId + " did not take a message within "
                    + SEND_TIMEOUT_SECONDS + " s; disconnecting it");
        }
        connection.get().session.disconnect(); // a close frame would wait for a client that does not read
        return false;
    }

    /** Closes a connection (management API DeleteConnection); false when it is gone already. */
    boolean close(String connectionId) {
        Optional<Live> connection = connection(connectionId);
        connection.ifPresent(c -> c.session.close(1000, "closed by the application", Callback.NOOP));
        return connection.isPresent();
    }

    /**
     * Closes the open connections as going away (1001), as a stopping server does, and runs {@code $disconnect} for
     * each of them here: the close handshake ends after the executor is gone, so its {@code $disconnect} would never
     * run and the connections' items would stay in their table. Waits at most {@link #STOP_WAIT} for them (and the
     * messages being routed), then stops routing messages.
     */
    void stop() {
        expiries.shutdownNow();
        for (Live open : List.copyOf(live.values())) {
            if (live.remove(open.connection.id(), open)) {
                messages.submit(() -> disconnect(open.connection, open.upgrade, 1001, "the server is stopping"));
                open.session.close(1001, "the server is stopping", Callback.NOOP);
            }
        }
        messages.shutdown();
        try {
            if (!messages.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.println("[gateway] $disconnect routes still running after " + STOP_WAIT.toSeconds()
                        + " s; stopping without them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messages.shutdownNow();
    }

    /**
     * Sends a text message in frames of at most {@link #MAX_FRAME_BYTES}: the container refuses larger frames (so that
     * a client's are refused as API Gateway refuses them), its own included. One frame after the other, each sent
     * when the one before is.
     */
    static void sendText(Session session, String text, Callback done) {
        int end = Math.min(text.length(), FRAME_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // a surrogate pair stays in one frame
        }
        boolean last = end == text.length();
        String rest = text.substring(end);
        String frame = text.substring(0, end);
        sendFrame(callback -> session.sendPartialText(frame, last, callback),
                last ? done : Callback.from(() -> sendText(session, rest, done), done::fail));
    }

    private static void sendBinary(Session session, byte[] data, int from, Callback done) {
        int end = Math.min(data.length, from + MAX_FRAME_BYTES);
        boolean last = end == data.length;
        ByteBuffer frame = ByteBuffer.wrap(data, from, end - from);
        sendFrame(callback -> session.sendPartialBinary(frame, last, callback),
                last ? done : Callback.from(() -> sendBinary(session, data, end, done), done::fail));
    }

    /**
     * Hands one frame to Jetty; {@code then} succeeds once the frame is sent and the send call has returned. Jetty
     * notes that a message ended only after it handed the last frame over, which may complete the callback at once:
     * the next message started from the callback alone would go out as a continuation of the last.
     */
    private static void sendFrame(java.util.function.Consumer<Callback> send, Callback then) {
        java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable step = () -> {
            if (waiting.decrementAndGet() == 0) {
                then.succeed();
            }
        };
        send.accept(Callback.from(step, then::fail));
        step.run();
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
