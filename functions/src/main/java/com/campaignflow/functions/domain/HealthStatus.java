package com.campaignflow.functions.domain;

import java.util.Locale;

/** Health of one agent or service, driven by its circuit breaker. Ordered from best to worst. */
public enum HealthStatus {
    HEALTHY, DEGRADED, CRITICAL, UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HealthStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
