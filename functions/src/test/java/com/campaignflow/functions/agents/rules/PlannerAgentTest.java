package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
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
    void aGoalAfterTheMessage_isSplitOff_asTheCallToAction() {
        JsonNode brief = plan(objective("Show practice managers how automated reminders reduce no-shows and get 30 clinics"
                + " to start a free trial")).data();

        assertThat(brief.path("angle").asText()).isEqualTo("How automated reminders reduce no-shows");
        assertThat(brief.path("call_to_action").asText()).isEqualTo("Get 30 clinics to start a free trial");
    }

    @Test
    void objectiveWithAReaderVerb_keepsTheMessageNotTheObjectOfTheVerb() {
        assertThat(plan(objective("Convince skeptical CFOs that rolling forecasts pay off")).data().path("angle").asText())
                .isEqualTo("Rolling forecasts pay off");
        // with no message after it, a reader verb states the marketer's goal: the brief's call to action, not its angle
        for (String goal : List.of("Convince skeptical CFOs to adopt rolling forecasts",
                "Persuade skeptical CFOs to adopt rolling forecasts", "Sell socks", "Recruit 50 new weekend volunteers",
                "Get 30 clinics to start a free trial")) {
            JsonNode brief = plan(objective(goal)).data();
            assertThat(brief.path("angle").asText()).as(goal).doesNotStartWith(goal.split(" ")[0]).startsWith("What ");
            assertThat(brief.path("call_to_action").asText()).as(goal).isEqualTo(goal);
        }
        assertThat(plan(objective("Announce the new forecasting tier")).data().path("angle").asText())
                .isEqualTo("The new forecasting tier");
        assertThat(plan(objective("Describe the product so that teams trust it")).data().path("angle").asText())
                .isEqualTo("The product so that teams trust it");
    }

    @Test
    void keywordsWrittenWithCapitals_keepThemInHeadings() {
        CampaignRequest r = Campaigns.sample();
        CampaignRequest caps = new CampaignRequest(r.campaignId(), "Shopco builds compliance tools for online stores.",
                "Store owners", "Show store owners how to stay compliant", "normal", "blog_post", "sequential",
                List.of("GDPR compliance", "Shopify Plus", "AI"), Map.of());

        JsonNode brief = plan(caps).data();

        assertThat(brief.path("keyword_plan").path("primary").asText()).isEqualTo("GDPR compliance");
        assertThat(brief.path("outline").toString()).contains("Why GDPR Compliance Matters Now",
                "How Shopify Plus Works in Practice", "What AI Changes for Your Team");
        assertThat(WriterAgent.title(CampaignFacts.of(caps), brief)).isEqualTo("GDPR Compliance for Store Owners");
    }

    private static CampaignRequest objective(String objective) {
        return new CampaignRequest("camp-cfo", "Ledgerly builds forecasting tools for finance teams.", "CFOs at mid-sized firms",
                objective, "normal", "blog_post", "sequential", List.of("rolling forecasts"), Map.of());
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

    @Test
    void emailSubject_isAWholePhrase_neverTheAngleCutShort() {
        String subject = PlannerAgent.subjectLine("Product Analytics",
                "How warehouse-native funnels and on-device redaction let small product teams ship faster", "heads of product");

        assertThat(subject).isEqualTo("Product Analytics for heads of product");
        assertThat(PlannerAgent.subjectLine("Product Analytics", "Ship faster with warehouse-native funnels", "teams"))
                .isEqualTo("Product Analytics: Ship faster with warehouse-native funnels");
        assertThat(PlannerAgent.subjectLine("Warehouse-Native Funnels for Privacy-First Teams",
                "Ship faster with warehouse-native funnels today", "teams")).isEqualTo("Ship faster with warehouse-native funnels today");
        assertThat(PlannerAgent.subjectLine("Product Analytics", "x".repeat(70), "heads of product at mid-sized B2B SaaS firms"))
                .isEqualTo("Product Analytics");
    }

    @Test
    void emailPreheader_speaksToTheReaderInsteadOfRepeatingTheMarketersInstruction() {
        JsonNode email = plan(Campaigns.withType(Campaigns.sample(), "email")).data();

        String preheader = email.path("format").path("preheader").asText();
        assertThat(preheader).isNotBlank().doesNotContainIgnoringCase("drive sign-ups").contains("Northwind Analytics");
        assertThat(email.path("call_to_action").asText()).startsWith("Drive sign-ups");
    }

    @Test
    void pluralKeywords_getHeadingsWhoseVerbsAgree() {
        CampaignRequest r = new CampaignRequest("camp-kits", "Crumb & Co sells holiday baking kits for families.",
                "Parents of young children", "Show parents how baking kits make holiday afternoons easy",
                "normal", "blog_post", "sequential", List.of("baking kits", "holiday recipes", "session replay"), Map.of());

        List<String> headings = new ArrayList<>();
        plan(r).data().path("outline").forEach(s -> headings.add(s.path("heading").asText()));

        assertThat(headings).contains("Why Baking Kits Matter Now", "How Holiday Recipes Work in Practice",
                "What Session Replay Changes for Your Team");
    }

    @Test
    void smallTargets_areSharedOutWithoutAFloorThatOverrunsThem() {
        JsonNode brief = planner.run(new AgentInput(Campaigns.sample(), "planner", Map.of("target_words", 30), Map.of())).data();

        int sum = 0;
        for (JsonNode s : brief.path("outline")) {
            sum += s.path("target_words").asInt();
        }
        assertThat(sum).isBetween(27, 33);
    }
}
