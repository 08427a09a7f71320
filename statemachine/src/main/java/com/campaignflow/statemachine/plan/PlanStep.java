package com.campaignflow.statemachine.plan;

import java.util.List;
import java.util.Map;

/**
 * One agent run in an {@link ExecutionPlan}.
 *
 * @param stepId       unique within the plan, used as the state name and checkpoint phase (e.g. {@code researcher_a})
 * @param agent        the agent that runs it, one of {@code planner, researcher, writer, editor, seo, distribution,
 *                     basic_research, basic_qa}; also names the Lambda function that runs it
 * @param dependsOn    step ids that must have completed before this one starts
 * @param fallback     the agent that replaces this one when it fails (null: no fallback, the failure fails the campaign)
 * @param required     whether the campaign cannot complete without this step (or its fallback)
 * @param parallelGroup steps sharing a non-null group run side by side in one Parallel state
 * @param parameters   agent parameters from the request (small values only: they travel in the state payload)
 * @param replaces     the primary agent this step stands in for when the planner replaced it up front (its circuit
 *                     was open at planning time), e.g. {@code editor} for a {@code basic_qa} step; null otherwise
 */
public record PlanStep(
        String stepId,
        String agent,
        List<String> dependsOn,
        String fallback,
        boolean required,
        String parallelGroup,
        Map<String, Object> parameters,
        String replaces) {

    public PlanStep {
        dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** A step that runs its own agent (not an up-front replacement). */
    public PlanStep(String stepId, String agent, List<String> dependsOn, String fallback, boolean required,
                    String parallelGroup, Map<String, Object> parameters) {
        this(stepId, agent, dependsOn, fallback, required, parallelGroup, parameters, null);
    }
}
