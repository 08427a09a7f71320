package com.campaignflow.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** What API Gateway knows of one WebSocket connection. */
record WebSocketConnection(String id, String stage, String domainName, Instant connectedAt, String sourceIp,
                           String userAgent, JsonNode authorizer) {
}
