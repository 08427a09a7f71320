package com.campaignflow.functions.campaigns;

/** Thrown when a campaign id names no stored campaign. */
public class CampaignNotFoundException extends RuntimeException {

    public CampaignNotFoundException(String campaignId) {
        super("campaign not found: " + campaignId);
    }
}
