package com.campaignflow.functions.domain;

import java.time.Instant;

/**
 * One agent run as recorded in the AgentPerformance table.
 *
 * @param executionId          the Step Functions execution name (= workflow id for a first run)
 * @param agentName            agent wire name
 * @param stepId               plan step id (differs from the agent for researcher_a/b/c)
 * @param executionTimeMillis  time spent in the agent
 * @param successStatus        true when the agent completed
 * @param checkpointId         the checkpoint the run wrote (null on failure)
 * @param qualityScore         measured quality of the output in [0, 1]
 * @param checkpointSizeBytes  compressed size of the checkpoint
 * @param recordedAt           when the run ended
 */
public record AgentPerformance(
        String executionId,
        String agentName,
        String stepId,
        long executionTimeMillis,
        boolean successStatus,
        String checkpointId,
        double qualityScore,
        long checkpointSizeBytes,
        Instant recordedAt) {
}
