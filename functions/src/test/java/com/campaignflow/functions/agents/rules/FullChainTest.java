package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.AgentName;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FullChainTest {

    @Test
    void sampleEvent_runsPlannerToDistributionWithMeasuredQualities() {
        Chain chain = Chain.sequential(Campaigns.sample());

        assertThat(chain.results).containsOnlyKeys("planner", "researcher", "writer", "editor", "seo", "distribution");
        for (Map.Entry<String, AgentOutput> e : chain.results.entrySet()) {
            assertThat(e.getValue().qualityScore()).as(e.getKey()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(e.getValue().summary()).as(e.getKey()).isNotBlank().hasSizeLessThanOrEqualTo(200);
        }
        assertThat(chain.data("distribution").path("title").asText()).isEqualTo(chain.data("seo").path("title").path("text").asText());
        assertThat(chain.data("editor").path("article").path("word_count").asInt()).isBetween(700, 1100);
    }

    @Test
    void sameEventTwice_givesIdenticalOutputs() {
        assertThat(Chain.sequential(Campaigns.sample()).outputs).isEqualTo(Chain.sequential(Campaigns.sample()).outputs);
    }

    @Test
    void degradedPath_basicResearchAndBasicQaStillProduceADistributionPlan() {
        Chain chain = new Chain(Campaigns.sample()).run("planner")
                .run("researcher", "basic_research", Map.of())
                .run("writer")
                .run("editor", "basic_qa", Map.of())
                .run("seo", "basic_qa", Map.of())
                .run("distribution");
        Chain full = Chain.sequential(Campaigns.sample());

        assertThat(chain.data("writer").path("research_degraded").asBoolean()).isTrue();
        assertThat(chain.data("distribution").path("posts")).isNotEmpty();
        assertThat(chain.quality("researcher")).isLessThan(full.quality("researcher"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blog_post", "social_media", "email", "landing_page", "press_release"})
    void everyContentType_runsTheWholeChain(String contentType) {
        Chain chain = Chain.sequential(Campaigns.withType(Campaigns.bakery(), contentType));
        chain.results.values().forEach(r -> assertThat(r.qualityScore()).isGreaterThan(0).isLessThanOrEqualTo(1));
        chain.data("distribution").path("posts").forEach(p ->
                assertThat(p.path("text").asText().length()).isLessThanOrEqualTo(p.path("max_chars").asInt()));
    }

    @Test
    void chain_runsInWellUnderASecondOnceWarm() {
        Chain.sequential(Campaigns.sample());
        long start = System.nanoTime();
        Chain.sequential(Campaigns.sample());
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }

    @Test
    void catalog_servesEveryAgentOfTheDomainByWireName() {
        RuleBasedAgents agents = new RuleBasedAgents();
        assertThat(agents.names()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AgentName.values()).map(AgentName::wireName).toList());
        agents.names().forEach(n -> assertThat(agents.agent(n).name()).isEqualTo(n));
        assertThatThrownBy(() -> agents.agent("poet")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poet");
    }
}
