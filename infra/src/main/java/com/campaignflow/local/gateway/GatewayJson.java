package com.campaignflow.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The plain JSON mapper of the gateway (events are built as trees, exactly as API Gateway serializes them). */
final class GatewayJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private GatewayJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {"message": message}}, API Gateway's own error body. */
    static String message(String message) {
        return object().put("message", message).toString();
    }
}
