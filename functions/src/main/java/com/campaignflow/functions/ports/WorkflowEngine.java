package com.campaignflow.functions.ports;

import java.time.Instant;
import java.util.Optional;

/**
 * Starts and inspects Step Functions executions: {@code SfnClient} on AWS (and against the local engine's
 * Step Functions endpoint), the embedded engine in-process locally.
 */
public interface WorkflowEngine {

    /** Execution status names as Step Functions reports them. */
    enum Status { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE }

    record Execution(
            String executionArn,
            String name,
            Status status,
            String input,
            String output,
            String error,
            String cause,
            Instant startDate,
            Instant stopDate,
            int redriveCount) {
    }

    /** Creates the state machine, or reuses it when one of that name exists with the same definition; returns its ARN. */
    String ensureStateMachine(String name, String definitionJson);

    /** Starts an execution named {@code name}; returns its ARN. Same name and input twice is the same execution. */
    String startExecution(String stateMachineArn, String name, String inputJson);

    /** The ARN Step Functions gives the execution {@code name} of that state machine (a standard workflow). */
    default String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    }

    Optional<Execution> describeExecution(String executionArn);

    /** Redrives a FAILED, TIMED_OUT or ABORTED execution from its unsuccessful state. */
    void redriveExecution(String executionArn);

    void stopExecution(String executionArn, String error, String cause);
}
