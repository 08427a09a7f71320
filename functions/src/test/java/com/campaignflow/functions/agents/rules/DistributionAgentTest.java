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

    @Test
    void hashtags_keepAcronymsSpellSymbolsAndAreNeverEmpty() {
        assertThat(DistributionAgent.hashtag("GDPR compliance")).isEqualTo("#GDPRCompliance");
        assertThat(DistributionAgent.hashtag("AI")).isEqualTo("#AI");
        assertThat(DistributionAgent.hashtag("C++")).isEqualTo("#CPlusPlus");
        assertThat(DistributionAgent.hashtag("🚀")).isEmpty();

        CampaignRequest r = withKeywords(Campaigns.sample(), "camp-tags", List.of("🚀", "GDPR compliance", "AI"));
        JsonNode plan = distribute(upToSeo(r), Map.of("channels", List.of("linkedin"))).data();
        assertThat(plan.path("posts").path(0).path("hashtags").toString()).isEqualTo("[\"#GDPRCompliance\",\"#AI\"]");
        assertThat(plan.path("posts").path(0).path("text").asText()).doesNotContain("# ").doesNotEndWith("#");
    }

    /** A base_url of 496 characters: the request parser accepts parameter strings of up to 500. */
    @Test
    void longBaseUrl_neverThrowsAndEveryPostStaysWithinItsLimit() {
        String baseUrl = "https://example.com/" + "a".repeat(476);
        Chain chain = upToSeo(Campaigns.sample());

        JsonNode plan = distribute(chain, Map.of("base_url", baseUrl,
                "channels", List.of("linkedin", "x", "newsletter", "bluesky", "threads"))).data();

        assertThat(plan.path("posts")).hasSize(5);
        for (JsonNode p : plan.path("posts")) {
            assertThat(p.path("link").asText()).startsWith(baseUrl + "/blog/");
            assertThat(p.path("text").asText()).as(p.path("channel").asText()).isNotBlank();
            assertThat(p.path("length").asInt()).as(p.path("channel").asText()).isLessThanOrEqualTo(p.path("max_chars").asInt());
            assertThat(p.path("within_limit").asBoolean()).isTrue();
            assertWholeWordsOnly(p, chain);
        }
    }

    @Test
    void longCampaignIdAndKeywords_postsFitTheirLimitByDroppingPartsNotCuttingWords() {
        CampaignRequest r = withKeywords(Campaigns.sample(), "c".repeat(64), List.of(
                "privacy-first analytics for regulated subscription businesses",
                "warehouse-native funnels and attribution models for finance"));
        Chain chain = upToSeo(r);

        JsonNode plan = distribute(chain, Map.of("channels", List.of("linkedin", "x", "newsletter", "bluesky", "threads"))).data();

        for (JsonNode p : plan.path("posts")) {
            String channel = p.path("channel").asText();
            String text = p.path("text").asText();
            assertThat(text.length()).as(channel).isLessThanOrEqualTo(p.path("max_chars").asInt());
            assertThat(text).as(channel).contains(p.path("link").asText());
            p.path("hashtags").forEach(t -> assertThat(text).as(channel).contains(t.asText()));
            assertWholeWordsOnly(p, chain);
        }
        String x = plan.path("posts").path(1).path("text").asText();
        assertThat(x).startsWith(chain.data("seo").path("title").path("text").asText() + " https://");
        String newsletter = plan.path("posts").path(2).path("text").asText();
        assertThat(newsletter).startsWith(chain.data("seo").path("title").path("text").asText() + "\n\n");
    }

    @Test
    void longPost_doesNotRepeatASentenceTheMetaDescriptionHoldsShortened() {
        String meta = "Fresh bread arrives before nine. A weekly bread subscription covers office breakfast for teams of ten to fifty…";
        List<String> highlights = List.of(
                "A weekly bread subscription covers office breakfast for teams of ten to fifty people across Leeds.",
                "Fresh bread arrives before nine.",
                "Crates come back the following week.");

        DistributionAgent.Post post = DistributionAgent.post(Channel.LINKEDIN, "Bread for Busy Offices", meta, highlights,
                "https://example.com/blog/bread", List.of("#BreadSubscription"));

        assertThat(post.text()).containsOnlyOnce("A weekly bread subscription covers").containsOnlyOnce("Fresh bread arrives")
                .contains("Crates come back the following week.");
    }

    @Test
    void sampleLinkedInPost_repeatsNoSentence() {
        JsonNode plan = distribute(upToSeo(Campaigns.sample()), Map.of("channels", List.of("linkedin", "newsletter"))).data();
        for (JsonNode p : plan.path("posts")) {
            List<String> sentences = new ArrayList<>();
            for (String s : com.campaignflow.functions.agents.text.ContentMetrics.sentences(p.path("text").asText())) {
                String start = s.replaceAll("…$", "");
                assertThat(sentences).as(p.path("channel").asText())
                        .noneMatch(seen -> seen.startsWith(start) || start.startsWith(seen.replaceAll("…$", "")));
                sentences.add(s);
            }
        }
    }

    private static CampaignRequest withKeywords(CampaignRequest r, String campaignId, List<String> keywords) {
        return new CampaignRequest(campaignId, r.companyContext(), r.targetAudience(), r.contentObjective(), r.priority(),
                r.contentType(), r.strategy(), keywords, r.agentParameters());
    }

    /** Every word of the post is the link, one of its hashtags or a whole word of the title, meta or article. */
    @Test
    void socialMediaCampaign_distributesTheWritersPosts_aShortChannelTheirWholeFirstSentences() {
        Chain chain = Chain.sequential(Campaigns.withType(Campaigns.sample(), "social_media"));
        List<String> written = new ArrayList<>();
        chain.data("editor").path("article").path("sections")
                .forEach(sec -> sec.path("paragraphs").forEach(p -> written.add(p.asText())));

        JsonNode posts = chain.data("distribution").path("posts");

        assertThat(posts).isNotEmpty();
        posts.forEach(p -> {
            String text = p.path("text").asText();
            assertThat(written).as(text).anySatisfy(w -> assertThat(text).startsWith(
                    com.campaignflow.functions.agents.text.ContentMetrics.sentences(w).getFirst()));
            assertThat(text.length()).isLessThanOrEqualTo(p.path("max_chars").asInt());
        });
    }

    private static List<String> writtenPosts(Chain chain) {
        List<String> written = new ArrayList<>();
        chain.data("editor").path("article").path("sections")
                .forEach(sec -> sec.path("paragraphs").forEach(p -> written.add(p.asText())));
        return written;
    }

    /** The writer's post a published post carries (its first sentence starts the text), or null for the title. */
    private static String carried(JsonNode post, List<String> written) {
        return written.stream().filter(w -> post.path("text").asText().startsWith(
                com.campaignflow.functions.agents.text.ContentMetrics.sentences(w).getFirst())).findFirst().orElse(null);
    }

    @Test
    void morePostsThanChannels_everyPostIsPublishedOnce_andNoTwoPostsAreTheSameSentence() {
        CampaignRequest social = Campaigns.withType(Campaigns.sample(), "social_media");
        Chain chain = new Chain(social).run("planner", "planner", Map.of("posts", 5)).run("researcher").run("writer")
                .run("editor").run("seo");
        List<String> written = writtenPosts(chain);

        JsonNode posts = distribute(chain, Map.of()).data().path("posts"); // 4 default channels
        List<String> published = new ArrayList<>();
        posts.forEach(p -> published.add(carried(p, written)));

        assertThat(written).hasSize(5);
        assertThat(published).containsExactlyInAnyOrderElementsOf(written);
        // the same sentence about another keyword is the same post to a reader
        List<String> firstSentences = new ArrayList<>();
        for (String w : written) {
            String first = com.campaignflow.functions.agents.text.ContentMetrics.sentences(w.replaceFirst("^Tip: ", ""))
                    .getFirst().toLowerCase(java.util.Locale.ROOT);
            for (String keyword : social.keywords()) {
                first = first.replace(keyword, "{keyword}");
            }
            firstSentences.add(first);
        }
        assertThat(firstSentences).doesNotHaveDuplicates();
    }

    @Test
    void asManyPostsAsChannels_eachChannelGetsADifferentPost_theShortestChannelOneThatFits() {
        CampaignRequest social = Campaigns.withType(Campaigns.sample(), "social_media");
        Chain chain = new Chain(social).run("planner", "planner", Map.of("posts", 3)).run("researcher").run("writer")
                .run("editor").run("seo");
        List<String> written = writtenPosts(chain);

        JsonNode posts = distribute(chain, Map.of("channels", List.of("linkedin", "x", "instagram"))).data().path("posts");
        List<String> published = new ArrayList<>();
        posts.forEach(p -> published.add(carried(p, written)));

        assertThat(posts).hasSize(3);
        assertThat(published).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void anEmailCampaign_onItsOwnEmailChannel_isTheNewsletterNotAnUnsupportedChannel() {
        Chain chain = upToSeo(Campaigns.withType(Campaigns.sample(), "email"));

        AgentOutput out = distribute(chain, Map.of("channels", List.of("newsletter", "email")));

        assertThat(out.data().path("unsupported_channels")).isEmpty();
        assertThat(out.data().path("posts")).hasSize(1);
        assertThat(out.data().path("posts").path(0).path("channel").asText()).isEqualTo("newsletter");
        assertThat(out.summary()).contains("1 channel (newsletter)");
        assertThat(distribute(chain, Map.of("channels", List.of("email"))).data().path("posts").path(0).path("channel")
                .asText()).isEqualTo("newsletter");
    }

    @Test
    void postLengthsCountCharacters_anEmojiIsOne() {
        CampaignRequest emoji = new CampaignRequest("camp-emoji", "🚀 RocketShip builds an AI assistant for indie game"
                + " studios. It writes patch notes 📝 and answers player questions in Discord.",
                "Indie game developers 🎮 with teams under 10 people",
                "Show how RocketShip saves hours every week on community management", "high", "blog_post", "sequential",
                List.of("AI assistant 🤖", "patch notes", "Discord"), Map.of());

        JsonNode posts = Chain.sequential(emoji).data("distribution").path("posts");

        assertThat(posts.toString()).contains("🤖");
        posts.forEach(p -> {
            String text = p.path("text").asText();
            assertThat(p.path("length").asInt()).as(p.path("channel").asText()).isEqualTo(text.codePointCount(0, text.length()));
        });
    }

    @Test
    void noPost_carriesASentenceAboutTheArticleItself() {
        for (String type : List.of("blog_post", "email", "landing_page")) {
            Chain chain = Chain.sequential(Campaigns.withType(Campaigns.sample(), type));
            chain.data("distribution").path("posts").forEach(p ->
                    assertThat(p.path("text").asText()).as(type).doesNotContain("Below, you will see"));
        }
    }

    private static void assertWholeWordsOnly(JsonNode post, Chain chain) {
        java.util.Set<String> words = new java.util.HashSet<>();
        String sources = chain.data("seo").path("title").path("text").asText() + " "
                + chain.data("seo").path("meta_description").path("text").asText() + " "
                + com.campaignflow.functions.agents.text.Article.fromJson(chain.data("editor").path("article")).bodyText();
        for (String w : sources.split("\\s+")) {
            words.add(w.replaceAll("[.,;:!?…]+$", ""));
        }
        words.add(post.path("link").asText());
        post.path("hashtags").forEach(t -> words.add(t.asText()));
        for (String w : post.path("text").asText().split("\\s+")) {
            assertThat(words).as(post.path("channel").asText() + ": " + post.path("text").asText())
                    .contains(w.replaceAll("[.,;:!?…]+$", ""));
        }
    }
}
