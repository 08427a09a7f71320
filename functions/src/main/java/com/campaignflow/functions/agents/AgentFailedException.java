package com.campaignflow.functions.agents;

/** Thrown when an agent cannot produce a useful result from its input; the workflow routes to the fallback. */
public class AgentFailedException extends RuntimeException {

    public AgentFailedException(String message) {
        super(message);
    }

    public AgentFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
