package com.campaignflow.functions.domain;

import java.time.Instant;

/**
 * The ServiceHealth record of one agent or dependency (DynamoDB table ServiceHealth).
 *
 * @param serviceName   agent wire name ({@code researcher}) or dependency name ({@code checkpoint_store})
 * @param healthStatus  healthy | degraded | critical | unavailable
 * @param failureCount  consecutive failures seen by the circuit breaker
 * @param lastCheck     when the status was last updated
 * @param recoveryTime  when the breaker will let a probe through again (null while closed)
 * @param version       optimistic-lock version for conditional updates (no lost updates)
 */
public record ServiceHealth(
        String serviceName,
        HealthStatus healthStatus,
        int failureCount,
        Instant lastCheck,
        Instant recoveryTime,
        long version) {
}
