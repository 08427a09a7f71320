package com.campaignflow.functions.checkpoints;

/** Thrown when a workflow or checkpoint id is malformed or hostile (traversal, encoding tricks, other workflows). */
public class InvalidCheckpointIdException extends IllegalArgumentException {

    public InvalidCheckpointIdException(String message) {
        super(message);
    }
}
