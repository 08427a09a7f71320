package com.campaignflow.functions.checkpoints;

import java.util.List;

/**
 * What a caller supplies to write a checkpoint; the manager assigns the id, times and content hash.
 * {@code durationMillis}: how long the agent ran (0 when no agent run made it, e.g. a manual checkpoint).
 */
public record NewCheckpoint(
        String workflowId,
        String campaignId,
        String executionId,
        String stepId,
        String agentName,
        String phaseName,
        CheckpointType type,
        CheckpointStatus status,
        StateData stateData,
        String resumeInstructions,
        List<String> availableActions,
        double qualityScore,
        String summary,
        long durationMillis) {

    public NewCheckpoint {
        CheckpointIds.validateWorkflowId(workflowId);
        availableActions = List.copyOf(availableActions == null ? List.of() : availableActions);
        if (type == null || status == null || stateData == null) {
            throw new IllegalArgumentException("type, status and state_data are required");
        }
    }
}
