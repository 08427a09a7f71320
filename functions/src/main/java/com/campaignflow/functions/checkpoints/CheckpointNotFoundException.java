package com.campaignflow.functions.checkpoints;

/** Thrown when a well-formed checkpoint id names no stored checkpoint. */
public class CheckpointNotFoundException extends RuntimeException {

    private final String checkpointId;

    public CheckpointNotFoundException(String checkpointId) {
        super("checkpoint not found: " + checkpointId);
        this.checkpointId = checkpointId;
    }

    public String checkpointId() {
        return checkpointId;
    }
}
