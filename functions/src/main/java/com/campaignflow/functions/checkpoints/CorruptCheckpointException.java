package com.campaignflow.functions.checkpoints;

import java.util.Optional;

/**
 * Thrown when a stored checkpoint cannot be trusted: truncated or invalid gzip, unparseable JSON, a checkpoint_id
 * that does not match its key, or a state_data whose hash differs from content_hash. Names the checkpoint and,
 * when there is one, the newest earlier checkpoint of the workflow that reads back valid.
 */
public class CorruptCheckpointException extends RuntimeException {

    private final String checkpointId;
    private final String previousValidCheckpointId;

    public CorruptCheckpointException(String checkpointId, String reason, String previousValidCheckpointId, Throwable cause) {
        super("checkpoint " + checkpointId + " is corrupt (" + reason + ")"
                + (previousValidCheckpointId == null
                        ? "; no earlier valid checkpoint"
                        : "; previous valid checkpoint: " + previousValidCheckpointId), cause);
        this.checkpointId = checkpointId;
        this.previousValidCheckpointId = previousValidCheckpointId;
    }

    public String checkpointId() {
        return checkpointId;
    }

    public Optional<String> previousValidCheckpointId() {
        return Optional.ofNullable(previousValidCheckpointId);
    }
}
