package com.campaignflow.functions.planning;

import static com.campaignflow.functions.domain.HealthStatus.CRITICAL;
import static com.campaignflow.functions.domain.HealthStatus.DEGRADED;
import static com.campaignflow.functions.domain.HealthStatus.HEALTHY;
import static com.campaignflow.functions.domain.HealthStatus.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.DegradationLevel;
import com.campaignflow.functions.health.CircuitBreaker;
import org.junit.jupiter.api.Test;

class DegradationAssessorTest {

    private final DegradationAssessor assessor = new DegradationAssessor(Health.CLOCK);

    private DegradationLevel assess(Health health) {
        return assessor.assess(health.map());
    }

    @Test
    void noRecordsOrAllHealthy_isNone() {
        assertThat(assess(Health.allHealthy())).isEqualTo(DegradationLevel.NONE);
        assertThat(assess(Health.allHealthy().with("writer", HEALTHY).with("seo", HEALTHY)))
                .isEqualTo(DegradationLevel.NONE);
    }

    @Test
    void degradedOrCriticalAgentsThatStillRun_areMinimal() {
        assertThat(assess(Health.allHealthy().with("seo", DEGRADED))).isEqualTo(DegradationLevel.MINIMAL);
        assertThat(assess(Health.allHealthy().with("researcher", CRITICAL).with("writer", DEGRADED)))
                .isEqualTo(DegradationLevel.MINIMAL);
    }

    @Test
    void oneUnavailableAgentCoveredByItsFallback_isModerate() {
        assertThat(assess(Health.allHealthy().with("editor", UNAVAILABLE))).isEqualTo(DegradationLevel.MODERATE);
        assertThat(assess(Health.allHealthy().with("distribution", UNAVAILABLE))).isEqualTo(DegradationLevel.MODERATE);
    }

    @Test
    void criticalIndispensableAgent_isModerate() {
        assertThat(assess(Health.allHealthy().with("writer", CRITICAL))).isEqualTo(DegradationLevel.MODERATE);
    }

    @Test
    void unavailableAgentWithAShakyFallback_isSevere() {
        assertThat(assess(Health.allHealthy().with("researcher", UNAVAILABLE).with("basic_research", DEGRADED)))
                .isEqualTo(DegradationLevel.SEVERE);
    }

    @Test
    void aFailingFallback_countsOnlyWhileAnAgentItStandsInForIsNotHealthy() {
        // no plan runs basic_qa while the editor and seo are healthy: nothing a campaign does is degraded
        assertThat(assess(Health.allHealthy().with("basic_qa", DEGRADED))).isEqualTo(DegradationLevel.NONE);
        assertThat(assess(Health.allHealthy().with("basic_qa", UNAVAILABLE).with("basic_research", UNAVAILABLE)))
                .isEqualTo(DegradationLevel.NONE);
        // a shaky seo may hand over to it
        assertThat(assess(Health.allHealthy().with("seo", DEGRADED).with("basic_qa", UNAVAILABLE)))
                .isEqualTo(DegradationLevel.MODERATE);
    }

    @Test
    void twoUnavailableAgents_areSevere() {
        assertThat(assess(Health.allHealthy().with("editor", UNAVAILABLE).with("seo", UNAVAILABLE)))
                .isEqualTo(DegradationLevel.SEVERE);
    }

    @Test
    void unavailablePlannerOrWriter_isEmergency() {
        assertThat(assess(Health.allHealthy().with("writer", UNAVAILABLE))).isEqualTo(DegradationLevel.EMERGENCY);
        assertThat(assess(Health.allHealthy().with("planner", UNAVAILABLE).with("seo", DEGRADED)))
                .isEqualTo(DegradationLevel.EMERGENCY);
    }

    @Test
    void openBreakerPastItsRecoveryTime_countsAsCriticalNotUnavailable() {
        Health halfOpen = Health.allHealthy().with("writer", UNAVAILABLE, Health.NOW.minusSeconds(1));

        assertThat(assessor.status(halfOpen.map(), AgentName.WRITER)).isEqualTo(CRITICAL);
        assertThat(assess(halfOpen)).isEqualTo(DegradationLevel.MODERATE);
    }

    @Test
    void openBreakerWithoutARecoveryTime_isDueItsProbe_asTheBreakerSaysToo() {
        // a record stored without recovery_time: refusing campaigns until a health check ran would never end in `run`
        Health noRecoveryTime = Health.allHealthy().with("writer", UNAVAILABLE, null);

        assertThat(assessor.status(noRecoveryTime.map(), AgentName.WRITER)).isEqualTo(CRITICAL);
        assertThat(CircuitBreaker.standard().state(noRecoveryTime.map().get("writer"), Health.NOW))
                .isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void recordsOfServicesThatAreNotAgents_areIgnored_butAnUnavailableCheckpointStoreIsAnEmergency() {
        assertThat(assess(Health.allHealthy().with("checkpoint_store", DEGRADED))).isEqualTo(DegradationLevel.NONE);
        assertThat(assess(Health.allHealthy().with("campaigns_table", UNAVAILABLE))).isEqualTo(DegradationLevel.NONE);
        assertThat(assess(Health.allHealthy().with("checkpoint_store", UNAVAILABLE)))
                .isEqualTo(DegradationLevel.EMERGENCY);
        assertThat(assess(Health.allHealthy().with("checkpoint_store", UNAVAILABLE, Health.NOW.minusSeconds(1))))
                .as("half-open: the next checkpoint is the probe").isEqualTo(DegradationLevel.NONE);
    }
}
