package com.campaignflow.local.sfn.service;

import java.time.Instant;

/**
 * An execution as DescribeExecution reports it, copied at one instant.
 *
 * @param redriveStatus REDRIVABLE or NOT_REDRIVABLE (REDRIVABLE_BY_MAP_RUN applies to Distributed
 *                      Map child executions, which this engine does not run)
 */
public record ExecutionView(String executionArn, String stateMachineArn, String name, String status,
        Instant startDate, Instant stopDate, String input, String output, String error, String cause,
        int redriveCount, Instant redriveDate, String redriveStatus, String redriveStatusReason) {
}
