package com.campaignflow.functions.checkpoints;

/** A parsed checkpoint id {@code {workflow_id}/checkpoint_NNN}. Build one through {@link CheckpointIds}. */
public record CheckpointId(String workflowId, int number) implements Comparable<CheckpointId> {

    public CheckpointId {
        CheckpointIds.validateWorkflowId(workflowId);
        if (number < 1 || number > CheckpointIds.MAX_NUMBER) {
            throw new InvalidCheckpointIdException("checkpoint number out of range 1.." + CheckpointIds.MAX_NUMBER + ": " + number);
        }
    }

    /** {@code wf-.../checkpoint_002} */
    public String value() {
        return workflowId + "/checkpoint_" + String.format("%03d", number);
    }

    /** The object key of the gzip JSON: {@code checkpoints/wf-.../checkpoint_002.json.gz}. */
    public String blobKey() {
        return CheckpointIds.PREFIX + value() + ".json.gz";
    }

    @Override
    public int compareTo(CheckpointId other) {
        int byWorkflow = workflowId.compareTo(other.workflowId);
        return byWorkflow != 0 ? byWorkflow : Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return value();
    }
}
