package com.campaignflow.functions.checkpoints;

import java.time.Instant;
import java.util.Optional;

/**
 * Thrown when a resume names a checkpoint past its expires_at. Its object may still be stored until the retention
 * sweep (locally) or the bucket's lifecycle rule (on AWS) deletes it, so without this refusal the same resume would
 * work or fail depending on when that ran. Names the workflow's newest checkpoint that has not expired, if any.
 */
public class CheckpointExpiredException extends RuntimeException {

    private final String checkpointId;
    private final Instant expiredAt;
    private final String latestUnexpiredCheckpointId;

    public CheckpointExpiredException(String checkpointId, Instant expiredAt, String latestUnexpiredCheckpointId) {
        super("checkpoint " + checkpointId + " expired at " + expiredAt + " and is due for deletion"
                + (latestUnexpiredCheckpointId == null
                        ? "; the workflow has no checkpoint that has not expired"
                        : "; resume from " + latestUnexpiredCheckpointId + ", which has not expired"));
        this.checkpointId = checkpointId;
        this.expiredAt = expiredAt;
        this.latestUnexpiredCheckpointId = latestUnexpiredCheckpointId;
    }

    public String checkpointId() {
        return checkpointId;
    }

    public Instant expiredAt() {
        return expiredAt;
    }

    public Optional<String> latestUnexpiredCheckpointId() {
        return Optional.ofNullable(latestUnexpiredCheckpointId);
    }
}
