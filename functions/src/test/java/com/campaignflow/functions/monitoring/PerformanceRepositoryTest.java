package com.campaignflow.functions.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PerformanceRepositoryTest {

    @Test
    void forCampaign_returnsThatCampaignsRunsInTimeOrder() {
        PerformanceRepository repository = new PerformanceRepository(new InMemoryDocumentTable());
        AgentPerformance writer = new AgentPerformance("exec-1", "writer", "writer", 120, true, "wf-a/checkpoint_003",
                0.74, 4096, Instant.parse("2026-11-26T01:00:03Z"));
        AgentPerformance planner = new AgentPerformance("exec-1", "planner", "planner", 5, true, "wf-a/checkpoint_001",
                0.9, 900, Instant.parse("2026-11-26T01:00:01Z"));
        AgentPerformance failed = new AgentPerformance("exec-1", "seo", "seo", 7, false, null, 0, 0,
                Instant.parse("2026-11-26T01:00:05Z"));
        repository.record("camp-1", writer);
        repository.record("camp-1", planner);
        repository.record("camp-1", failed);
        repository.record("camp-2", planner);

        assertThat(repository.forCampaign("camp-1")).containsExactly(planner, writer, failed);
    }
}
