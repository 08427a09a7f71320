package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A distribution plan: for each channel ({@code parameters.channels}, else the content type's defaults) a snippet
 * within the channel's length limit, hashtags from the keywords, a UTM-tagged link built from the slug and a
 * schedule slot (day offset and local time, derived from the campaign id and priority, never from the clock).
 * Reads title, meta description and slug from the SEO step (or basic QA in its place) and falls back to the article.
 *
 * <p>Parameters: {@code channels} (list), {@code base_url} (http/https, default {@code https://example.com}).
 * Output: {@code title, slug, base_url, posts[{channel, text, length, max_chars, within_limit, link, hashtags[],
 * schedule{day_offset, time}, subject?, preheader?}], unsupported_channels[]}.
 *
 * <p>Quality = 0.5 × share of posts within their channel's limit + 0.25 × share of posts that mention the primary
 * keyword (text or hashtag) + 0.25 × share of requested channels that are supported.
 */
public final class DistributionAgent implements Agent {

    private static final String DEFAULT_BASE_URL = "https://example.com";

    @Override
    public String name() {
        return "distribution";
    }

    @Override
    public void checkParameters(Map<String, Object> parameters) {
        baseUrl(parameters);
        Inputs.listParam(parameters, "channels").ifPresent(DistributionAgent::channels);
    }

    private static String baseUrl(Map<String, Object> parameters) {
        String baseUrl = Inputs.stringParam(parameters, "base_url").orElse(DEFAULT_BASE_URL).replaceAll("/+$", "");
        if (!baseUrl.matches("https?://[A-Za-z0-9.-]+(:\\d+)?(/[\\w./-]*)?")) {
            throw new AgentFailedException("parameter base_url must be an http(s) URL, got '" + baseUrl + "'");
        }
        return baseUrl;
    }

    /** The supported channels among those named, each once, in order; at least one. */
    private static List<Channel> channels(List<String> requested) {
        List<Channel> channels = new ArrayList<>();
        for (String name : requested) {
            Channel.of(name).filter(c -> !channels.contains(c)).ifPresent(channels::add);
        }
        if (channels.isEmpty()) {
            throw new AgentFailedException("no supported channel in " + requested + "; supported: "
                    + java.util.Arrays.stream(Channel.values()).map(Channel::wireName).toList());
        }
        return channels;
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        Optional<Article> article = Inputs.article(input, "editor", "writer");
        JsonNode seo = input.previousOutputs().get("seo");
        boolean hasSeo = seo != null && seo.path("title").path("text").isTextual();
        if (article.isEmpty() && !hasSeo) {
            throw new AgentFailedException("distribution needs the article (editor or writer step) or the seo step's title; found only "
                    + input.previousOutputs().keySet());
        }
        String title = hasSeo ? seo.path("title").path("text").asText() : SeoRules.title(List.of(article.get().title()));
        String meta = hasSeo && seo.path("meta_description").path("text").asText().length() > 0
                ? seo.path("meta_description").path("text").asText()
                : SeoRules.metaDescription(ContentMetrics.sentences(article.get().lead()));
        String slug = hasSeo && seo.path("slug").isTextual() ? seo.path("slug").asText() : SeoRules.slug(title);
        String baseUrl = baseUrl(input.parameters());
        List<String> requested = Inputs.listParam(input.parameters(), "channels").orElse(facts.profile().defaultChannels);
        List<Channel> channels = channels(requested);
        List<String> unsupported = requested.stream().filter(name -> Channel.of(name).isEmpty()).toList();
        List<String> highlights = article.map(a -> ContentMetrics.sentences(a.bodyText())).orElse(List.of());

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("title", title);
        out.put("slug", slug);
        out.put("base_url", baseUrl);
        ArrayNode posts = out.putArray("posts");
        int within = 0;
        int mentioning = 0;
        boolean urgent = List.of("high", "urgent").contains(String.valueOf(facts.request().priority()).toLowerCase(Locale.ROOT));
        for (int i = 0; i < channels.size(); i++) {
            Channel c = channels.get(i);
            String link = baseUrl + "/" + facts.profile().urlPath + "/" + slug + "?utm_source=" + enc(c.wireName())
                    + "&utm_medium=" + enc(c.medium) + "&utm_campaign=" + enc(SeoRules.slug(facts.request().campaignId()));
            List<String> tags = facts.keywords().stream().limit(c.hashtags).map(DistributionAgent::hashtag).toList();
            String text = snippet(c, title, meta, highlights, link, tags);
            ObjectNode p = posts.addObject();
            p.put("channel", c.wireName());
            p.put("text", text);
            p.put("length", text.length());
            p.put("max_chars", c.maxChars);
            p.put("within_limit", text.length() <= c.maxChars);
            p.put("link", link);
            tags.forEach(p.putArray("hashtags")::add);
            // Urgent campaigns go out from day 0, one channel a day; others start on day 1, every other day.
            int seed = ContentMetrics.seed(facts.request().campaignId(), c.wireName());
            p.putObject("schedule").put("day_offset", urgent ? i : 1 + 2 * i).put("time", c.times.get(seed % c.times.size()));
            if (c == Channel.NEWSLETTER) {
                p.put("subject", SeoRules.title(List.of(title)));
                p.put("preheader", ContentMetrics.truncateAtWord(meta, 100));
            }
            within += text.length() <= c.maxChars ? 1 : 0;
            String primary = facts.primaryKeyword();
            mentioning += ContentMetrics.occurrences(text, primary) > 0 || tags.contains(hashtag(primary)) ? 1 : 0;
        }
        unsupported.forEach(out.putArray("unsupported_channels")::add);
        if (unsupported.isEmpty()) {
            out.putArray("unsupported_channels");
        }
        double quality = 0.5 * within / channels.size() + 0.25 * mentioning / channels.size()
                + 0.25 * channels.size() / (channels.size() + unsupported.size());
        quality = ContentMetrics.round(Math.max(0.01, quality), 3);
        String summary = ContentMetrics.truncateAtWord("Distribution: " + channels.size() + " channels ("
                + String.join(", ", channels.stream().map(Channel::wireName).toList()) + "), "
                + within + " within limits" + (unsupported.isEmpty() ? "" : ", unsupported " + unsupported), 200);
        return new AgentOutput(out, quality, summary);
    }

    /** "privacy-first analytics" -> "#PrivacyFirstAnalytics". */
    static String hashtag(String keyword) {
        StringBuilder b = new StringBuilder("#");
        for (String w : ContentMetrics.words(keyword.replace('-', ' '))) {
            b.append(ContentMetrics.capitalize(w.toLowerCase(Locale.ROOT)));
        }
        return b.toString();
    }

    /**
     * Short channels (up to 500 characters) get the hook, link and hashtags, the hook shortened to fit; long channels
     * get title, meta description and up to two highlights of the article too. Always within the channel's limit.
     */
    static String snippet(Channel c, String title, String meta, List<String> highlights, String link, List<String> tags) {
        String tagLine = String.join(" ", tags);
        String tail = link + (tagLine.isEmpty() ? "" : " " + tagLine);
        if (c.maxChars <= 500) {
            String hook = meta.length() + tail.length() + 1 <= c.maxChars ? meta : title;
            int room = c.maxChars - tail.length() - 1;
            return ContentMetrics.truncateAtWord(hook, Math.max(10, room)) + " " + tail;
        }
        StringBuilder b = new StringBuilder(title).append("\n\n").append(meta);
        int budget = Math.min(c.maxChars, c == Channel.NEWSLETTER ? c.maxChars : 1300) - tail.length() - 4;
        for (String h : highlights.stream().limit(2).toList()) {
            if (b.length() + h.length() + 2 <= budget && !meta.contains(h)) {
                b.append("\n\n").append(h);
            }
        }
        String head = b.length() > budget ? ContentMetrics.truncateAtWord(b.toString(), budget) : b.toString();
        return head + "\n\n" + tail;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
