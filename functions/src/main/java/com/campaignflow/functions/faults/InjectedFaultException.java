package com.campaignflow.functions.faults;

/**
 * Thrown when fault injection ({@code CAMPAIGNFLOW_FAULTS}) fails an agent run on purpose. Its class name is the
 * error name Step Functions sees, so a Catch on it (or on States.TaskFailed / States.ALL) routes to the fallback.
 */
public class InjectedFaultException extends RuntimeException {

    public InjectedFaultException(String message) {
        super(message);
    }
}
