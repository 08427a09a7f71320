package com.campaignflow.functions.orchestration;

/**
 * Thrown when a request conflicts with the current state of a campaign: a campaign id or idempotency key reused
 * with a different body, a redrive of an execution that is not redrivable, a skip of a required agent.
 * The API answers 409.
 */
public class CampaignConflictException extends RuntimeException {

    public CampaignConflictException(String message) {
        super(message);
    }
}
