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
 * the body bytes, the tenant an authorizer vouched for (if one ran) and the request id.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body,
                         String authorizedTenant, String requestId) {

    public ApiRequest {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
        body = body == null ? new byte[0] : body;
    }

    /** Decodes the event; a body flagged base64 that is not base64 is a 400. */
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
        return new ApiRequest(event.getHttpMethod() == null ? "" : event.getHttpMethod(), event.getPath(), headers,
                body(event), tenant, requestId);
    }

    private static byte[] body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("body", "is flagged base64 but is not valid base64");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).filter(v -> !v.isEmpty());
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /** Headers are never logged or echoed whole: they carry the API key. */
    @Override
    public String toString() {
        return method + " " + path + " (" + body.length + " bytes, request " + requestId + ")";
    }
}
