package com.campaignflow.functions.health;

import java.time.Instant;

/**
 * One degradation during a campaign: a step's agent was replaced by its fallback.
 *
 * @param agent      the agent that failed (wire name)
 * @param replacedBy the fallback that ran instead
 * @param reason     why (error name and cause from the Catch)
 */
public record DegradationEvent(String campaignId, String workflowId, String stepId, String agent, String replacedBy,
                               String reason, Instant at) {
}
