package com.campaignflow.functions.runtime;

/**
 * Thrown instead of running an agent whose circuit is open (its recovery time has not come): the workflow's Catch
 * routes straight to the fallback without waiting for the agent to fail again.
 */
public class CircuitOpenException extends RuntimeException {

    public CircuitOpenException(String message) {
        super(message);
    }
}
