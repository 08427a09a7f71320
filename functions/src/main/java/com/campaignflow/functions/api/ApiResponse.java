package com.campaignflow.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON response: status, extra headers (Content-Type is always JSON) and the body. */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse of(int status, JsonNode body) {
        return new ApiResponse(status, Map.of(), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }
}
