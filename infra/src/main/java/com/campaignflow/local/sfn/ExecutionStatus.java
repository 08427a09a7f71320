package com.campaignflow.local.sfn;

/** Final status of an execution, as DescribeExecution reports it. */
public enum ExecutionStatus {
    SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
