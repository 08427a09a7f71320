package com.campaignflow.functions.health;

import java.time.Instant;

/**
 * One degradation during a campaign: a step's agent was replaced by its fallback, or an optional step was skipped.
 *
 * @param agent      the agent that failed (wire name)
 * @param replacedBy the fallback that ran instead; {@link #SKIPPED} when nothing did (the step was left out),
 *                   {@link #NOT_REPLACED} when the fallback failed on a required step
 * @param reason     why (error name and cause from the Catch)
 */
public record DegradationEvent(String campaignId, String workflowId, String stepId, String agent, String replacedBy,
                               String reason, Instant at) {

    /** {@code replaced_by} of an optional step that failed with no fallback left, or that a resume skipped. */
    public static final String SKIPPED = "none (step skipped)";
    /** {@code replaced_by} of a required step whose fallback failed too: nothing replaced the agent. */
    public static final String NOT_REPLACED = "none (fallback failed too)";
}
