package com.campaignflow.functions.domain;

/**
 * A progress update pushed to WebSocket subscribers of a campaign. Serialised with snake_case names:
 * {@code {"type":"agent_progress","campaign_id","current_agent","progress","checkpoint_created",
 * "degradation_level","message","sequence"}}.
 *
 * @param sequence per-campaign, strictly increasing; lets a reconnecting client ask for what it missed
 */
public record ProgressMessage(
        String type,
        String campaignId,
        String currentAgent,
        int progress,
        boolean checkpointCreated,
        String degradationLevel,
        String message,
        long sequence) {

    public static final String AGENT_PROGRESS = "agent_progress";
}
