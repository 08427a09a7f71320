package com.campaignflow.local.sfn.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One history event. {@code details} holds the AWS-named details object (e.g.
 * {@code stateEnteredEventDetails: {name, input}}). {@code branch} locates the execution
 * path that emitted it: "" for the top level, "Par/0" for branch 0 of Parallel state Par,
 * "Par/0/Items/3" for iteration 3 of Map state Items inside it. {@code retryCount} is the
 * state's retry count at the time ($$.State.RetryCount), so journals can resume a visit.
 * {@code failure} is, on a MapIterationFailed, ParallelStateFailed or MapStateFailed event, the
 * error it failed with ({@code {"error": ..., "cause": ...}}), so a crash resume can decide on
 * it again (retry, catch) without running the work again; AWS's events do not
 * carry it. Null otherwise.
 * Like branch and retryCount it is engine bookkeeping, not part of the AWS shape.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, HistoryEventType type,
        String branch, int retryCount, ObjectNode details, ObjectNode failure) {

    public HistoryEvent(long id, long previousEventId, Instant timestamp, HistoryEventType type, String branch,
            int retryCount, ObjectNode details) {
        this(id, previousEventId, timestamp, type, branch, retryCount, details, null);
    }

    /** The AWS JSON shape: {timestamp, type, id, previousEventId, <xxx>EventDetails}. */
    public ObjectNode toJson() {
        ObjectNode json = details.objectNode();
        json.put("timestamp", timestamp.toString());
        json.put("type", type.name());
        json.put("id", id);
        json.put("previousEventId", previousEventId);
        json.setAll(details);
        return json;
    }
}
