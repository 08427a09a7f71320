package com.campaignflow.local.gateway;

import com.campaignflow.local.lambda.InvocationResult;
import com.campaignflow.local.lambda.UnknownFunctionException;
import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.lambda.RequestTooLargeException;
import com.campaignflow.local.template.CorsConfig;
import com.campaignflow.local.template.GatewayResponse;
import com.campaignflow.local.template.LocalArns;
import com.campaignflow.local.template.RestRoute;
import com.campaignflow.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Dispatches one HTTP request: AWS JSON service, management API, REST route, CORS preflight or dashboard file. */
final class GatewayHandler extends Handler.Abstract {

    private static final String CONNECTIONS = "/@connections/";
    /** The Lambda Invoke API: POST /2015-03-31/functions/{FunctionName}/invocations. */
    private static final String INVOKE_PREFIX = "/2015-03-31/functions/";
    private static final String INVOKE_SUFFIX = "/invocations";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final SamTemplate template;
    private final LocalLambdaRuntime runtime;
    private final WebSocketApi webSockets;
    private final LocalGateway.Options options;
    private final RouteTable routes;
    private final Map<String, AwsJsonService> services = new ConcurrentHashMap<>();
    private final Map<String, Optional<byte[]>> staticFiles = new ConcurrentHashMap<>();

    GatewayHandler(SamTemplate template, LocalLambdaRuntime runtime, WebSocketApi webSockets, LocalGateway.Options options) {
        this.template = template;
        this.runtime = runtime;
        this.webSockets = webSockets;
        this.options = options;
        this.routes = new RouteTable(template.restRoutes());
    }

    void mount(String targetPrefix, AwsJsonService service) {
        if (targetPrefix == null || targetPrefix.isBlank()) {
            throw new IllegalArgumentException("target prefix must not be empty");
        }
        services.put(targetPrefix.endsWith(".") ? targetPrefix : targetPrefix + ".", service);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            dispatch(request, response, callback);
        } catch (BodyTooLarge e) {
            gatewayError(response, callback, "REQUEST_TOO_LARGE", 413, "Request Too Long", null);
        } catch (IOException e) {
            gatewayError(response, callback, "DEFAULT_4XX", 400, "Cannot read the request: " + e.getMessage(), null);
        }
        return true;
    }

    private void dispatch(Request request, Response response, Callback callback) throws IOException {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String target = request.getHeaders().get("X-Amz-Target");
        boolean awsJson = target != null && "POST".equals(method);
        boolean invoke = rawPath.startsWith(INVOKE_PREFIX) && rawPath.endsWith(INVOKE_SUFFIX) && "POST".equals(method);
        // The management API is https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/@connections/{id}; locally
        // the API has no stage in its paths (WEBSOCKET_ENDPOINT is http://localhost:PORT), so it is /@connections/{id}
        // and nothing else: /campaigns/x/@connections/{id} is a REST path like any other.
        boolean management = rawPath.startsWith(CONNECTIONS);
        if (awsJson || invoke || management) {
            Optional<String> refusal = options.awsCredentials().refusal(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (refusal.isPresent()) {
                // the status and error types AWS answers an unsigned request or an unknown key with
                boolean unsigned = request.getHeaders().get(HttpHeader.AUTHORIZATION) == null;
                String type = unsigned ? "MissingAuthenticationTokenException" : "UnrecognizedClientException";
                response.getHeaders().put("x-amzn-ErrorType", type);
                response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
                send(response, callback, 403, "application/json",
                        GatewayJson.object().put("__type", type).put("message", refusal.get()).toString());
                return;
            }
        }
        if (awsJson) {
            serveAwsJson(request, response, callback, target);
            return;
        }
        if (invoke) {
            serveInvoke(request, response, callback,
                    rawPath.substring(INVOKE_PREFIX.length(), rawPath.length() - INVOKE_SUFFIX.length()));
            return;
        }
        if (management) {
            serveConnections(request, response, callback, rawPath.substring(CONNECTIONS.length()));
            return;
        }
        if ("OPTIONS".equals(method) && template.cors().isPresent() && routes.knowsPath(rawPath)) {
            preflight(response, callback, template.cors().get());
            return;
        }
        RouteTable.Lookup lookup = routes.lookup(method, rawPath);
        if (lookup instanceof RouteTable.Found found) {
            serveRoute(request, response, callback, found);
        } else if (!(("GET".equals(method) || "HEAD".equals(method)) && serveStatic(response, callback, rawPath, method))) {
            // a REST API answers a method or path it does not declare as it answers an unsigned request
            response.getHeaders().put("x-amzn-ErrorType", "MissingAuthenticationTokenException");
            gatewayError(response, callback, "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", null);
        }
    }

    // ---- REST API ----

    private void serveRoute(Request request, Response response, Callback callback, RouteTable.Found found) throws IOException {
        RestRoute route = found.route();
        IncomingRequest incoming = incoming(request, readBody(request));
        String stage = template.restStage();
        String requestId = UUID.randomUUID().toString();
        Instant now = options.clock().instant();
        String domainName = request.getHttpURI().getAuthority();
        JsonNode authorizerContext = null;
        if (route.authorizer().isPresent()) {
            String methodArn = ProxyEvents.restMethodArn(stage, request.getMethod(), incoming.decodedPath());
            LambdaAuthorizers.Decision decision = LambdaAuthorizers.authorize(runtime, route.authorizer().get(), incoming,
                    () -> ProxyEvents.requestAuthorizerEvent(incoming, route.path(), found.pathParameters(), stage,
                            methodArn, requestId, now, domainName), methodArn);
            if (decision instanceof LambdaAuthorizers.Refused refused) {
                response.getHeaders().put("x-amzn-ErrorType", refused.status() == 401 ? "UnauthorizedException"
                        : refused.status() == 403 ? "AccessDeniedException" : "AuthorizerConfigurationException");
                response.getHeaders().put("x-amzn-RequestId", requestId);
                gatewayError(response, callback, refused.type(), refused.status(), refused.message(), refused.body(),
                        requestId);
                return;
            }
            authorizerContext = ((LambdaAuthorizers.Allowed) decision).context();
        }
        ObjectNode event = ProxyEvents.restEvent(incoming, route.path(), found.pathParameters(), stage, requestId, now,
                authorizerContext, domainName);
        InvocationResult result = runtime.invoke(route.functionLogicalId(), event.toString());
        response.getHeaders().put("x-amzn-RequestId", requestId);
        if (result instanceof InvocationResult.FunctionError error) {
            options.log().println("[gateway] " + request.getMethod() + " " + incoming.decodedPath() + " -> "
                    + route.functionLogicalId() + " failed: " + error.payload());
            if (reachesIntegrationTimeout(route, error)) {
                // API Gateway stops waiting at its integration timeout and answers 504 itself
                gatewayError(response, callback, "INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", requestId);
                return;
            }
            gatewayError(response, callback, "DEFAULT_5XX", 502, "Internal server error", requestId);
            return;
        }
        writeProxyResponse(response, callback, result.payload(), route, requestId);
    }

    /**
     * True when the function timed out no sooner than API Gateway would have stopped waiting for it: there the
     * client gets the gateway's 504; a function that times out earlier is a function error, 502.
     */
    private boolean reachesIntegrationTimeout(RestRoute route, InvocationResult.FunctionError error) {
        return LocalLambdaRuntime.TIMEOUT_ERROR_TYPE.equals(error.errorType())
                && template.function(route.functionLogicalId())
                        .map(f -> f.timeout().compareTo(options.integrationTimeout()) >= 0).orElse(false);
    }

    /** Writes a proxy integration response; a malformed one is 502 as API Gateway answers. */
    private void writeProxyResponse(Response response, Callback callback, String payload, RestRoute route,
                                    String requestId) {
        JsonNode proxy;
        try {
            proxy = GatewayJson.MAPPER.readTree(payload);
        } catch (IOException e) {
            proxy = null;
        }
        if (proxy == null || !proxy.isObject() || !proxy.path("statusCode").canConvertToInt()) {
            options.log().println("[gateway] malformed Lambda proxy response from " + route.functionLogicalId() + ": " + payload);
            gatewayError(response, callback, "DEFAULT_5XX", 502, "Internal server error", requestId);
            return;
        }
        boolean hasContentType = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = proxy.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            response.getHeaders().put(header.getKey(), header.getValue().asText());
            hasContentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = proxy.path("multiValueHeaders").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            response.getHeaders().remove(header.getKey());
            for (JsonNode value : header.getValue()) {
                response.getHeaders().add(header.getKey(), value.asText());
            }
            hasContentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        JsonNode body = proxy.get("body");
        byte[] bytes = body == null || body.isNull() ? new byte[0]
                : proxy.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : body.asText().getBytes(StandardCharsets.UTF_8);
        response.setStatus(proxy.get("statusCode").asInt());
        if (!hasContentType) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json"); // API Gateway's default
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void preflight(Response response, Callback callback, CorsConfig cors) {
        response.getHeaders().put("Access-Control-Allow-Origin", cors.allowOrigin());
        response.getHeaders().put("Access-Control-Allow-Methods", cors.allowMethods());
        if (cors.allowHeaders() != null) {
            response.getHeaders().put("Access-Control-Allow-Headers", cors.allowHeaders());
        }
        if (cors.maxAge() != null) {
            response.getHeaders().put("Access-Control-Max-Age", cors.maxAge());
        }
        if (cors.allowCredentials()) {
            response.getHeaders().put("Access-Control-Allow-Credentials", "true");
        }
        send(response, callback, 200, "application/json", "{}");
    }

    // ---- Lambda Invoke API ----

    /**
     * Invokes a template function synchronously, answering as Lambda does: 200 with the function's response, or 200
     * with {@code X-Amz-Function-Error: Unhandled} and the runtime's error JSON; 404 ResourceNotFoundException for a
     * function the template does not have, or a qualifier other than {@code $LATEST} and its alias (in the name or
     * {@code ?Qualifier=}); 413 RequestTooLargeException for a payload over Lambda's 6 MB. Only the RequestResponse
     * invocation type is served.
     */
    private void serveInvoke(Request request, Response response, Callback callback, String rawName) throws IOException {
        String functionName = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        String qualifier = Request.extractQueryParameters(request).getValue("Qualifier");
        if (qualifier != null) {
            // the parameter qualifies a plain name or an unqualified ARN (as the SDKs send it); one in the name too
            // must be the same
            java.util.Optional<String> inName = LocalArns.qualifier(functionName);
            if (inName.isEmpty()) {
                functionName = functionName + ":" + qualifier;
            } else if (!inName.get().equals(qualifier)) {
                lambdaError(response, callback, 400, "InvalidParameterValueException", "The derived qualifier from"
                        + " the function name (" + inName.get() + ") does not match the specified qualifier ("
                        + qualifier + ")");
                return;
            }
        }
        String invocationType = request.getHeaders().get("X-Amz-Invocation-Type");
        byte[] payload;
        try {
            payload = readBody(request, LocalLambdaRuntime.MAX_REQUEST_BYTES);
        } catch (BodyTooLarge e) {
            lambdaError(response, callback, 413, "RequestTooLargeException", new RequestTooLargeException().getMessage());
            return;
        }
        if (invocationType != null && !"RequestResponse".equals(invocationType)) {
            lambdaError(response, callback, 400, "InvalidParameterValueException",
                    "the local cloud serves RequestResponse invocations only, not " + invocationType);
            return;
        }
        String unparsable = jsonProblem(payload);
        if (unparsable != null) {
            lambdaError(response, callback, 400, "InvalidRequestContentException",
                    "Could not parse request body into json: " + unparsable);
            return;
        }
        InvocationResult result;
        try {
            result = runtime.invoke(functionName, payload);
        } catch (UnknownFunctionException e) {
            lambdaError(response, callback, 404, "ResourceNotFoundException", e.getMessage());
            return;
        } catch (RequestTooLargeException e) {
            lambdaError(response, callback, 413, "RequestTooLargeException", e.getMessage());
            return;
        }
        response.getHeaders().put("X-Amz-Executed-Version", "$LATEST");
        response.getHeaders().put("x-amzn-RequestId", result.requestId());
        if (result instanceof InvocationResult.FunctionError) {
            response.getHeaders().put("X-Amz-Function-Error", "Unhandled");
        }
        send(response, callback, 200, "application/json", result.payload());
    }

    /** Why an Invoke payload is not one JSON value, or null when it is (an empty payload is an empty event). */
    private static String jsonProblem(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        try {
            STRICT_JSON.readTree(payload);
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return e.getOriginalMessage();
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Refuses what follows the first JSON value, as Lambda does. */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT_JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A Lambda API error: the type in {@code x-amzn-ErrorType}, as restJson1 clients read it. */
    private static void lambdaError(Response response, Callback callback, int status, String type, String message) {
        response.getHeaders().put("x-amzn-ErrorType", type);
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        send(response, callback, status, "application/json",
                GatewayJson.object().put("Type", "User").put("message", message).toString());
    }

    // ---- WebSocket management API ----

    private void serveConnections(Request request, Response response, Callback callback, String rawId) throws IOException {
        String connectionId = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
        switch (request.getMethod()) {
            case "POST" -> {
                byte[] data = readBody(request);
                if (data.length > WebSocketApi.MAX_MESSAGE_BYTES) {
                    response.getHeaders().put("x-amzn-ErrorType", "PayloadTooLargeException");
                    send(response, callback, 413, "application/json", GatewayJson.message("the message is "
                            + data.length + " bytes; a WebSocket message is at most " + WebSocketApi.MAX_MESSAGE_BYTES));
                    return;
                }
                if (webSockets.post(connectionId, data)) {
                    send(response, callback, 200, "application/json", "");
                } else {
                    gone(response, callback, connectionId);
                }
            }
            case "GET" -> {
                Optional<WebSocketApi.Live> live = webSockets.connection(connectionId);
                if (live.isEmpty()) {
                    gone(response, callback, connectionId);
                    return;
                }
                WebSocketConnection connection = live.get().connection;
                ObjectNode body = GatewayJson.object();
                body.put("connectedAt", DateTimeFormatter.ISO_INSTANT.format(connection.connectedAt()));
                body.putObject("identity").put("sourceIp", connection.sourceIp()).put("userAgent", connection.userAgent());
                body.put("lastActiveAt", DateTimeFormatter.ISO_INSTANT.format(live.get().lastActiveAt));
                send(response, callback, 200, "application/json", body.toString());
            }
            case "DELETE" -> {
                if (webSockets.close(connectionId)) {
                    send(response, callback, 204, "application/json", "");
                } else {
                    gone(response, callback, connectionId);
                }
            }
            default -> {
                response.getHeaders().put(HttpHeader.ALLOW, "DELETE, GET, POST");
                send(response, callback, 405, "application/json", GatewayJson.message("Method Not Allowed"));
            }
        }
    }

    /** The management API's GoneException (the error type travels in the header, as restJson1 clients read it). */
    private static void gone(Response response, Callback callback, String connectionId) {
        response.getHeaders().put("x-amzn-ErrorType", "GoneException");
        send(response, callback, 410, "application/json",
                GatewayJson.object().put("message", "connection " + connectionId + " is gone").toString());
    }

    // ---- AWS JSON services ----

    private void serveAwsJson(Request request, Response response, Callback callback, String target) throws IOException {
        AwsJsonService service = services.entrySet().stream().filter(e -> target.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        byte[] body = readBody(request);
        AwsJsonService.Response answer;
        if (service == null) {
            answer = AwsJsonService.Response.error(400, "UnknownOperationException", "no service for X-Amz-Target " + target);
        } else {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.put(field.getName().toLowerCase(Locale.ROOT), field.getValue());
            }
            try {
                answer = service.handle(target, body, headers);
            } catch (RuntimeException e) {
                options.log().println("[gateway] " + target + " failed: " + e);
                answer = AwsJsonService.Response.error(500, "InternalFailure", String.valueOf(e.getMessage()));
            }
        }
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        send(response, callback, answer.status(), "application/x-amz-json-1.0", answer.body());
    }

    // ---- dashboard ----

    private boolean serveStatic(Response response, Callback callback, String rawPath, String method) {
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        if (path.endsWith("/")) {
            path += "index.html";
        }
        if (path.contains("..") || path.contains("\\") || path.contains("//")) {
            return false;
        }
        String resource = "dashboard" + path;
        Optional<byte[]> content = staticFiles.computeIfAbsent(resource, GatewayHandler::loadResource);
        if (content.isEmpty()) {
            return false;
        }
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.get().length);
        response.write(true, "HEAD".equals(method) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(content.get()), callback);
        return true;
    }

    private static Optional<byte[]> loadResource(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : GatewayHandler.class.getClassLoader()).getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ---- plumbing ----

    /** Thrown when a request body exceeds the gateway's limit. */
    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body too large");
        }
    }

    private byte[] readBody(Request request) throws IOException {
        return readBody(request, options.maxBodyBytes());
    }

    private static byte[] readBody(Request request, int maxBytes) throws IOException {
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > maxBytes) {
                drain(in, declared);
                throw new BodyTooLarge();
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                drain(in, DRAIN_LIMIT_BYTES);
                throw new BodyTooLarge();
            }
            return body;
        }
    }

    /** Bodies up to this size are read to the end before a 413, so the client sees the answer, not a reset. */
    private static final long DRAIN_LIMIT_BYTES = 16L << 20;

    /**
     * Reads and drops what the client is still sending: answering 413 and closing while it writes would reset the
     * connection under it, and it would never read the 413 (larger bodies are cut off anyway).
     */
    private static void drain(InputStream in, long declared) throws IOException {
        if (declared > DRAIN_LIMIT_BYTES) {
            return;
        }
        byte[] buffer = new byte[64 * 1024];
        long left = DRAIN_LIMIT_BYTES;
        int n;
        while (left > 0 && (n = in.read(buffer)) >= 0) {
            left -= n;
        }
    }

    static IncomingRequest incoming(Request request, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(Map.entry(field.getName(), field.getValue()));
        }
        return new IncomingRequest(request.getMethod(), request.getHttpURI().getPath(), headers,
                request.getHttpURI().getQuery(), Request.getRemoteAddr(request), body);
    }

    void gatewayError(Response response, Callback callback, String type, int status, String message,
                      String requestId) {
        gatewayError(response, callback, type, status, message, GatewayJson.message(message), requestId);
    }

    /**
     * An error the gateway raises itself, styled by the template's GatewayResponses as API Gateway does: the entry of
     * its type, else DEFAULT_4XX / DEFAULT_5XX, may override the status, add headers and replace {@code defaultBody}
     * with its {@code application/json} template ({@code $context.error.message}, {@code .messageString},
     * {@code .responseType}, {@code $context.requestId} filled in).
     */
    private void gatewayError(Response response, Callback callback, String type, int status, String message,
                              String defaultBody, String requestId) {
        GatewayResponse specific = template.gatewayResponses().get(type);
        GatewayResponse fallback = template.gatewayResponses().get(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        int answered = status;
        String body = defaultBody;
        for (GatewayResponse styled : new GatewayResponse[] {fallback, specific}) { // the specific entry wins
            if (styled == null) {
                continue;
            }
            if (styled.statusCode() != null) {
                answered = styled.statusCode();
            }
            styled.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            if (styled.jsonTemplate() != null) {
                String id = requestId == null ? UUID.randomUUID().toString() : requestId;
                body = styled.jsonTemplate()
                        .replace("$context.error.messageString", GatewayJson.MAPPER.valueToTree(message).toString())
                        .replace("$context.error.validationErrorString", message)
                        .replace("$context.error.message", message)
                        .replace("$context.error.responseType", type)
                        .replace("$context.requestId", id);
            }
        }
        send(response, callback, answered, "application/json", body);
    }

    static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
