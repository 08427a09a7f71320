package com.campaignflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an execution continues instead of starting afresh: after a crash (the state that was
 * in flight runs again, quietly) or on a redrive (unsuccessful states are entered again).
 * Built from the journaled history by {@link ResumePlanner}. Keys are branch paths as
 * {@link com.campaignflow.local.sfn.history.HistoryEvent#branch()} names them ("" for the top
 * level). Each entry is used once: a later retry or loop visit of the same state runs normally.
 */
public final class ResumePlan {

    /** How one branch (top level, Parallel branch, Map iteration) continues. */
    public sealed interface Resume permits At, Completed {
        long lastEventId();
    }

    /**
     * Continue at {@code state} with {@code input}.
     *
     * @param retryCount  retries already spent in this visit (crash resume), 0 on redrive
     * @param enteredTime when the visit began (Waits keep their deadline), null = now
     * @param reenter     emit the StateEntered event again (redrive, or a state not yet entered)
     * @param taskResult  a Task's result that was journaled before the crash: used as is, the
     *                    task is not invoked again; null otherwise
     */
    public record At(String state, JsonNode input, int retryCount, Instant enteredTime, boolean reenter,
            long lastEventId, JsonNode taskResult) implements Resume {
    }

    /** The branch already finished with this output: it is not run again. */
    public record Completed(JsonNode output, long lastEventId) implements Resume {
    }

    private final Instant startTime;
    private final Instant deadlineBase;
    private final long lastEventId;
    private final Map<String, Resume> branches;
    private final Map<String, Integer> invocations;

    /**
     * @param startTime    $$.Execution.StartTime of the original start
     * @param deadlineBase when the execution's TimeoutSeconds starts counting (the redrive time on redrive)
     * @param lastEventId  the last journaled event id; new events continue after it
     * @param invocations  task invocations so far per state name (for ExecutionOptions#mockInvocationsSoFar)
     */
    public ResumePlan(Instant startTime, Instant deadlineBase, long lastEventId, Map<String, Resume> branches,
            Map<String, Integer> invocations) {
        this.startTime = startTime;
        this.deadlineBase = deadlineBase;
        this.lastEventId = lastEventId;
        this.branches = new ConcurrentHashMap<>(branches);
        this.invocations = Map.copyOf(invocations);
    }

    public Instant startTime() {
        return startTime;
    }

    public Instant deadlineBase() {
        return deadlineBase;
    }

    public long lastEventId() {
        return lastEventId;
    }

    public Map<String, Integer> invocations() {
        return invocations;
    }

    /** The plan for a branch path, removed so it applies once; null = run the branch normally. */
    Resume take(String branchPath) {
        return branches.remove(branchPath);
    }

    /** A read-only view, for tests and diagnostics. */
    public Map<String, Resume> branches() {
        return Map.copyOf(branches);
    }
}
