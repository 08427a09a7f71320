package com.campaignflow.functions.checkpoints;

import java.time.Duration;

/**
 * Retention rules.
 *
 * @param retention               how long a checkpoint stays valid (expires_at = created_at + retention)
 * @param maxAutomaticPerWorkflow beyond this many automatic checkpoints, the oldest are pruned
 *                                (never the workflow's latest checkpoint, never manual or error_recovery ones)
 */
public record CheckpointPolicy(Duration retention, int maxAutomaticPerWorkflow) {

    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(Duration.ofDays(30), 50);

    public CheckpointPolicy {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        if (maxAutomaticPerWorkflow < 1) {
            throw new IllegalArgumentException("maxAutomaticPerWorkflow must be at least 1");
        }
    }
}
