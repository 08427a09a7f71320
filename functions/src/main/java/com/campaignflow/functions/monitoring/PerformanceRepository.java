package com.campaignflow.functions.monitoring;

import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.domain.Timestamps;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * AgentPerformance records, partitioned by campaign id so {@code GET /campaigns/{id}/performance} is one Query;
 * the sort key {@code <recorded_at>#<execution_id>#<step_id>#<agent>} orders them in time and keeps retried or
 * resumed runs apart.
 */
public final class PerformanceRepository {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentTable table;

    public PerformanceRepository(DocumentTable table) {
        this.table = table;
    }

    public void record(String campaignId, AgentPerformance p) {
        ObjectNode item = JSON.createObjectNode();
        item.put("pk", campaignId);
        item.put("sk", p.recordedAt() + "#" + p.executionId() + "#" + p.stepId() + "#" + p.agentName());
        item.put("campaign_id", campaignId);
        item.put("execution_id", p.executionId());
        item.put("agent_name", p.agentName());
        item.put("step_id", p.stepId());
        item.put("execution_time", p.executionTimeMillis());
        item.put("success_status", p.successStatus());
        item.put("checkpoint_id", p.checkpointId());
        item.put("quality_score", p.qualityScore());
        item.put("checkpoint_size", p.checkpointSizeBytes());
        item.put("recorded_at", p.recordedAt().toString());
        table.put(item);
    }

    /** The campaign's agent runs, oldest first. */
    public List<AgentPerformance> forCampaign(String campaignId) {
        return table.query(campaignId).stream().map(PerformanceRepository::toPerformance).toList();
    }

    private static AgentPerformance toPerformance(JsonNode i) {
        return new AgentPerformance(i.path("execution_id").asText(), i.path("agent_name").asText(),
                i.path("step_id").asText(), i.path("execution_time").asLong(), i.path("success_status").asBoolean(),
                i.path("checkpoint_id").isTextual() ? i.path("checkpoint_id").asText() : null,
                i.path("quality_score").asDouble(), i.path("checkpoint_size").asLong(),
                Timestamps.parse(i.path("recorded_at").asText()));
    }
}
