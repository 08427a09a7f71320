package com.campaignflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
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
    public sealed interface Resume permits At, Begun, Completed, Failed, Aborted {
        long lastEventId();
    }

    /** How far the visit of a state got before the engine stopped, as its journaled events say. */
    public enum Progress {
        /** Not entered: the visit starts with its Entered event (redrive, or the state after one that exited). */
        NONE,
        /** Entered: the visit runs again from its input, quietly (no second Entered event). */
        ENTERED,
        /** A Parallel or Map whose Started event is journaled: its branches continue, no second Started. */
        STARTED,
        /** A Parallel or Map whose Succeeded event is journaled: every branch is complete, no second Succeeded. */
        SUCCEEDED,
        /**
         * Exited, but the Next it went to is not in the history (a Choice): decided again from the same
         * input and context, with no event, since the Choice's entry and exit are journaled already.
         */
        EXITED
    }

    /** An error as a journaled event reported it. */
    public record Failure(String error, String cause) {
    }

    /**
     * Continue at {@code state} with {@code input}.
     *
     * @param retryCount  retries already spent in this visit (crash resume), 0 on redrive
     * @param enteredTime when the visit began (Waits keep their deadline), null = now
     * @param progress    how far the visit got
     * @param taskResult  a Task's result that was journaled before the crash: used as is, the
     *                    task is not invoked again; null otherwise
     * @param failure     the journaled failure of the attempt that ended last (a Task's, a Parallel's
     *                    or a Map's): Retry and Catch decide on it, the attempt is not run again;
     *                    null otherwise
     */
    public record At(String state, JsonNode input, int retryCount, Instant enteredTime, Progress progress,
            long lastEventId, JsonNode taskResult, Failure failure) implements Resume {

        /** The visit starts with its Entered event. */
        public boolean reenter() {
            return progress == Progress.NONE;
        }
    }

    /** A Map iteration whose MapIterationStarted event is journaled but no state in it: runs from its start. */
    public record Begun(long lastEventId) implements Resume {
    }

    /**
     * The branch already finished with this output: it is not run again.
     *
     * @param endJournaled its end is in the history too; false for a Map iteration whose last state
     *                     exited but whose MapIterationSucceeded event was lost: it is recorded now
     */
    public record Completed(JsonNode output, long lastEventId, boolean endJournaled) implements Resume {
    }

    /**
     * A Map iteration whose MapIterationAborted event is journaled (its Map attempt was failing): not
     * reported aborted again; should it run after all, it runs from its start.
     */
    public record Aborted(long lastEventId) implements Resume {
    }

    /** A Map iteration that already failed with this error (its MapIterationFailed is journaled): not run again. */
    public record Failed(Failure failure, long lastEventId) implements Resume {
    }

    private final Instant startTime;
    private final Instant deadlineBase;
    private final long lastEventId;
    private final Map<String, Resume> branches;
    private final Map<String, Integer> invocations;
    private final Set<String> redriven;

    /**
     * @param startTime    $$.Execution.StartTime of the original start
     * @param deadlineBase when the execution's TimeoutSeconds starts counting (the redrive time on redrive)
     * @param lastEventId  the last journaled event id; new events continue after it
     * @param invocations  task invocations so far per state name (for ExecutionOptions#mockInvocationsSoFar)
     * @param redriven     the branch paths a redrive runs again: they start with their start event
     *                     (MapIterationStarted) again; after a crash the others continue quietly
     */
    public ResumePlan(Instant startTime, Instant deadlineBase, long lastEventId, Map<String, Resume> branches,
            Map<String, Integer> invocations, Set<String> redriven) {
        this.redriven = Set.copyOf(redriven);
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

    /** The branch at this path runs again for a redrive (its start event is recorded again). */
    public boolean redriven(String branchPath) {
        return redriven.contains(branchPath);
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
