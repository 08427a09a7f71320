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
    /** Longest retention CHECKPOINT_RETENTION_DAYS may ask for (template.yaml's CheckpointRetentionDays allows as much). */
    static final int MAX_RETENTION_DAYS = 3650;

    /**
     * The default policy with {@code retentionDays} (CHECKPOINT_RETENTION_DAYS, set from the same template parameter
     * as the bucket's lifecycle rule, so a checkpoint's expires_at and its deletion agree); null or empty: 30 days.
     */
    public static CheckpointPolicy withRetentionDays(String retentionDays) {
        if (retentionDays == null || retentionDays.isEmpty()) {
            return DEFAULT;
        }
        int days;
        try {
            days = Integer.parseInt(retentionDays.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > MAX_RETENTION_DAYS) {
            throw new IllegalStateException("CHECKPOINT_RETENTION_DAYS must be a whole number of days from 1 to "
                    + MAX_RETENTION_DAYS + "; got '" + retentionDays + "'");
        }
        return new CheckpointPolicy(Duration.ofDays(days), DEFAULT.maxAutomaticPerWorkflow());
    }

    public CheckpointPolicy {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        if (maxAutomaticPerWorkflow < 1) {
            throw new IllegalArgumentException("maxAutomaticPerWorkflow must be at least 1");
        }
    }
}
