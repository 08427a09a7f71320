package com.campaignflow.functions.campaigns;

/** Thrown when a campaign id (or a workflow or checkpoint id naming one) names no stored campaign of the caller. */
public class CampaignNotFoundException extends RuntimeException {

    public CampaignNotFoundException(String campaignId) {
        super("campaign not found: " + campaignId);
    }

    private CampaignNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No campaign of the caller runs as this workflow. */
    public static CampaignNotFoundException ofWorkflow(String workflowId) {
        return new CampaignNotFoundException("no campaign has workflow " + workflowId, null);
    }

    /** The checkpoint's workflow belongs to a campaign, but the checkpoint names another one. */
    public static CampaignNotFoundException ofCheckpoint(String checkpointId) {
        return new CampaignNotFoundException("no campaign has checkpoint " + checkpointId, null);
    }

    /** The campaign exists but has not started an execution yet. */
    public static CampaignNotFoundException notStarted(String campaignId) {
        return new CampaignNotFoundException("campaign " + campaignId + " has no execution yet", null);
    }
}
