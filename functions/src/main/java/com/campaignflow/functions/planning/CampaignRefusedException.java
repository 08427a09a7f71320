package com.campaignflow.functions.planning;

import java.util.List;

/**
 * Thrown when a campaign cannot be planned because a required agent and its fallback (if any) are unavailable: the
 * campaign is refused up front rather than started to fail. The API maps it to 503 with {@code Retry-After}.
 */
public class CampaignRefusedException extends RuntimeException {

    private final long retryAfterSeconds;
    private final List<String> unavailableAgents;

    public CampaignRefusedException(String reason, long retryAfterSeconds, List<String> unavailableAgents) {
        super(reason);
        this.retryAfterSeconds = retryAfterSeconds;
        this.unavailableAgents = List.copyOf(unavailableAgents);
    }

    /** What the user is told: which agents are unavailable and why the campaign cannot run without them. */
    public String reason() {
        return getMessage();
    }

    /** Seconds until the blocking agents' circuit breakers let a probe through again (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The agents (wire names) whose unavailability blocks the campaign. */
    public List<String> unavailableAgents() {
        return unavailableAgents;
    }
}
