package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EditorAgentTest {

    static final Article LONG_WINDED = new Article("  Bread   for busy offices ", List.of(
            new Article.Section(null, List.of("It is important to note that our bakery really bakes very good sourdough "
                    + "every single morning with flour from local mills, and we deliver it to offices across the city "
                    + "before the first meeting starts, which means that teams basically never have to queue for "
                    + "breakfast again in order to get something fresh.")),
            new Article.Section("## how the subscription works:", List.of("The loaves are baked at four in the morning "
                    + "by our team of bakers who have worked with sourdough for many years, and the order is packed "
                    + "into reusable crates that are collected again the following week, so nothing is wasted and the "
                    + "office manager does not need to think about it at all."))));

    static final Article CLEAN = new Article("Bread for Busy Offices", List.of(
            new Article.Section(null, List.of("We bake sourdough every morning. We bring it to your office before nine. "
                    + "Your team gets fresh bread without a queue.")),
            new Article.Section("How the Subscription Works", List.of("Pick a weekly plan. We pack the loaves in crates. "
                    + "We collect the crates next week."))));

    static Map<String, JsonNode> writerOutput(Article article) {
        return Map.of("writer", JsonNodeFactory.instance.objectNode().set("article", article.toJson()));
    }

    private static AgentOutput edit(Article article) {
        return new EditorAgent().run(new AgentInput(Campaigns.bakery(), "editor", Map.of(), writerOutput(article)));
    }

    @Test
    void longSentences_areSplitAndReadabilityImproves() {
        AgentOutput out = edit(LONG_WINDED);
        JsonNode before = out.data().path("readability").path("before");
        JsonNode after = out.data().path("readability").path("after");

        assertThat(after.path("flesch_reading_ease").asDouble()).isGreaterThan(before.path("flesch_reading_ease").asDouble());
        assertThat(after.path("avg_sentence_length").asDouble()).isLessThan(before.path("avg_sentence_length").asDouble());
        assertThat(after.path("sentences").asInt()).isGreaterThan(before.path("sentences").asInt());
        assertThat(out.data().path("change_counts").path("sentence_split").asInt()).isPositive();
        Article edited = Article.fromJson(out.data().path("article"));
        double editedScore = ContentMetrics.readabilityScore(ContentMetrics.readability(edited.bodyText()));
        double draftScore = ContentMetrics.readabilityScore(ContentMetrics.readability(LONG_WINDED.bodyText()));
        assertThat(editedScore).isGreaterThan(draftScore);
    }

    @Test
    void fillerAndWeaselWords_areRemovedAndReported() {
        AgentOutput out = edit(LONG_WINDED);
        String body = Article.fromJson(out.data().path("article")).bodyText();

        assertThat(body).doesNotContainIgnoringCase("it is important to note").doesNotContain("really", "very good", "basically")
                .doesNotContain("in order to").contains("Our bakery bakes good sourdough");
        assertThat(out.data().path("changes").toString()).contains("filler_removed", "weasel_removed", "wordy_phrase_replaced");
    }

    @Test
    void headingsAndWhitespace_areNormalised_passiveVoiceIsFlagged() {
        AgentOutput out = edit(LONG_WINDED);
        Article edited = Article.fromJson(out.data().path("article"));

        assertThat(edited.title()).isEqualTo("Bread for busy offices");
        assertThat(edited.headings()).containsExactly("How the Subscription Works");
        assertThat(out.data().path("passive_voice").toString()).contains("are baked");
    }

    @Test
    void quality_isLowerForALongWindedDraftThanForAPlainOne() {
        double longWinded = edit(LONG_WINDED).qualityScore();
        double plain = edit(CLEAN).qualityScore();
        assertThat(plain).isGreaterThan(longWinded).isLessThanOrEqualTo(1);
        assertThat(longWinded).isGreaterThan(0);
    }

    @Test
    void cleanDraft_isLeftAsItIs() {
        AgentOutput out = edit(CLEAN);
        assertThat(Article.fromJson(out.data().path("article"))).isEqualTo(CLEAN);
        assertThat(out.data().path("changes")).isEmpty();
        assertThat(out.summary()).startsWith("Edited: 0 changes, ");
    }

    @Test
    void theSummary_ofOneChange_saysChange() {
        Article oneFiller = new Article("Bread for Busy Offices", List.of(
                new Article.Section(null, List.of("We bake really good sourdough every morning. We bring it to your"
                        + " office before nine. Your team gets fresh bread without a queue."))));

        AgentOutput out = edit(oneFiller);

        assertThat(out.data().path("changes")).hasSize(1);
        assertThat(out.summary()).startsWith("Edited: 1 change, Flesch");
    }

    @Test
    void anOpenerUsedMoreThanTwice_isDroppedFromItsThirdUse() {
        Article repetitive = new Article("Plans", List.of(new Article.Section(null, List.of(
                "In practice, we bake every morning before six. In practice, the van leaves at seven sharp. "
                        + "In practice, offices get their bread before the first meeting. In practice, empty crates come back to us the following week."))));
        AgentOutput out = edit(repetitive);
        String body = Article.fromJson(out.data().path("article")).bodyText();

        assertThat(body).containsSubsequence("In practice, we bake", "In practice, the van", "Offices get their bread", "Empty crates come back");
        assertThat(out.data().path("change_counts").path("repeated_opener_removed").asInt()).isEqualTo(2);
    }

    @Test
    void anOpenerWhoseRemovalWouldRepeatAnotherSentence_goesWithItsSentence() {
        Article repetitive = new Article("Plans", List.of(new Article.Section(null, List.of(
                "The first weeks are for learning, so judge the results later. In practice, we bake every morning. "
                        + "In practice, the van leaves at seven sharp. "
                        + "In practice, the first weeks are for learning, so judge the results later."))));
        AgentOutput out = edit(repetitive);
        List<String> sentences = ContentMetrics.sentences(Article.fromJson(out.data().path("article")).bodyText());

        assertThat(sentences).doesNotHaveDuplicates().hasSize(3);
        assertThat(out.data().path("change_counts").path("duplicate_sentence_removed").asInt()).isEqualTo(1);
        assertThat(out.data().path("change_counts").has("repeated_opener_removed")).isFalse();
    }

    @Test
    void fillerRemoval_leavesHyphenatedWordsKeywordsAndTheCompanyNameAlone() {
        CampaignRequest r = new CampaignRequest("camp-vgs", "Very Good Software builds just-in-time inventory tools for small warehouses.",
                "Warehouse managers", "Show warehouse managers how stock alerts work", "normal", "blog_post", "sequential",
                List.of("just-in-time inventory", "really simple syndication"), Map.of());
        Article draft = new Article("Stock Alerts", List.of(new Article.Section(null, List.of(
                "Very Good Software builds just-in-time inventory tools. Alerts arrive by really simple syndication. "
                        + "We have a just-in-case plan that is really very easy to follow."))));

        AgentOutput out = new EditorAgent().run(new AgentInput(r, "editor", Map.of(), writerOutput(draft)));
        String body = Article.fromJson(out.data().path("article")).bodyText();

        assertThat(body).isEqualTo("Very Good Software builds just-in-time inventory tools. Alerts arrive by really simple "
                + "syndication. We have a just-in-case plan that is easy to follow.");
        assertThat(out.data().path("change_counts").path("filler_removed").asInt()).isEqualTo(2);
    }

    @Test
    void withoutADraft_fails() {
        assertThatThrownBy(() -> new EditorAgent().run(new AgentInput(Campaigns.bakery(), "editor", Map.of(), Map.of())))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("writer");
    }

    @Test
    void split_cutsAtTheClauseNearestTheMiddle() {
        List<String> parts = EditorAgent.split("The first half of this sentence talks about bread and ovens and flour, "
                + "and the second half of the sentence talks about delivery vans and offices and crates.");
        assertThat(parts).containsExactly("The first half of this sentence talks about bread and ovens and flour.",
                "The second half of the sentence talks about delivery vans and offices and crates.");
    }

    @Test
    void split_neverCutsBeforeTheLastItemOfAList() {
        String list = "Its new release adds session replay with on-device redaction for every screen, warehouse-native"
                + " funnels, and a pricing tier for teams under fifty people who want to start small.";

        assertThat(EditorAgent.split(list)).noneMatch(p -> p.startsWith("A pricing tier"));
    }
}
