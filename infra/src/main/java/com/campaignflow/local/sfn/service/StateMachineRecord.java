package com.campaignflow.local.sfn.service;

import java.time.Instant;

/** A state machine as DescribeStateMachine reports it; a new record per update (revision). */
public record StateMachineRecord(String arn, String name, String definition, String roleArn, String type,
        Instant creationDate, Instant updateDate, String revisionId) {

    /** When this revision came into being: the last update, else the creation. */
    public Instant revisionDate() {
        return updateDate != null ? updateDate : creationDate;
    }
}
