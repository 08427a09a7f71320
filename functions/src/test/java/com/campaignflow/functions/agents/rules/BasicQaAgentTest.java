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
    void replacingSeo_readsTheEditedArticleAndScoresAGoodDraftHigher() {
        Chain chain = new Chain(Campaigns.bakery()).run("planner").run("researcher").run("writer").run("editor")
                .run("seo", "basic_qa", Map.of());
        JsonNode data = chain.data("seo");

        assertThat(data.path("meta_description").path("length").asInt()).isBetween(120, 160);
        assertThat(chain.quality("seo")).isGreaterThan(qa(EditorAgentTest.LONG_WINDED).qualityScore());
    }

    @Test
    void quality_isTheShareOfChecksPassed() {
        AgentOutput out = qa(new Article("Hi", List.of(new Article.Section(null, List.of("Short text.")))));
        long passed = 0;
        for (JsonNode c : out.data().path("checklist")) {
            passed += c.path("passed").asBoolean() ? 1 : 0;
        }
        assertThat(out.qualityScore()).isEqualTo(Math.round(1000.0 * passed / 7) / 1000.0);
    }

    @Test
    void withoutADraft_fails() {
        assertThatThrownBy(() -> new BasicQaAgent().run(new AgentInput(Campaigns.bakery(), "seo", Map.of(), Map.of())))
                .isInstanceOf(AgentFailedException.class);
    }
}
