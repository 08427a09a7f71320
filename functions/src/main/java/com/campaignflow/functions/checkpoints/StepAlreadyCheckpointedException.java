package com.campaignflow.functions.checkpoints;

/**
 * Thrown by {@link CheckpointManager#create} for an automatic checkpoint of a step that another invocation of the
 * same execution and step checkpointed first (two runs of one step at once: a retried Lambda invocation while the
 * first still ran). The checkpoint just written was removed again; {@link #existing()} is the one that stays, and
 * the step's result is that one's.
 */
public class StepAlreadyCheckpointedException extends RuntimeException {

    private final CheckpointEntry existing;

    public StepAlreadyCheckpointedException(CheckpointEntry existing) {
        super("step " + existing.stepId() + " of execution " + existing.executionId() + " was checkpointed first in "
                + existing.checkpointId());
        this.existing = existing;
    }

    public CheckpointEntry existing() {
        return existing;
    }
}
