package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResearcherAgentTest {

    private final ResearcherAgent researcher = new ResearcherAgent();

    private AgentOutput research(CampaignRequest r, Map<String, Object> params) {
        return researcher.run(new com.campaignflow.functions.agents.AgentInput(r, "researcher", params, Map.of()));
    }

    @Test
    void notes_attributeEveryInsightToAnInputSentence() {
        JsonNode notes = research(Campaigns.sample(), Map.of()).data();

        Set<String> sourceIds = new HashSet<>();
        notes.path("sources").forEach(s -> {
            sourceIds.add(s.path("id").asText());
            assertThat(s.path("kind").asText()).isIn("company_context", "target_audience", "content_objective");
            assertThat(s.path("excerpt").asText()).isNotBlank().hasSizeLessThanOrEqualTo(160);
        });
        assertThat(sourceIds).contains("company_context#1", "company_context#2", "target_audience#1");
        assertThat(notes.path("insights")).isNotEmpty();
        notes.path("insights").forEach(i -> assertThat(sourceIds).contains(i.path("source_id").asText()));
        assertThat(notes.path("degraded").asBoolean()).isFalse();
    }

    @Test
    void notes_extractTermsEntitiesPainPointsGoalsAndQuestions() {
        JsonNode notes = research(Campaigns.sample(), Map.of()).data();

        assertThat(notes.path("key_terms").toString()).contains("warehouse-native funnels").doesNotContain("\"the\"");
        assertThat(notes.path("entities").toString()).contains("Northwind Analytics", "SaaS");
        assertThat(notes.path("audience").path("pain_points").toString())
                .contains("replacing a legacy analytics tool", "sending raw user data to third parties");
        assertThat(notes.path("audience").path("goals").toString()).contains("trustworthy insights");
        assertThat(notes.path("questions")).hasSize(3);
    }

    @Test
    void entities_keepAccentedLettersWhole_andLeaveOutAnOpeningPreposition() {
        CampaignRequest r = new CampaignRequest("camp-cafe", "At Café Müller in Zürich, we bake sourdough for offices.",
                "Office managers", "Explain office breakfast", "normal", "blog_post", "sequential", List.of(), Map.of());

        JsonNode entities = research(r, Map.of()).data().path("entities");

        assertThat(entities.toString()).contains("\"Café Müller\"", "\"Zürich\"").doesNotContain("\"Caf\"", "\"M\"", "At Café");
    }

    @Test
    void focusVariants_produceDifferentNotes() {
        CampaignRequest r = Campaigns.sample();
        JsonNode market = research(r, Map.of("focus", "market")).data();
        JsonNode audience = research(r, Map.of("focus", "audience")).data();
        JsonNode competitors = research(r, Map.of("focus", "competitors")).data();

        assertThat(Set.of(market, audience, competitors)).hasSize(3);
        assertThat(audience.path("insights").path(0).path("facet").asText()).isEqualTo("audience");
        assertThat(market.path("insights").path(0).path("facet").asText()).isEqualTo("market");
        assertThat(competitors.path("questions").toString()).contains("legacy tools");
        assertThat(market.path("focus").asText()).isEqualTo("market");
    }

    @Test
    void unknownFocus_failsNamingTheAcceptedValues() {
        assertThatThrownBy(() -> research(Campaigns.sample(), Map.of("focus", "weather")))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("weather").hasMessageContaining("competitors");
    }

    @Test
    void deterministic_andDependsOnInput() {
        assertThat(research(Campaigns.sample(), Map.of()).data()).isEqualTo(research(Campaigns.sample(), Map.of()).data());
        assertThat(research(Campaigns.bakery(), Map.of()).data().toString()).contains("Crumb & Co", "late deliveries")
                .doesNotContain("Northwind");
    }

    @Test
    void quality_fallsWithThinnerInput() {
        CampaignRequest thin = new CampaignRequest("c-thin", "Acme sells tools.", null, null, "normal", "blog_post",
                "sequential", List.of("tools"), Map.of());
        double rich = research(Campaigns.sample(), Map.of()).qualityScore();
        double poor = research(thin, Map.of()).qualityScore();
        assertThat(rich).isLessThanOrEqualTo(1).isGreaterThan(poor);
        assertThat(poor).isGreaterThan(0);
    }

    @Test
    void basicResearch_isDegradedShorterAndScoresLowerThanFullResearch() {
        AgentOutput full = research(Campaigns.sample(), Map.of());
        AgentOutput basic = new BasicResearchAgent().run(Campaigns.input(Campaigns.sample(), "researcher", Map.of()));

        assertThat(basic.data().path("degraded").asBoolean()).isTrue();
        assertThat(basic.data().path("key_terms").size()).isLessThanOrEqualTo(5).isPositive();
        assertThat(basic.data().path("objective").asText()).startsWith("Explain how warehouse-native funnels");
        assertThat(basic.data().path("audience").path("description").asText()).startsWith("Heads of product");
        assertThat(basic.data().toString().length()).isLessThan(full.data().toString().length());
        assertThat(basic.qualityScore()).isGreaterThan(0).isLessThan(full.qualityScore());
    }

    @Test
    void basicResearch_keepsTheObjectivesMessageAsTheGoal_notItsInstructionOrSalesTarget() {
        CampaignRequest r = new CampaignRequest("camp-tier", Campaigns.sample().companyContext(), Campaigns.sample().targetAudience(),
                "Explain how on-device redaction keeps raw user data private. Drive sign-ups for the new team tier.",
                "normal", "blog_post", "sequential", List.of("session replay"), Map.of());

        JsonNode goals = new BasicResearchAgent().run(Campaigns.input(r, "researcher", Map.of())).data().path("audience").path("goals");

        assertThat(goals).hasSize(1);
        assertThat(goals.get(0).path("text").asText()).isEqualTo("how on-device redaction keeps raw user data private");
    }
}
