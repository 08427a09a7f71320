package com.campaignflow.functions.planning;

import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.DegradationLevel;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.functions.domain.ServiceHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Turns the agents' health records into the system degradation level, before planning and for
 * {@code GET /system/degradation-status}. The worst of these rules wins:
 * <ul>
 *   <li>{@code emergency}: an indispensable agent (planner, writer: required without fallback in every content type)
 *       is unavailable; campaigns are refused;</li>
 *   <li>{@code severe}: two or more agents are unavailable, or an agent is unavailable and its fallback is not
 *       healthy (the degraded path itself is at risk);</li>
 *   <li>{@code moderate}: one other agent is unavailable (its fallback runs or, if it is optional without one, it is
 *       skipped), or an indispensable agent is critical (likely to fail with nothing to fall back on);</li>
 *   <li>{@code minimal}: some agent is degraded or critical but still runs, with its fallback behind it;</li>
 *   <li>{@code none}: every agent is healthy.</li>
 * </ul>
 * A fallback (basic_research, basic_qa) counts only while an agent it stands in for is not healthy: otherwise no plan
 * runs it, and a campaign would read as degraded with nothing degraded in it.
 * Besides, {@code emergency} while the checkpoint store is unavailable: every agent step ends with a checkpoint.
 * An absent record means healthy. An {@code unavailable} record whose recovery time has passed counts as
 * {@code critical}: the circuit breaker is half-open and lets the next call through as a probe. Records of the
 * other services that are not agents (the tables) are ignored here.
 */
public final class DegradationAssessor {

    private static final Map<AgentName, AgentName> FALLBACKS = MinimalViableWorkflow.fallbacksInAnyWorkflow();
    private static final List<AgentName> INDISPENSABLE = MinimalViableWorkflow.indispensableAgents();

    private final Clock clock;

    public DegradationAssessor(Clock clock) {
        this.clock = clock;
    }

    public DegradationAssessor() {
        this(Clock.systemUTC());
    }

    public Clock clock() {
        return clock;
    }

    public DegradationLevel assess(Map<String, ServiceHealth> health) {
        Instant now = clock.instant();
        DegradationLevel level = DegradationLevel.NONE;
        int unavailable = 0;
        for (AgentName agent : AgentName.values()) {
            if (FALLBACKS.containsValue(agent) && !backsAnUnhealthyAgent(health, agent, now)) {
                continue; // a fallback whose agents are healthy runs in no plan: its own failures degrade nothing now
            }
            HealthStatus status = status(health, agent, now);
            boolean indispensable = INDISPENSABLE.contains(agent);
            DegradationLevel agentLevel = switch (status) {
                case HEALTHY -> DegradationLevel.NONE;
                case DEGRADED -> DegradationLevel.MINIMAL;
                case CRITICAL -> indispensable ? DegradationLevel.MODERATE : DegradationLevel.MINIMAL;
                case UNAVAILABLE -> indispensable ? DegradationLevel.EMERGENCY : DegradationLevel.MODERATE;
            };
            if (status == HealthStatus.UNAVAILABLE) {
                unavailable++;
                AgentName fallback = FALLBACKS.get(agent);
                if (fallback != null && status(health, fallback, now) != HealthStatus.HEALTHY) {
                    agentLevel = max(agentLevel, DegradationLevel.SEVERE);
                }
            }
            level = max(level, agentLevel);
        }
        if (unavailable >= 2) {
            level = max(level, DegradationLevel.SEVERE);
        }
        if (status(health, HealthService.CHECKPOINT_STORE, now) == HealthStatus.UNAVAILABLE) {
            level = DegradationLevel.EMERGENCY;
        }
        return level;
    }

    private static boolean backsAnUnhealthyAgent(Map<String, ServiceHealth> health, AgentName fallback, Instant now) {
        return FALLBACKS.entrySet().stream().anyMatch(e -> e.getValue() == fallback
                && status(health, e.getKey(), now) != HealthStatus.HEALTHY);
    }

    /** The agent's status as the planner should treat it now (absent = healthy; open breaker past recovery = critical). */
    public HealthStatus status(Map<String, ServiceHealth> health, AgentName agent) {
        return status(health, agent, clock.instant());
    }

    /**
     * Whether the checkpoint store's circuit is open now: every agent step ends with a checkpoint, so while it is
     * open no campaign can run.
     */
    public boolean checkpointStoreUnavailable(Map<String, ServiceHealth> health) {
        return status(health, HealthService.CHECKPOINT_STORE, clock.instant()) == HealthStatus.UNAVAILABLE;
    }

    private static HealthStatus status(Map<String, ServiceHealth> health, AgentName agent, Instant now) {
        return status(health, agent.wireName(), now);
    }

    private static HealthStatus status(Map<String, ServiceHealth> health, String service, Instant now) {
        ServiceHealth record = health.get(service);
        if (record == null || record.healthStatus() == null) {
            return HealthStatus.HEALTHY;
        }
        // as CircuitBreaker.state: an open circuit without a recovery time is due its probe
        if (record.healthStatus() == HealthStatus.UNAVAILABLE
                && (record.recoveryTime() == null || !record.recoveryTime().isAfter(now))) {
            return HealthStatus.CRITICAL;
        }
        return record.healthStatus();
    }

    /**
     * A service's status as planning counts it now: an open circuit whose recovery time has passed (half-open) is
     * critical, not unavailable.
     */
    public HealthStatus effectiveStatus(ServiceHealth record) {
        return status(Map.of(record.serviceName(), record), record.serviceName(), clock.instant());
    }

    private static DegradationLevel max(DegradationLevel a, DegradationLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
