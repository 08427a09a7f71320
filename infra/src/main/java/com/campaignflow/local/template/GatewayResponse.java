package com.campaignflow.local.template;

import java.util.Map;

/**
 * One {@code GatewayResponses} entry of a SAM API: how API Gateway answers an error it raises itself (a refused API
 * key, no such route, a body too large), before any function runs.
 *
 * @param statusCode   the status to answer instead of the type's own, or null
 * @param headers      header name to value (the template's quoted literals unquoted)
 * @param jsonTemplate the {@code application/json} response template, or null for API Gateway's own body
 */
public record GatewayResponse(Integer statusCode, Map<String, String> headers, String jsonTemplate) {
    public GatewayResponse {
        headers = Map.copyOf(headers);
    }
}
