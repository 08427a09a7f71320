package com.campaignflow.functions.planning;

import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Health snapshots for planning tests, at a fixed instant. */
final class Health {

    static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Map<String, ServiceHealth> records = new HashMap<>();

    static Health allHealthy() {
        return new Health();
    }

    Health with(String agent, HealthStatus status) {
        return with(agent, status, status == HealthStatus.UNAVAILABLE ? NOW.plusSeconds(90) : null);
    }

    Health with(String agent, HealthStatus status, Instant recoveryTime) {
        records.put(agent, new ServiceHealth(agent, status, status == HealthStatus.HEALTHY ? 0 : 5, NOW, recoveryTime, 1));
        return this;
    }

    Map<String, ServiceHealth> map() {
        return Map.copyOf(records);
    }
}
