package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerAgentTest {

    private final PlannerAgent planner = new PlannerAgent();

    private AgentOutput plan(CampaignRequest r) {
        return planner.run(Campaigns.input(r, "planner", Map.of()));
    }

    @Test
    void blogBrief_hasAngleKeywordPlanAndH2OutlineFromTheRequest() {
        JsonNode brief = plan(Campaigns.sample()).data();

        assertThat(brief.path("content_type").asText()).isEqualTo("blog_post");
        assertThat(brief.path("angle").asText()).startsWith("How warehouse-native funnels");
        assertThat(brief.path("company").asText()).isEqualTo("Northwind Analytics");
        assertThat(brief.path("keyword_plan").path("primary").asText()).isEqualTo("product analytics");
        assertThat(brief.path("keyword_plan").path("secondary")).hasSize(3);
        assertThat(brief.path("keyword_plan").path("source").asText()).isEqualTo("request_keywords");
        assertThat(brief.path("tone").asText()).isEqualTo("practical");
        assertThat(brief.path("target_words").asInt()).isEqualTo(900);
        assertThat(brief.path("call_to_action").asText()).containsIgnoringCase("sign-ups for the new team tier");
        List<String> headings = new ArrayList<>();
        brief.path("outline").forEach(s -> headings.add(s.path("heading").asText()));
        assertThat(headings).contains("How Session Replay Works in Practice", "Getting Started with Northwind Analytics");
        int words = 0;
        for (JsonNode s : brief.path("outline")) {
            words += s.path("target_words").asInt();
        }
        assertThat(words).isBetween(850, 950);
    }

    @Test
    void outline_dependsOnContentType() {
        JsonNode email = plan(Campaigns.withType(Campaigns.sample(), "email")).data();
        JsonNode social = plan(Campaigns.withType(Campaigns.sample(), "social_media")).data();
        JsonNode press = plan(Campaigns.withType(Campaigns.sample(), "press_release")).data();

        assertThat(email.path("format").path("subject").asText()).isNotBlank().hasSizeLessThanOrEqualTo(60);
        assertThat(email.path("format").path("preheader").asText()).isNotBlank();
        assertThat(social.path("outline")).hasSize(3);
        assertThat(social.path("outline").path(0).path("kind").asText()).isEqualTo("post");
        assertThat(press.path("outline").toString()).contains("About Northwind Analytics");
        assertThat(press.path("format").path("dateline").asText()).isEqualTo("FOR IMMEDIATE RELEASE");
    }

    @Test
    void withoutKeywords_extractsThemFromContextAndScoresLower() {
        CampaignRequest r = Campaigns.sample();
        CampaignRequest noKeywords = new CampaignRequest(r.campaignId(), r.companyContext(), r.targetAudience(),
                r.contentObjective(), r.priority(), r.contentType(), r.strategy(), List.of(), r.agentParameters());

        AgentOutput out = plan(noKeywords);

        assertThat(out.data().path("keyword_plan").path("source").asText()).isEqualTo("extracted_from_context");
        assertThat(out.data().path("keyword_plan").path("primary").asText()).isNotBlank();
        assertThat(out.qualityScore()).isLessThan(plan(r).qualityScore()).isGreaterThan(0);
    }

    @Test
    void sameRequestGivesSameBrief_differentRequestsDifferentBriefs() {
        assertThat(plan(Campaigns.sample()).data()).isEqualTo(plan(Campaigns.sample()).data());
        assertThat(plan(Campaigns.bakery()).data()).isNotEqualTo(plan(Campaigns.sample()).data());
        assertThat(plan(Campaigns.bakery()).data().path("company").asText()).isEqualTo("Crumb & Co");
    }

    @Test
    void quality_isInUnitIntervalAndSummaryIsShort() {
        AgentOutput out = plan(Campaigns.sample());
        assertThat(out.qualityScore()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(out.summary()).hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void missingContextAndObjective_failsNamingTheFields() {
        CampaignRequest empty = new CampaignRequest("c1", " ", "someone", null, "normal", "blog_post", "sequential", List.of(), Map.of());
        assertThatThrownBy(() -> plan(empty)).isInstanceOf(AgentFailedException.class)
                .hasMessageContaining("company_context").hasMessageContaining("content_objective");
    }

    @Test
    void unknownContentType_failsListingTheAcceptedOnes() {
        assertThatThrownBy(() -> plan(Campaigns.withType(Campaigns.sample(), "podcast")))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("podcast").hasMessageContaining("blog_post");
    }
}
