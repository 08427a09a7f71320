package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.StateNode.MapWork;
import com.campaignflow.local.sfn.StateNode.ParallelWork;
import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an execution's history and says where it continues.
 * <ul>
 * <li>{@link Mode#CRASH}: the engine stopped while the execution ran, and the history may end
 * after any event (a power cut drops events that only announce work in flight). A state that
 * exited is never run again; the state that was in flight runs again from its input, quietly
 * (no second Entered event; a Task is invoked again: at-least-once), with its retry count and,
 * for a Wait, its original entered time. Work whose end is journaled is not done again: a Task
 * result or failure, a Parallel or Map that succeeded, a Map iteration that succeeded or failed
 * (the Map fails again with that failure), a Choice that exited (it decides
 * its Next again, recording nothing).</li>
 * <li>{@link Mode#REDRIVE}: the execution failed, timed out or was aborted. The unsuccessful
 * state is entered again with its input; inside a Parallel or Map, only branches and
 * iterations that did not succeed run again.</li>
 * </ul>
 * A crash during a redrive is both: a branch with no event since the latest ExecutionRedriven
 * (the redrive had not reached it yet) continues as the redrive would have, the others as after
 * a crash. The redrive's own Started event of a Parallel or Map keeps the branches that succeeded
 * before it, as a retry's or a loop's does not.
 */
public final class ResumePlanner {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Why the execution continues. */
    public enum Mode {
        CRASH, REDRIVE
    }

    private ResumePlanner() {
    }

    /** What the history says about one branch: its latest state visit. */
    private static final class Track {
        String state;
        JsonNode input;
        Instant entered;
        int retryCount;
        boolean exited;
        JsonNode output;
        boolean iterationStarted;
        boolean iterationSucceeded;
        boolean iterationAborted;
        /** The error a Map iteration failed with (its MapIterationFailed event). */
        ResumePlan.Failure iterationFailure;
        /** The visit's Parallel or Map journaled its Started / Succeeded event. */
        boolean fanOutStarted;
        boolean fanOutSucceeded;
        /** The visit's latest Parallel or Map attempt failed (its Failed event), none started after it. */
        boolean fanOutFailed;
        long lastEventId;
        /** The visit's journaled task result (TaskSucceeded / LambdaFunctionSucceeded output). */
        JsonNode taskResult;
        /** How the visit's latest attempt failed (a Task, Parallel or Map failure event), when none began after it. */
        ResumePlan.Failure attemptFailure;
        /** No event of this branch since the latest ExecutionRedriven: the redrive has not reached it yet. */
        boolean redrivePending;
        /** This visit is the redrive entering the state again: its first Started keeps the succeeded branches. */
        boolean redriveReentry;
        /**
         * The redrive started this Map iteration again (its MapIterationStarted is journaled) and nothing of it ran
         * yet: it still continues as the redrive would, without a second MapIterationStarted.
         */
        boolean redriveStartedIteration;
    }

    /**
     * @param events  the whole history so far, in id order
     * @param now     the redrive time (REDRIVE) or recovery time (CRASH)
     */
    public static ResumePlan plan(StateMachineDefinition definition, List<HistoryEvent> events, Mode mode,
            Instant now) {
        Map<String, Track> tracks = new HashMap<>();
        Map<String, Integer> invocations = new HashMap<>();
        Instant start = now;
        Instant lastRedrive = null;
        long lastId = 0;
        for (HistoryEvent e : events) {
            lastId = Math.max(lastId, e.id());
            if (e.type() == HistoryEventType.ExecutionStarted) {
                start = e.timestamp();
            } else if (e.type() == HistoryEventType.ExecutionRedriven) {
                lastRedrive = e.timestamp();
                tracks.values().forEach(track -> {
                    track.redrivePending = true;
                    track.redriveStartedIteration = false;
                });
                tracks.computeIfAbsent(e.branch(), k -> new Track()).lastEventId = e.id();
                continue;
            }
            Track t = tracks.computeIfAbsent(e.branch(), k -> new Track());
            t.lastEventId = e.id();
            boolean reachedByRedrive = t.redrivePending;
            t.redrivePending = false;
            String type = e.type().name();
            if (type.endsWith("StateEntered")) {
                t.redriveReentry = reachedByRedrive;
                JsonNode d = e.details().elements().next();
                t.state = d.path("name").asText();
                t.input = parse(d.path("input").asText());
                t.entered = e.timestamp();
                t.retryCount = 0;
                t.exited = false;
                t.output = null;
                t.taskResult = null;
                t.attemptFailure = null;
                t.fanOutStarted = false;
                t.fanOutSucceeded = false;
                t.fanOutFailed = false;
            } else if (type.endsWith("StateExited")) {
                t.exited = true;
                t.output = parse(e.details().elements().next().path("output").asText());
            }
            switch (e.type()) {
                case TaskScheduled, LambdaFunctionScheduled -> {
                    invocations.merge(t.state, 1, Integer::sum);
                    t.retryCount = e.retryCount();
                    t.taskResult = null;
                    t.attemptFailure = null;
                }
                case TaskSucceeded, LambdaFunctionSucceeded ->
                    t.taskResult = parse(e.details().elements().next().path("output").asText());
                case TaskFailed, TaskTimedOut, LambdaFunctionFailed, LambdaFunctionTimedOut -> {
                    t.attemptFailure = failure(e.details().elements().next());
                    t.retryCount = e.retryCount();
                }
                case MapIterationStarted -> {
                    t.iterationStarted = true;
                    t.iterationSucceeded = false;
                    t.iterationFailure = null;
                    t.iterationAborted = false;
                    if (reachedByRedrive) {
                        // the redrive runs the iteration again from its unsuccessful state: until that state's
                        // Entered event, the iteration is where the redrive found it
                        t.redrivePending = true;
                        t.redriveStartedIteration = true;
                    }
                }
                case MapIterationSucceeded -> t.iterationSucceeded = true;
                case MapIterationAborted -> t.iterationAborted = true;
                case MapIterationFailed -> t.iterationFailure = e.failure() == null ? null : failure(e.failure());
                // A new attempt of a Parallel or Map (loop or retry) starts its branches afresh; the redrive's
                // entry into it goes on with them (it runs only those that did not succeed).
                case ParallelStateStarted, MapStateStarted -> {
                    if (!t.redriveReentry) {
                        forgetBranches(tracks, e.branch() + t.state + "/");
                    }
                    t.redriveReentry = false;
                    t.fanOutStarted = true;
                    t.fanOutFailed = false;
                    t.fanOutSucceeded = false;
                    t.retryCount = e.retryCount();
                    t.attemptFailure = null;
                }
                case ParallelStateSucceeded, MapStateSucceeded -> t.fanOutSucceeded = true;
                // After a crash right after it, Retry and Catch decide on the journaled failure (without one,
                // an abort, the attempt runs again from its start) and its branches are not looked at; a redrive
                // keeps the succeeded branches.
                case ParallelStateFailed, MapStateFailed -> {
                    t.fanOutFailed = true;
                    t.fanOutStarted = false;
                    t.retryCount = e.retryCount();
                    t.attemptFailure = e.failure() == null ? null : failure(e.failure());
                }
                default -> {
                }
            }
        }
        Map<String, ResumePlan.Resume> branches = new HashMap<>();
        Set<String> redriven = new HashSet<>();
        resume("", definition.graph(), tracks, mode, branches, redriven);
        // TimeoutSeconds counts from the start, or from the latest redrive.
        Instant deadlineBase = mode == Mode.REDRIVE ? now : lastRedrive != null ? lastRedrive : start;
        return new ResumePlan(start, deadlineBase, lastId, branches, invocations, redriven);
    }

    private static ResumePlan.Failure failure(JsonNode json) {
        return new ResumePlan.Failure(json.path("error").asText(null), json.path("cause").asText(null));
    }

    private static void forgetBranches(Map<String, Track> tracks, String prefix) {
        tracks.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static void resume(String path, StateGraph graph, Map<String, Track> tracks, Mode mode,
            Map<String, ResumePlan.Resume> out, Set<String> redriven) {
        Track t = tracks.get(path);
        if (t == null) {
            return; // never started: runs from its start
        }
        // a branch the redrive had not reached when the engine stopped continues as the redrive would have
        boolean crash = mode == Mode.CRASH && !t.redrivePending;
        if (!crash && !t.redriveStartedIteration) {
            redriven.add(path);
        }
        if (t.iterationSucceeded) {
            out.put(path, new ResumePlan.Completed(t.output, t.lastEventId, true));
            return;
        }
        if (crash && t.iterationFailure != null) {
            // It ended: the Map fails again with its failure, without running it again.
            out.put(path, new ResumePlan.Failed(t.iterationFailure, t.lastEventId));
            return;
        }
        if (crash && t.iterationAborted) {
            out.put(path, new ResumePlan.Aborted(t.lastEventId));
            return;
        }
        if (t.state == null) {
            if (crash && t.iterationStarted) {
                out.put(path, new ResumePlan.Begun(t.lastEventId));
            }
            return;
        }
        StateNode node = graph.state(t.state);
        if (node == null) {
            return;
        }
        if (t.exited) {
            if (node.type == StateNode.Type.Choice) {
                // The chosen Next is not in the history: decide again (a Choice has no effects).
                out.put(path, new ResumePlan.At(node.name, t.input, 0, t.entered, ResumePlan.Progress.EXITED,
                        t.lastEventId, null, null));
            } else if (node.next == null) {
                // A Parallel branch has no end event; a Map iteration's MapIterationSucceeded was lost.
                out.put(path, new ResumePlan.Completed(t.output, t.lastEventId, !t.iterationStarted));
            } else {
                out.put(path, new ResumePlan.At(node.next.name, t.output, 0, null, ResumePlan.Progress.NONE,
                        t.lastEventId, null, null));
            }
            return;
        }
        if (crash) {
            ResumePlan.Progress progress = t.fanOutSucceeded ? ResumePlan.Progress.SUCCEEDED
                    : t.fanOutStarted ? ResumePlan.Progress.STARTED : ResumePlan.Progress.ENTERED;
            // A task whose result or failure was journaled is not invoked again: the result is used,
            // or Retry and Catch decide on the failure (so they do on a Parallel's or Map's failure).
            out.put(path, new ResumePlan.At(node.name, t.input, t.retryCount, t.entered, progress, t.lastEventId,
                    t.taskResult, t.taskResult == null ? t.attemptFailure : null));
            if (t.fanOutFailed) {
                return; // Retry and Catch decide on its failure; a retry starts its branches afresh
            }
        } else {
            out.put(path, new ResumePlan.At(node.name, t.input, 0, null, ResumePlan.Progress.NONE, t.lastEventId,
                    null, null));
        }
        String prefix = path + node.name + "/";
        if (node.work instanceof ParallelWork parallel) {
            for (int i = 0; i < parallel.branches().size(); i++) {
                resume(prefix + i + "/", parallel.branches().get(i), tracks, mode, out, redriven);
            }
        } else if (node.work instanceof MapWork map) {
            for (String key : List.copyOf(tracks.keySet())) {
                if (key.startsWith(prefix) && key.indexOf('/', prefix.length()) == key.length() - 1) {
                    resume(key, map.processor(), tracks, mode, out, redriven);
                }
            }
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(json);
        }
    }
}
