package com.campaignflow.functions.checkpoints;

import com.campaignflow.functions.domain.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One checkpoint as listed in metadata.json and by {@code GET /workflows/{id}/checkpoints}.
 *
 * @param sizeBytes          compressed size of the stored object
 * @param resumeInstructions the checkpoint's resume_instructions (a manual checkpoint's note among them); null when
 *                           metadata.json was written before entries carried it
 * @param availableActions   the checkpoint's available_actions; null when metadata.json predates them
 */
public record CheckpointEntry(
        String checkpointId,
        String agentName,
        String phaseName,
        String stepId,
        String executionId,
        CheckpointType type,
        CheckpointStatus status,
        Instant createdAt,
        Instant expiresAt,
        long sizeBytes,
        double qualityScore,
        String summary,
        String resumeInstructions,
        List<String> availableActions) {

    public CheckpointEntry {
        availableActions = availableActions == null ? null : List.copyOf(availableActions);
    }

    static CheckpointEntry of(Checkpoint c, long sizeBytes) {
        return new CheckpointEntry(c.checkpointId(), c.agentName(), c.phaseName(), c.stepId(), c.executionId(), c.type(),
                c.status(), c.createdAt(), c.expiresAt(), sizeBytes, c.qualityScore(), c.summary(), c.resumeInstructions(),
                c.availableActions());
    }

    public CheckpointEntry withStatus(CheckpointStatus newStatus) {
        return new CheckpointEntry(checkpointId, agentName, phaseName, stepId, executionId, type, newStatus, createdAt,
                expiresAt, sizeBytes, qualityScore, summary, resumeInstructions, availableActions);
    }

    public CheckpointId id() {
        return CheckpointIds.parse(checkpointId);
    }

    /**
     * The public listing shape: checkpoint_id, agent_name, phase_name, type, status, created_at, size_bytes, then
     * resume_instructions and available_actions when known (what a client needs to offer only the resumes the API takes).
     */
    public ObjectNode toListingJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("checkpoint_id", checkpointId);
        n.put("agent_name", agentName);
        n.put("phase_name", phaseName);
        n.put("type", type.wireName());
        n.put("status", status.wireName());
        n.put("created_at", createdAt.toString());
        n.put("size_bytes", sizeBytes);
        if (resumeInstructions != null) {
            n.put("resume_instructions", resumeInstructions);
        }
        if (availableActions != null) {
            availableActions.forEach(n.putArray("available_actions")::add);
        }
        return n;
    }

    /** The metadata.json shape: the listing plus what idempotency and retention need. */
    ObjectNode toMetadataJson() {
        ObjectNode n = toListingJson();
        n.put("step_id", stepId);
        n.put("execution_id", executionId);
        n.put("expires_at", expiresAt.toString());
        n.put("quality_score", qualityScore);
        n.put("summary", summary);
        return n;
    }

    static CheckpointEntry fromMetadataJson(JsonNode n) {
        return new CheckpointEntry(n.path("checkpoint_id").asText(), n.path("agent_name").asText(null),
                n.path("phase_name").asText(null), n.path("step_id").asText(null), n.path("execution_id").asText(null),
                CheckpointType.fromWireName(n.path("type").asText()),
                CheckpointStatus.fromWireName(n.path("status").asText()), Timestamps.parse(n.path("created_at").asText()),
                Timestamps.parse(n.path("expires_at").asText()), n.path("size_bytes").asLong(),
                n.path("quality_score").asDouble(0), n.path("summary").asText(""),
                n.path("resume_instructions").asText(null), actions(n.get("available_actions")));
    }

    private static List<String> actions(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> actions = new ArrayList<>();
        array.forEach(a -> actions.add(a.asText()));
        return actions;
    }
}
