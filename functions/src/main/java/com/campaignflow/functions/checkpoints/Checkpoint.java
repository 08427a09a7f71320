package com.campaignflow.functions.checkpoints;

import com.campaignflow.functions.domain.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint as documented in docs/contracts.md. {@code qualityScore}, {@code summary} and {@code durationMillis}
 * (how long the agent ran) are the agent result kept with it, so a re-invoked agent can return the same result
 * without running again, and complete the performance record a crash right after the checkpoint lost.
 */
public record Checkpoint(
        String checkpointId,
        String workflowId,
        String campaignId,
        String executionId,
        String stepId,
        String agentName,
        String phaseName,
        CheckpointType type,
        CheckpointStatus status,
        Instant createdAt,
        Instant expiresAt,
        StateData stateData,
        String resumeInstructions,
        List<String> availableActions,
        String contentHash,
        double qualityScore,
        String summary,
        long durationMillis) {

    public Checkpoint {
        availableActions = List.copyOf(availableActions == null ? List.of() : availableActions);
    }

    public Checkpoint withStatus(CheckpointStatus newStatus) {
        return new Checkpoint(checkpointId, workflowId, campaignId, executionId, stepId, agentName, phaseName, type,
                newStatus, createdAt, expiresAt, stateData, resumeInstructions, availableActions, contentHash,
                qualityScore, summary, durationMillis);
    }

    /** The checkpoint with another state (a view of it, never stored: its content hash is the original's). */
    public Checkpoint withStateData(StateData newStateData) {
        return new Checkpoint(checkpointId, workflowId, campaignId, executionId, stepId, agentName, phaseName, type,
                status, createdAt, expiresAt, newStateData, resumeInstructions, availableActions, contentHash,
                qualityScore, summary, durationMillis);
    }

    /** The checkpoint kept until {@code newExpiresAt}. */
    public Checkpoint withExpiresAt(Instant newExpiresAt) {
        return new Checkpoint(checkpointId, workflowId, campaignId, executionId, stepId, agentName, phaseName, type,
                status, createdAt, newExpiresAt, stateData, resumeInstructions, availableActions, contentHash,
                qualityScore, summary, durationMillis);
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("checkpoint_id", checkpointId);
        n.put("workflow_id", workflowId);
        n.put("campaign_id", campaignId);
        n.put("execution_id", executionId);
        n.put("step_id", stepId);
        n.put("agent_name", agentName);
        n.put("phase_name", phaseName);
        n.put("type", type.wireName());
        n.put("status", status.wireName());
        n.put("created_at", createdAt.toString());
        n.put("expires_at", expiresAt.toString());
        n.set("state_data", stateData.toJson());
        n.put("resume_instructions", resumeInstructions);
        availableActions.forEach(n.putArray("available_actions")::add);
        n.put("content_hash", contentHash);
        n.put("quality_score", qualityScore);
        n.put("summary", summary);
        n.put("duration_ms", durationMillis);
        return n;
    }

    /** Maps the decompressed JSON; throws IllegalArgumentException naming a missing or malformed field. */
    public static Checkpoint fromJson(JsonNode n) {
        List<String> actions = new ArrayList<>();
        n.path("available_actions").forEach(a -> actions.add(a.asText()));
        return new Checkpoint(
                text(n, "checkpoint_id"), text(n, "workflow_id"), n.path("campaign_id").asText(null),
                n.path("execution_id").asText(null), n.path("step_id").asText(null), n.path("agent_name").asText(null),
                n.path("phase_name").asText(null), CheckpointType.fromWireName(text(n, "type")),
                CheckpointStatus.fromWireName(text(n, "status")), instant(n, "created_at"), instant(n, "expires_at"),
                StateData.fromJson(n.get("state_data")), n.path("resume_instructions").asText(""), actions,
                text(n, "content_hash"), n.path("quality_score").asDouble(0), n.path("summary").asText(""),
                n.path("duration_ms").asLong(0));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("checkpoint field " + field + " is missing or not a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        try {
            return Timestamps.parse(text(n, field));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("checkpoint field " + field + " is not an ISO-8601 instant", e);
        }
    }
}
