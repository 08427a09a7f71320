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
        String digits = Integer.toString(number);
        return workflowId + "/checkpoint_" + "000".substring(Math.min(3, digits.length())) + digits;
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
