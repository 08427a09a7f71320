package com.campaignflow.local.sfn.service;

import java.time.Instant;

/**
 * A state machine as DescribeStateMachine reports it; a new record per update (revision). {@code logging} and
 * {@code tracing} are the loggingConfiguration and tracingConfiguration as compact JSON, in the form
 * {@link LocalStepFunctions} normalises them to (the engine keeps them; it sends no logs or traces anywhere).
 */
public record StateMachineRecord(String arn, String name, String definition, String roleArn, String type,
        Instant creationDate, Instant updateDate, String revisionId, String logging, String tracing) {

    public static final String LOGGING_OFF = "{\"level\":\"OFF\",\"includeExecutionData\":false}";
    public static final String TRACING_OFF = "{\"enabled\":false}";

    public StateMachineRecord {
        logging = logging == null ? LOGGING_OFF : logging;
        tracing = tracing == null ? TRACING_OFF : tracing;
    }

    /** Logging off, tracing off. */
    public StateMachineRecord(String arn, String name, String definition, String roleArn, String type,
            Instant creationDate, Instant updateDate, String revisionId) {
        this(arn, name, definition, roleArn, type, creationDate, updateDate, revisionId, null, null);
    }

    /** When this revision came into being: the last update, else the creation. */
    public Instant revisionDate() {
        return updateDate != null ? updateDate : creationDate;
    }
}
