package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.CampaignRequest;
import java.util.Arrays;
import java.util.List;
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
    void companyNamedAfterAnOpening_andADotKeyword_readCorrectlyFromDraftToPosts() {
        CampaignRequest r = new CampaignRequest("camp-ledgerly", "The company behind Ledgerly helps accountants move "
                + "legacy .NET Framework apps to the cloud. Its new release adds automated VAT returns.",
                "Accounting firms with in-house developers", "Explain how a .NET migration lowers hosting costs",
                "normal", "press_release", "sequential", List.of(".NET migration", "hosting costs"),
                Map.of("writer", Map.of("tone", "friendly")));
        Chain chain = Chain.sequential(r);

        String text = chain.outputs.values().toString();
        assertThat(chain.data("planner").path("company").asText()).isEqualTo("Ledgerly");
        assertThat(text).contains("said the Ledgerly team", "legacy .NET Framework", "a .NET migration")
                .doesNotContainPattern("\\p{L}\\.NET").doesNotContain("the the ", "The Company", "Good news:");
        assertThat(chain.data("distribution").path("posts").findValuesAsText("preheader"))
                .allSatisfy(p -> assertThat(p).matches(".*[.!?…]$"));
    }

    @Test
    void companyAfterAPreposition_andANamedAudience_areWrittenAsNames() {
        CampaignRequest r = new CampaignRequest("camp-acme", "At Acme Commerce, we help Shopify merchants automate "
                + "returns. Refunds go out the day a parcel is scanned.", "Shopify merchants with more than 1,000 orders a month",
                "Explain how automated returns reduce support tickets", "normal", "blog_post", "sequential",
                List.of("automated returns"), Map.of());
        Chain chain = Chain.sequential(r);

        String text = chain.outputs.values().toString();
        assertThat(chain.data("planner").path("company").asText()).isEqualTo("Acme Commerce");
        assertThat(text).contains("This piece is for Shopify merchants", "Getting Started with Acme Commerce")
                .doesNotContain("for shopify merchants", "At Acme Commerce treats", "with at Acme");
        assertThat(chain.data("researcher").path("entities").toString()).contains("\"Acme Commerce\"", "\"Shopify\"");
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
