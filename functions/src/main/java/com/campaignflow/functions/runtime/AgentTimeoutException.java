package com.campaignflow.functions.runtime;

/**
 * Thrown when an agent is still running as its function's time runs out. The runtime stops waiting for it shortly
 * before the function would be killed, so the failure is recorded (health, performance, degradation, an
 * error_recovery checkpoint) and the workflow's Catch sees an ordinary failure; a killed function records nothing.
 */
public class AgentTimeoutException extends RuntimeException {

    public AgentTimeoutException(String message) {
        super(message);
    }
}
