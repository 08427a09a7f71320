package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicQaAgentTest {

    private static AgentOutput qa(Article article) {
        return new BasicQaAgent().run(new AgentInput(Campaigns.bakery(), "editor", Map.of(), EditorAgentTest.writerOutput(article)));
    }

    @Test
    void replacingTheEditor_normalisesAndChecksTheDraft() {
        AgentOutput out = qa(EditorAgentTest.LONG_WINDED);
        JsonNode data = out.data();

        assertThat(data.path("degraded").asBoolean()).isTrue();
        assertThat(Article.fromJson(data.path("article")).headings()).containsExactly("How the Subscription Works");
        assertThat(data.path("title").path("text").asText()).hasSizeLessThanOrEqualTo(60);
        assertThat(data.path("slug").asText()).isEqualTo("bread-for-busy-offices");
        assertThat(data.path("checklist")).hasSize(7);
        assertThat(data.path("issues").toString()).contains("no_very_long_sentences", "enough_headings");
        assertThat(out.qualityScore()).isGreaterThan(0).isLessThan(1);
    }

    @Test
    void titleLength_countsCharacters_anEmojiIsOne() {
        String title = "Bread Subscription Plans for Busy Offices 🍞🥐🥖🥯🧈 in Leeds"; // 56 characters, 61 UTF-16 units
        JsonNode data = qa(new Article(title, EditorAgentTest.CLEAN.sections())).data();

        assertThat(data.path("title").path("length").asInt()).isEqualTo(56);
        assertThat(data.path("issues").toString()).doesNotContain("title_length");
    }

    @Test
    void replacingSeo_readsTheEditedArticleAndScoresAGoodDraftHigher() {
        Chain chain = new Chain(Campaigns.bakery()).run("planner").run("researcher").run("writer").run("editor")
                .run("seo", "basic_qa", Map.of());
        JsonNode data = chain.data("seo");

        assertThat(data.path("meta_description").path("length").asInt()).isBetween(120, 160);
        assertThat(chain.quality("seo")).isGreaterThan(qa(EditorAgentTest.LONG_WINDED).qualityScore());
    }

    @Test
    void quality_isTheShareOfChecksPassedCappedAndScaledByTheEditingLeftUndone() {
        AgentOutput out = qa(new Article("Hi", List.of(new Article.Section(null, List.of("Short text. It is very short.")))));
        long passed = 0;
        for (JsonNode c : out.data().path("checklist")) {
            passed += c.path("passed").asBoolean() ? 1 : 0;
        }
        assertThat(out.data().path("sentences_needing_edit").asInt()).isEqualTo(1);
        assertThat(out.qualityScore()).isEqualTo(Math.round(1000.0 * passed / 7 * BasicQaAgent.CAP * (1 - 1 / 2.0)) / 1000.0);
    }

    @Test
    void degradedPath_scoresBelowTheFullPathForTheSampleRequest() {
        Chain full = Chain.sequential(Campaigns.sample());
        Chain degraded = new Chain(Campaigns.sample()).run("planner").run("researcher").run("writer")
                .run("editor", "basic_qa", Map.of())
                .run("seo", "basic_qa", Map.of())
                .run("distribution");

        assertThat(degraded.quality("editor")).isLessThan(full.quality("editor"));
        assertThat(degraded.quality("seo")).isLessThan(full.quality("seo"));
        assertThat(meanQuality(degraded)).isLessThan(meanQuality(full));
    }

    @Test
    void replacingSeoAfterTheEditor_scoresBelowTheSeoAgentOnTheSameArticle() {
        Chain chain = new Chain(Campaigns.bakery()).run("planner").run("researcher").run("writer").run("editor");
        Chain withSeo = new Chain(Campaigns.bakery()).run("planner").run("researcher").run("writer").run("editor").run("seo");

        chain.run("seo", "basic_qa", Map.of());

        assertThat(chain.quality("seo")).isLessThan(withSeo.quality("seo"));
    }

    /** The campaign's quality as CampaignService reports it: the mean over the steps that ran. */
    private static double meanQuality(Chain chain) {
        return chain.results.values().stream().mapToDouble(AgentOutput::qualityScore).average().orElseThrow();
    }

    @Test
    void withoutADraft_fails() {
        assertThatThrownBy(() -> new BasicQaAgent().run(new AgentInput(Campaigns.bakery(), "seo", Map.of(), Map.of())))
                .isInstanceOf(AgentFailedException.class);
    }
}
