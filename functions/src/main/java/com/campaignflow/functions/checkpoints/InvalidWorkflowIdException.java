package com.campaignflow.functions.checkpoints;

/** Thrown when a workflow id (a route's {@code {workflow_id}}, a CLI argument) is malformed or hostile. */
public class InvalidWorkflowIdException extends InvalidCheckpointIdException {

    public InvalidWorkflowIdException(String message) {
        super(message);
    }
}
