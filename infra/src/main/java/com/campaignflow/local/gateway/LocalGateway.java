package com.campaignflow.local.gateway;

import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.template.SamTemplate;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * API Gateway on one local port: the template's REST API (proxy integration to the functions, Lambda authorizer,
 * CORS preflight), its WebSocket API at {@code /ws}, the WebSocket management API at {@code /@connections/{id}}
 * (so {@code ApiGatewayManagementApiClient} with endpointOverride {@code http://localhost:PORT} works), the
 * dashboard from the classpath folder {@code dashboard/} at {@code /}, and AWS JSON services mounted by target prefix.
 */
public final class LocalGateway implements AutoCloseable {

    /** API Gateway's payload limit for REST requests is 10 MB; locally we keep the path cheap with 1 MB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final String WEBSOCKET_PATH = "/ws";

    /**
     * @param maxBodyBytes          larger request bodies are refused with 413
     * @param integrationTimeout    how long API Gateway waits for a REST integration (29 s unless raised)
     * @param maxConnectionDuration how long a WebSocket connection lasts before the gateway closes it (2 hours on AWS)
     * @param awsCredentials        the key the AWS APIs served here take (see {@link LocalAwsCredentials})
     */
    public record Options(int maxBodyBytes, Clock clock, PrintStream log, java.time.Duration integrationTimeout,
                          java.time.Duration maxConnectionDuration, LocalAwsCredentials awsCredentials) {
        public static final java.time.Duration DEFAULT_INTEGRATION_TIMEOUT = java.time.Duration.ofSeconds(29);

        public Options(int maxBodyBytes, Clock clock, PrintStream log) {
            this(maxBodyBytes, clock, log, DEFAULT_INTEGRATION_TIMEOUT);
        }

        public Options(int maxBodyBytes, Clock clock, PrintStream log, java.time.Duration integrationTimeout) {
            this(maxBodyBytes, clock, log, integrationTimeout, WebSocketApi.MAX_CONNECTION_DURATION);
        }

        public Options(int maxBodyBytes, Clock clock, PrintStream log, java.time.Duration integrationTimeout,
                       java.time.Duration maxConnectionDuration) {
            this(maxBodyBytes, clock, log, integrationTimeout, maxConnectionDuration, LocalAwsCredentials.generate());
        }

        public static Options defaults() {
            return new Options(DEFAULT_MAX_BODY_BYTES, Clock.systemUTC(), System.err);
        }

        public Options withAwsCredentials(LocalAwsCredentials credentials) {
            return new Options(maxBodyBytes, clock, log, integrationTimeout, maxConnectionDuration, credentials);
        }
    }

    private final Server server;
    private final GatewayHandler handler;
    private final WebSocketApi webSockets;

    private final LocalAwsCredentials awsCredentials;

    private LocalGateway(Server server, GatewayHandler handler, WebSocketApi webSockets,
                         LocalAwsCredentials awsCredentials) {
        this.server = server;
        this.handler = handler;
        this.webSockets = webSockets;
        this.awsCredentials = awsCredentials;
    }

    /** Starts the gateway; port 0 picks a free port (see {@link #port()}). */
    public static LocalGateway start(SamTemplate template, LocalLambdaRuntime runtime, int port) {
        return start(template, runtime, port, Options.defaults());
    }

    public static LocalGateway start(SamTemplate template, LocalLambdaRuntime runtime, int port, Options options) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gateway");
        // Requests block while the function runs: give each one a virtual thread.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        // Checkpoint ids contain '/', so clients may send them encoded as %2F in a path segment; API Gateway accepts
        // that, Jetty's default refuses it as an ambiguous separator (with an HTML 400 instead of our JSON errors).
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.DEFAULT.with("api-gateway", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        WebSocketApi webSockets = new WebSocketApi(template, runtime, options.clock(), options.log(),
                options.maxConnectionDuration());
        GatewayHandler handler = new GatewayHandler(template, runtime, webSockets, options);
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(WebSocketApi.MAX_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(WebSocketApi.MAX_MESSAGE_BYTES);
            container.setMaxFrameSize(WebSocketApi.MAX_FRAME_BYTES);
            container.setAutoFragment(false); // a larger frame from a client is refused (1009), not split
            container.setIdleTimeout(WebSocketApi.IDLE_TIMEOUT);
            container.addMapping(WEBSOCKET_PATH, (request, response, callback) -> {
                IncomingRequest upgrade = GatewayHandler.incoming(request, new byte[0]);
                String domainName = request.getHttpURI().getAuthority();
                WebSocketApi.ConnectOutcome outcome = webSockets.connect(upgrade, domainName);
                if (outcome instanceof WebSocketApi.Refused refused) {
                    GatewayHandler.send(response, callback, refused.status(), "application/json", refused.body());
                    return null;
                }
                return webSockets.endpoint(((WebSocketApi.Accepted) outcome).connection(), upgrade);
            });
        });
        upgrades.setHandler(handler);
        server.setHandler(new Handler.Wrapper(upgrades) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (WEBSOCKET_PATH.equals(request.getHttpURI().getPath())) {
                    Optional<WebSocketHandshake.Refusal> refusal =
                            WebSocketHandshake.check(request.getMethod(), request.getHeaders());
                    if (refusal.isPresent()) {
                        refusal.get().headers().forEach(response.getHeaders()::put);
                        GatewayHandler.send(response, callback, refusal.get().status(), "application/json",
                                GatewayJson.message(refusal.get().message()));
                        return true;
                    }
                }
                return super.handle(request, response, callback);
            }
        });
        // Requests Jetty refuses before any handler (a malformed or ambiguous URI, bad UTF-8 in the path) get the
        // gateway's JSON error instead of Jetty's HTML page.
        server.setErrorHandler(new ErrorHandler() {
            @Override
            protected void generateResponse(Request request, Response response, int code, String message,
                                            Throwable cause, Callback callback) {
                handler.gatewayError(response, callback, code >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX", code,
                        message == null || message.isBlank() ? HttpStatus.getMessage(code) : message, null);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing to start
            }
            throw new IllegalStateException("cannot start the local gateway on port " + port + ": " + e.getMessage(), e);
        }
        return new LocalGateway(server, handler, webSockets, options.awsCredentials());
    }

    /** The key the Step Functions, Lambda Invoke and WebSocket management APIs served here take. */
    public LocalAwsCredentials awsCredentials() {
        return awsCredentials;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://localhost:PORT}: the REST API, the management API endpoint and the AWS JSON services. */
    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    /** {@code ws://localhost:PORT/ws}. */
    public URI webSocketEndpoint() {
        return URI.create("ws://localhost:" + port() + WEBSOCKET_PATH);
    }

    /**
     * Serves {@code POST} requests whose {@code X-Amz-Target} starts with {@code targetPrefix} (for example
     * {@code AWSStepFunctions}) with {@code service}; may be called while the gateway runs.
     */
    public void mountAwsJsonService(String targetPrefix, AwsJsonService service) {
        handler.mount(targetPrefix, service);
    }

    public void stop() {
        webSockets.stop(); // first: the sockets get their close frame while the server still runs
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the local gateway: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
