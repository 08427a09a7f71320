package com.campaignflow.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.campaignflow.functions.planning.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the API needs of an API Gateway REST proxy event: method, raw path, headers (case-insensitive, first value),
 * query string parameters (the last value of each, as API Gateway's {@code queryStringParameters}), the body as sent (base64 when flagged), the tenant an authorizer vouched for (if one ran) and the request id. The
 * body is decoded only by routes that take one; the others ignore it.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                         String rawBody, boolean base64, String authorizedTenant, String requestId, String basePath) {

    public ApiRequest {
        basePath = basePath == null ? "" : basePath;
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /** A query string parameter's value, if it was sent. */
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** Decodes the event. */
    public static ApiRequest from(APIGatewayProxyRequestEvent event, String fallbackRequestId) {
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty() && values.getFirst() != null) {
                    headers.put(name, values.getFirst());
                }
            });
        }
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    headers.put(name, value);
                }
            });
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        String tenant = null;
        String requestId = fallbackRequestId;
        if (context != null) {
            if (context.getAuthorizer() != null && context.getAuthorizer().get("tenant") instanceof String t
                    && !t.isBlank()) {
                tenant = t;
            }
            if (context.getRequestId() != null) {
                requestId = context.getRequestId();
            }
        }
        Map<String, String> query = new TreeMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    query.put(name, value);
                }
            });
        }
        return new ApiRequest(event.getHttpMethod() == null ? "" : event.getHttpMethod(), event.getPath(), headers,
                query, event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded()), tenant, requestId,
                basePath(event.getPath(), context == null ? null : context.getPath()));
    }

    /**
     * What the client's URL has before the resource path: API Gateway's {@code path} is the resource's
     * ({@code /campaigns}), {@code requestContext.path} the one the client called ({@code /prod/campaigns} on the
     * execute-api domain); empty when they are the same or either is missing (the local gateway, a custom domain
     * mapped without a base path). A custom domain's base-path mapping is not supported: API Gateway puts the base path
     * in both, and routes match from the root.
     */
    private static String basePath(String path, String calledPath) {
        if (path == null || calledPath == null || !calledPath.endsWith(path)) {
            return "";
        }
        return calledPath.substring(0, calledPath.length() - path.length());
    }

    /** A path of this API as the client addresses it (with the stage it called through). */
    public String publicPath(String resourcePath) {
        return basePath + resourcePath;
    }

    /** The body bytes (empty when there is none); a body flagged base64 that is not base64 is a 400. */
    public byte[] body() {
        if (rawBody == null) {
            return new byte[0];
        }
        if (base64) {
            try {
                return Base64.getDecoder().decode(rawBody);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("body", "is flagged base64 but is not valid base64");
            }
        }
        return rawBody.getBytes(StandardCharsets.UTF_8);
    }

    /** A header's value; a header sent empty counts as not sent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).filter(v -> !v.isEmpty());
    }

    /** A header's value as sent, empty included (where an empty value is an error rather than no value). */
    public Optional<String> headerAsSent(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** Headers are never logged or echoed whole: they carry the API key. */
    @Override
    public String toString() {
        return method + " " + path + " (request " + requestId + ")";
    }
}
