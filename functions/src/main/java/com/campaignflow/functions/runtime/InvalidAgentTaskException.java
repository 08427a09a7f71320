package com.campaignflow.functions.runtime;

/** Thrown when an agent event is malformed: a missing or invalid id, an unknown agent, an unreadable field. */
public class InvalidAgentTaskException extends IllegalArgumentException {

    public InvalidAgentTaskException(String message) {
        super(message);
    }

    public InvalidAgentTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
