package com.campaignflow.functions.agents.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeoAgentTest {

    private static AgentOutput seo(CampaignRequest r, Article article) {
        return new SeoAgent().run(new AgentInput(r, "seo", Map.of(), EditorAgentTest.writerOutput(article)));
    }

    @Test
    void sampleCampaign_titleMetaAndSlugMeetTheLimits() {
        Chain chain = Chain.sequential(Campaigns.sample());
        JsonNode out = chain.data("seo");

        String title = out.path("title").path("text").asText();
        String meta = out.path("meta_description").path("text").asText();
        assertThat(title.length()).isLessThanOrEqualTo(60).isEqualTo(out.path("title").path("length").asInt());
        assertThat(out.path("title").path("contains_primary").asBoolean()).isTrue();
        assertThat(meta.length()).isBetween(120, 160);
        assertThat(out.path("slug").asText()).matches("[a-z0-9]+(-[a-z0-9]+)*").hasSizeLessThanOrEqualTo(60);
        assertThat(out.path("headings").path("ok").asBoolean()).isTrue();
        assertThat(out.path("keywords")).hasSize(4);
        assertThat(out.path("keywords").path(0).path("body_count").asInt()).isPositive();
        assertThat(out.path("internal_links").toString()).contains("/blog/session-replay");
        assertThat(chain.quality("seo")).isEqualTo(out.path("seo_score").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
    }

    @Test
    void overlongTitle_isShortenedAndAShortLeadIsExtendedToTheMetaMinimum() {
        Article article = new Article("An Extremely Long Title About Office Breakfast Bread Subscriptions That Goes On and On",
                List.of(new Article.Section(null, List.of("Fresh bread arrives early.")),
                        new Article.Section("Plans", List.of("A bread subscription covers office breakfast every week.")),
                        new Article.Section("Delivery", List.of("Sourdough delivery starts at seven.")),
                        new Article.Section("Prices", List.of("Plans start small."))));
        JsonNode out = seo(Campaigns.bakery(), article).data();

        assertThat(out.path("title").path("text").asText()).hasSizeLessThanOrEqualTo(60);
        assertThat(out.path("meta_description").path("text").asText().length()).isBetween(120, 160);
        assertThat(out.path("meta_description").path("within_limit").asBoolean()).isTrue();
    }

    @Test
    void lengthsCountCharacters_anEmojiIsOne() {
        String title = "Bread Subscription Plans for Busy Offices 🍞🥐🥖🥯🧈 in Leeds"; // 56 characters, 61 UTF-16 units
        Article article = new Article(title, List.of(new Article.Section(null, List.of(
                "A bread subscription brings fresh loaves 🍞 to your office every week. Office breakfast is sorted"
                        + " before the first meeting. Sourdough delivery starts at seven, and empty crates go back the next week."))));

        JsonNode out = seo(Campaigns.bakery(), article).data();

        assertThat(out.path("title").path("text").asText()).isEqualTo(title);
        assertThat(out.path("title").path("length").asInt()).isEqualTo(56);
        assertThat(out.path("title").path("within_limit").asBoolean()).isTrue();
        String meta = out.path("meta_description").path("text").asText();
        assertThat(out.path("meta_description").path("length").asInt()).isEqualTo(meta.codePointCount(0, meta.length()));
    }

    @Test
    void score_dropsWhenKeywordsAndHeadingsAreMissing() {
        Article good = Article.fromJson(Chain.sequential(Campaigns.bakery()).data("editor").path("article"));
        Article poor = new Article("Our News", List.of(new Article.Section(null, List.of("We have news. It is good news."))));

        AgentOutput goodOut = seo(Campaigns.bakery(), good);
        AgentOutput poorOut = seo(Campaigns.bakery(), poor);

        assertThat(poorOut.qualityScore()).isLessThan(goodOut.qualityScore()).isGreaterThan(0);
        assertThat(poorOut.data().path("headings").path("issues").toString()).contains("H2 headings");
        assertThat(poorOut.data().path("keyword_coverage").asDouble()).isLessThan(goodOut.data().path("keyword_coverage").asDouble());
    }

    @Test
    void longPrimaryKeywordMissingFromTheTitle_givesTheShortenedArticleTitleNotAnEmptyOne() {
        CampaignRequest clinic = new CampaignRequest("camp-clinic", "Clinicly builds scheduling tools for small clinics.",
                "Practice managers at small clinics", "Explain how small clinics can cut patient no-shows with automated reminders",
                "normal", "blog_post", "sequential",
                List.of("appointment reminder software for independent medical practices", "sms reminders"), Map.of());
        Article article = new Article("How Small Clinics Can Cut Patient No-shows with Automated Reminders",
                List.of(new Article.Section(null, List.of("Missed appointments cost small clinics time and money."))));

        JsonNode out = seo(clinic, article).data();

        String title = out.path("title").path("text").asText();
        assertThat(title).isEqualTo("How Small Clinics Can Cut Patient No-shows with Automated");
        assertThat(out.path("title").path("length").asInt()).isEqualTo(title.length()).isBetween(1, 60);
        assertThat(out.path("slug").asText()).isEqualTo("how-small-clinics-can-cut-patient-no-shows-with-automated");
    }

    @Test
    void title_isNeverEmptyEvenWhenEveryCandidateIsSkipped() {
        assertThat(SeoRules.title(List.of("", "  "), "A Title")).isEqualTo("A Title");
        assertThat(SeoRules.title(List.of(""), "x".repeat(80))).hasSize(60);
    }

    @Test
    void metaDescription_opensWithAContentSentenceRatherThanTheWritersSignpost() {
        String meta = Chain.sequential(Campaigns.sample()).data("seo").path("meta_description").path("text").asText();

        assertThat(meta).doesNotStartWith("Below").startsWith("Here is how warehouse-native funnels");
        assertThat(meta.length()).isBetween(120, 160);
    }

    @Test
    void slug_isAsciiLowercaseHyphenatedAndAtMostSixtyCharacters() {
        assertThat(SeoRules.slug("Crème Brûlée & Café: 10 Recipes!")).isEqualTo("creme-brulee-and-cafe-10-recipes");
        String longSlug = SeoRules.slug("word ".repeat(30));
        assertThat(longSlug).hasSizeLessThanOrEqualTo(60).doesNotEndWith("-");
    }

    @Test
    void withoutAnArticle_fails() {
        assertThatThrownBy(() -> new SeoAgent().run(new AgentInput(Campaigns.bakery(), "seo", Map.of(), Map.of())))
                .isInstanceOf(AgentFailedException.class).hasMessageContaining("editor");
    }

    @Test
    void slug_forTitlesWithoutLatinLetters_isNonEmptyUrlSafeAndDistinct() {
        List<String> slugs = List.of(SeoRules.slug("产品分析：隐私优先"), SeoRules.slug("会话回放的价值"),
                SeoRules.slug("تحليلات المنتج"), SeoRules.slug("Продуктовая аналитика"), SeoRules.slug("产品分析 for 团队"));

        assertThat(slugs).doesNotHaveDuplicates().doesNotContain("content")
                .allSatisfy(s -> assertThat(SeoRules.isSlug(s)).as(s).isTrue());
        assertThat(SeoRules.slug("产品分析：隐私优先")).isEqualTo(slugs.getFirst());
        assertThat(SeoRules.slug("产品分析 for 团队")).startsWith("for-");
    }

    @Test
    void chineseAndArabicCampaigns_getDifferentSlugs() {
        CampaignRequest zh = new CampaignRequest("camp-zh", "云图分析为中小企业提供产品分析平台。新版本增加了会话回放。",
                "产品负责人", "说明仓库原生漏斗的价值。", "normal", "blog_post", "sequential", List.of("产品分析"), Map.of());
        CampaignRequest ar = new CampaignRequest("camp-ar", "شركة نجمة تبني منصة تحليلات. تساعد الفرق الصغيرة.",
                "مديرو المنتجات", "اشرح الفوائد", "normal", "blog_post", "sequential", List.of("تحليلات المنتج"), Map.of());

        String zhSlug = Chain.sequential(zh).data("seo").path("slug").asText();
        String arSlug = Chain.sequential(ar).data("seo").path("slug").asText();

        assertThat(zhSlug).isNotEqualTo(arSlug).isNotEqualTo("content");
        assertThat(SeoRules.isSlug(zhSlug)).isTrue();
        assertThat(SeoRules.isSlug(arSlug)).isTrue();
    }

    @Test
    void keywordIssues_nameAKeywordMissingFromTheBody_orOutsideTheDensityBand() {
        assertThat(SeoAgent.densityIssue("session replay", 0, 0)).hasValue("'session replay' does not appear in the body");
        assertThat(SeoAgent.densityIssue("session replay", 40, 8.9)).get().asString()
                .contains("8.9 % of the words, above 3.0 %", "keyword stuffing");
        assertThat(SeoAgent.densityIssue("session replay", 1, 0.2)).get().asString().contains("only 0.2 %");
        assertThat(SeoAgent.densityIssue("session replay", 9, 2.0)).isEmpty();

        JsonNode sample = Chain.sequential(Campaigns.sample()).data("seo");
        assertThat(sample.path("keyword_issues").isArray()).isTrue();
        assertThat(sample.path("keyword_issues")).isEmpty(); // the writer keeps the sample's keywords in the band
    }
}
