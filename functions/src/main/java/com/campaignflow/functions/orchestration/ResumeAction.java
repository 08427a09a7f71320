package com.campaignflow.functions.orchestration;

import com.campaignflow.statemachine.plan.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to do when resuming from a checkpoint.
 * <ul>
 * <li>{@code continue}: run the plan steps not completed as of the checkpoint;</li>
 * <li>{@code retry}: run again the step that wrote the checkpoint (the failed step for an error_recovery
 * checkpoint), then the rest;</li>
 * <li>{@code skip}: skip the next pending step (from an error_recovery checkpoint, the step that failed; it must be
 * optional), then run the rest.</li>
 * </ul>
 */
public enum ResumeAction {
    CONTINUE, RETRY, SKIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a resume with this action from a checkpoint runs: {@code pending}, the plan's steps in plan order, and the
     * step a skip leaves out; or, when it cannot resume, {@code refusal} saying why (pending is then empty).
     */
    public record Steps(List<PlanStep> pending, PlanStep skipped, String refusal) {
    }

    /**
     * The steps this action runs from a checkpoint of a campaign with these plan steps (in plan order).
     *
     * @param contentType    the campaign's, for the refusal of a required step's skip
     * @param done           the steps done as of the checkpoint: completed, or skipped by the workflow or a resume
     * @param checkpointStep the step that wrote the checkpoint (the failed one for an error_recovery checkpoint)
     */
    public Steps steps(List<PlanStep> planSteps, String contentType, Set<String> done, String checkpointStep) {
        List<PlanStep> pending = new ArrayList<>();
        for (PlanStep step : planSteps) {
            if (!done.contains(step.stepId()) || (this == RETRY && step.stepId().equals(checkpointStep))) {
                pending.add(step);
            }
        }
        PlanStep skipped = null;
        if (this == SKIP) {
            if (pending.isEmpty()) {
                return new Steps(List.of(), null, "nothing is left to skip");
            }
            // the step that failed, from its error_recovery checkpoint (in a Parallel phase its pending siblings come
            // first in plan order); else the next pending one
            skipped = pending.stream().filter(s -> s.stepId().equals(checkpointStep)).findFirst()
                    .orElse(pending.getFirst());
            if (skipped.required()) {
                return new Steps(List.of(), null, skipped.agent() + " (step " + skipped.stepId() + ") is required for a "
                        + contentType + " and cannot be skipped; continue runs it");
            }
            pending.remove(skipped);
            if (pending.isEmpty()) {
                return new Steps(List.of(), null, "skipping " + skipped.agent() + " (step " + skipped.stepId()
                        + ") leaves no step to run");
            }
        }
        if (pending.isEmpty()) {
            return new Steps(List.of(), null, "no steps are left to run after it");
        }
        return new Steps(List.copyOf(pending), skipped, null);
    }

    /** The actions a resume from a checkpoint accepts (its {@code available_actions}), in wire names. */
    public static List<String> available(List<PlanStep> planSteps, Set<String> done, String checkpointStep) {
        List<String> actions = new ArrayList<>();
        for (ResumeAction action : values()) {
            if (action.steps(planSteps, "", done, checkpointStep).refusal() == null) {
                actions.add(action.wireName());
            }
        }
        return actions;
    }

    public static ResumeAction fromWireName(String value) {
        for (ResumeAction a : values()) {
            if (a.wireName().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("action must be one of continue, retry, skip; got '" + value + "'");
    }
}
