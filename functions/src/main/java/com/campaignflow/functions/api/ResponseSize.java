package com.campaignflow.functions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a campaign's status under what a Lambda function may answer synchronously (6 MB, the API Gateway proxy
 * envelope included): beyond that, API Gateway answers 502 and the user sees nothing. When the result's
 * intermediate_results would take it over {@link #LIMIT_BYTES}, the largest of them are replaced, one at a time, by
 * a note with their size, and the result's limitations say which were left out and where they are.
 */
final class ResponseSize {

    /** Below Lambda's 6,291,556 bytes, leaving room for the proxy envelope and the escaping of the body string. */
    static final int LIMIT_BYTES = 5 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseSize() {
    }

    /** {@code status} itself, its largest intermediate results replaced by notes while it is over the limit. */
    static ObjectNode fit(ObjectNode status) {
        JsonNode result = status.path("result");
        if (!(result.path("intermediate_results") instanceof ObjectNode intermediate)
                || rawSize(status) * 2 <= LIMIT_BYTES // escaping at most doubles prose: the usual answer, checked cheaply
                || size(status) <= LIMIT_BYTES) {
            return status;
        }
        List<Map.Entry<String, Integer>> bySize = new ArrayList<>();
        intermediate.properties().forEach(e -> bySize.add(Map.entry(e.getKey(), size(e.getValue()))));
        bySize.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        ArrayNode limitations = result.path("limitations") instanceof ArrayNode a ? a
                : ((ObjectNode) result).putArray("limitations");
        for (Map.Entry<String, Integer> step : bySize) {
            ObjectNode note = JSON.createObjectNode().put("omitted", true).put("size_bytes", step.getValue());
            note.put("reason", "left out of this response, which may not exceed 6 MB; the content is in the"
                    + " workflow's latest checkpoint");
            intermediate.set(step.getKey(), note);
            limitations.add("the " + step.getKey() + " result (" + step.getValue() + " bytes of JSON) is left out of"
                    + " this response, which may not exceed 6 MB; it is in the workflow's latest checkpoint");
            if (size(status) <= LIMIT_BYTES) {
                break;
            }
        }
        return status;
    }

    private static int rawSize(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    /** The size of the node as the body string of a proxy response: its JSON, escaped as a JSON string. */
    private static int size(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(JSON.writeValueAsString(node)).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }
}
