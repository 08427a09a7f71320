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

class DistributionAgentTest {

    private static AgentOutput distribute(Chain chain, Map<String, Object> params) {
        return new DistributionAgent().run(new AgentInput(chain.request, "distribution", params, chain.outputs));
    }

    private static Chain upToSeo(CampaignRequest r) {
        return new Chain(r).run("planner").run("researcher").run("writer").run("editor").run("seo");
    }

    @Test
    void everyPostFitsItsChannel_andLinksCarryUtmTagsAndTheSlug() {
        Chain chain = upToSeo(Campaigns.sample());
        JsonNode plan = distribute(chain, Map.of("channels", List.of("linkedin", "x", "newsletter", "bluesky", "instagram"))).data();
        String slug = chain.data("seo").path("slug").asText();

        assertThat(plan.path("posts")).hasSize(5);
        for (JsonNode p : plan.path("posts")) {
            assertThat(p.path("text").asText().length()).isLessThanOrEqualTo(p.path("max_chars").asInt());
            assertThat(p.path("link").asText()).contains("/blog/" + slug + "?utm_source=" + p.path("channel").asText())
                    .contains("utm_medium=").contains("utm_campaign=camp-spring-launch-2026");
            assertThat(p.path("text").asText()).contains(p.path("link").asText());
        }
        JsonNode x = plan.path("posts").path(1);
        assertThat(x.path("channel").asText()).isEqualTo("x");
        assertThat(x.path("text").asText().length()).isLessThanOrEqualTo(280);
        assertThat(x.path("hashtags").toString()).contains("#ProductAnalytics");
        assertThat(plan.path("posts").path(2).path("subject").asText()).hasSizeLessThanOrEqualTo(60);
    }

    @Test
    void defaultChannels_dependOnContentType() {
        Chain email = upToSeo(Campaigns.withType(Campaigns.bakery(), "email"));
        List<String> channels = new ArrayList<>();
        distribute(email, Map.of()).data().path("posts").forEach(p -> channels.add(p.path("channel").asText()));
        assertThat(channels).containsExactly("newsletter", "linkedin");
    }

    @Test
    void schedule_isDeterministicAndFasterForUrgentCampaigns() {
        Chain chain = upToSeo(Campaigns.sample());
        JsonNode high = distribute(chain, Map.of()).data();
        assertThat(distribute(chain, Map.of()).data()).isEqualTo(high);

        CampaignRequest r = Campaigns.sample();
        CampaignRequest low = new CampaignRequest(r.campaignId(), r.companyContext(), r.targetAudience(), r.contentObjective(),
                "low", r.contentType(), r.strategy(), r.keywords(), r.agentParameters());
        JsonNode lowPlan = new DistributionAgent().run(new AgentInput(low, "distribution", Map.of(), chain.outputs)).data();
        assertThat(high.path("posts").path(0).path("schedule").path("day_offset").asInt()).isZero();
        assertThat(lowPlan.path("posts").path(0).path("schedule").path("day_offset").asInt()).isEqualTo(1);
        assertThat(high.path("posts").path(0).path("schedule").path("time").asText()).matches("\\d\\d:\\d\\d");
    }

    @Test
    void unsupportedChannels_areReported_andNoSupportedChannelFails() {
        Chain chain = upToSeo(Campaigns.sample());
        AgentOutput some = distribute(chain, Map.of("channels", List.of("x", "myspace")));
        assertThat(some.data().path("unsupported_channels").toString()).contains("myspace");
        assertThat(some.qualityScore()).isLessThan(distribute(chain, Map.of("channels", List.of("x"))).qualityScore());

        assertThatThrownBy(() -> distribute(chain, Map.of("channels", List.of("myspace"))))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("myspace").hasMessageContaining("linkedin");
    }

    @Test
    void badBaseUrl_failsNamingTheParameter() {
        Chain chain = upToSeo(Campaigns.sample());
        assertThatThrownBy(() -> distribute(chain, Map.of("base_url", "javascript:alert(1)")))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("base_url");
    }

    @Test
    void withoutArticleOrSeo_fails() {
        assertThatThrownBy(() -> new DistributionAgent().run(new AgentInput(Campaigns.sample(), "distribution", Map.of(), Map.of())))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("seo");
    }

    @Test
    void hashtags_areCamelCasedKeywords() {
        assertThat(DistributionAgent.hashtag("privacy-first analytics")).isEqualTo("#PrivacyFirstAnalytics");
    }
}
