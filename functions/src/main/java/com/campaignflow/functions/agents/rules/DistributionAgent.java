package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.Text;
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
 * within the channel's length limit (for social media one of the writer's posts, a different one on each channel
 * while they last, and the posts left over as extra posts on channels they fit), hashtags from the keywords, a UTM-tagged link built from the slug and a
 * schedule slot (day offset and local time, derived from the campaign id and priority, never from the clock).
 * Reads title, meta description and slug from the SEO step (or basic QA in its place) and falls back to the article.
 *
 * <p>Parameters: {@code channels} (list; "twitter" is x, "email" the newsletter), {@code base_url} (http/https, default {@code https://example.com}).
 * Output: {@code title, slug, base_url, posts[{channel, text, length, max_chars, within_limit, link, hashtags[],
 * schedule{day_offset, time}, subject?, preheader?}], unsupported_channels[]}.
 *
 * <p>Quality = 0.5 × share of posts within their channel's limit + 0.25 × share of posts that mention the primary
 * keyword (text or hashtag) + 0.25 × share of requested channels that are supported.
 */
public final class DistributionAgent implements Agent {

    private static final String DEFAULT_BASE_URL = "https://example.com";
    /** A meta description shortened below this many characters says too little to be worth a line of its own. */
    private static final int MIN_SHORTENED_META = 40;
    private static final int PREHEADER_MAX = 100;

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
        String seoTitle = seo == null ? "" : seo.path("title").path("text").asText("").trim();
        if (article.isEmpty() && seoTitle.isEmpty()) {
            throw new AgentFailedException("distribution needs the article (editor or writer step) or the seo step's title; found only "
                    + input.previousOutputs().keySet());
        }
        String title = !seoTitle.isEmpty() ? seoTitle : SeoRules.shortTitle(article.get().title());
        String seoMeta = seo == null ? "" : seo.path("meta_description").path("text").asText("").trim();
        String meta = !seoMeta.isEmpty() ? seoMeta
                : article.map(a -> SeoRules.metaDescription(ContentMetrics.sentences(a.lead()))).orElse("");
        String seoSlug = seo == null ? "" : seo.path("slug").asText("").trim();
        String slug = !seoSlug.isEmpty() ? seoSlug : SeoRules.slug(title);
        String baseUrl = baseUrl(input.parameters());
        List<String> requested = Inputs.listParam(input.parameters(), "channels").orElse(facts.profile().defaultChannels);
        List<Channel> channels = channels(requested);
        List<String> unsupported = requested.stream().filter(name -> Channel.of(name).isEmpty()).toList();
        // a post quotes sentences alone: not "Below, you will see ...", nor one whose "it" points to the one before
        List<String> highlights = article.map(a -> ContentMetrics.sentences(a.bodyText())).orElse(List.of()).stream()
                .filter(h -> SeoAgent.readsAlone(h, facts)).toList();
        // social media content is the writer's posts
        List<String> writtenPosts = facts.profile() == ContentProfile.SOCIAL_MEDIA
                ? article.map(a -> a.sections().stream().flatMap(sec -> sec.paragraphs().stream()).toList()).orElse(List.of())
                : List.of();

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("title", title);
        out.put("slug", slug);
        out.put("base_url", baseUrl);
        ArrayNode posts = out.putArray("posts");
        int within = 0;
        int mentioning = 0;
        boolean urgent = List.of("high", "urgent").contains(String.valueOf(facts.request().priority()).toLowerCase(Locale.ROOT));
        java.util.function.Function<Channel, String> linkOf = c -> baseUrl + "/" + facts.profile().urlPath + "/" + slug
                + "?utm_source=" + enc(c.wireName()) + "&utm_medium=" + enc(c.medium) + "&utm_campaign="
                + enc(SeoRules.slug(facts.request().campaignId()));
        java.util.function.Function<Channel, List<String>> tagsOf = c -> facts.keywords().stream()
                .map(DistributionAgent::hashtag).filter(t -> !t.isEmpty()).distinct().limit(c.hashtags).toList();
        List<Slot> slots = slots(channels, writtenPosts,
                (c, written) -> writtenPost(c, written, linkOf.apply(c), tagsOf.apply(c)).isPresent());
        for (int i = 0; i < slots.size(); i++) {
            Channel c = slots.get(i).channel();
            String link = linkOf.apply(c);
            List<String> tags = tagsOf.apply(c);
            String written = slots.get(i).written();
            Post post = written == null ? post(c, title, meta, highlights, link, tags)
                    : writtenPost(c, written, link, tags).orElseThrow();
            String text = post.text();
            ObjectNode p = posts.addObject();
            p.put("channel", c.wireName());
            p.put("text", text);
            p.put("length", Text.characters(text));
            p.put("max_chars", c.maxChars);
            p.put("within_limit", Text.characters(text) <= c.maxChars);
            p.put("link", link);
            post.hashtags().forEach(p.putArray("hashtags")::add);
            // Urgent campaigns go out from day 0, one channel a day; others start on day 1, every other day.
            int seed = ContentMetrics.seed(facts.request().campaignId(), c.wireName());
            p.putObject("schedule").put("day_offset", urgent ? i : 1 + 2 * i).put("time", c.times.get(seed % c.times.size()));
            if (c == Channel.NEWSLETTER) {
                p.put("subject", SeoRules.shortTitle(title));
                p.put("preheader", preheader(meta));
            }
            within += Text.characters(text) <= c.maxChars ? 1 : 0;
            String primary = facts.primaryKeyword();
            mentioning += ContentMetrics.occurrences(text, primary) > 0 || post.hashtags().contains(hashtag(primary)) ? 1 : 0;
        }
        unsupported.forEach(out.putArray("unsupported_channels")::add);
        if (unsupported.isEmpty()) {
            out.putArray("unsupported_channels");
        }
        double quality = 0.5 * within / slots.size() + 0.25 * mentioning / slots.size()
                + 0.25 * channels.size() / (channels.size() + unsupported.size());
        quality = ContentMetrics.round(Math.max(0.01, quality), 3);
        String summary = ContentMetrics.truncateAtWord("Distribution: " + channels.size()
                + (channels.size() == 1 ? " channel (" : " channels (")
                + String.join(", ", channels.stream().map(Channel::wireName).toList()) + "), "
                + (slots.size() == channels.size() ? "" : slots.size() + " posts, ") + within + " within limits" + (unsupported.isEmpty() ? "" : ", unsupported " + unsupported), 200);
        return new AgentOutput(out, quality, summary);
    }

    /** A post to make: on {@code channel}, one of the writer's social posts, or null for one made from the article. */
    record Slot(Channel channel, String written) {
    }

    /**
     * Which of the writer's posts each channel carries: a different one on every channel while they last, the
     * channels with the tightest limit choosing first (a short post goes where only it fits), and a channel takes only
     * a post that fits it, else one made from the article. A post repeats on a second channel only once every post is
     * out; posts left over once every channel has one go out as extra posts on the first channel they fit.
     */
    static List<Slot> slots(List<Channel> channels, List<String> written, java.util.function.BiPredicate<Channel, String> fits) {
        Map<Channel, String> chosen = new java.util.EnumMap<>(Channel.class);
        Map<String, Integer> uses = new java.util.HashMap<>();
        List<Channel> tightestFirst = channels.stream().sorted(java.util.Comparator.comparingInt(c -> c.maxChars)).toList();
        for (Channel c : tightestFirst) {
            boolean allOut = written.stream().allMatch(uses::containsKey);
            written.stream().filter(w -> (allOut || !uses.containsKey(w)) && fits.test(c, w))
                    .min(java.util.Comparator.comparingInt(w -> uses.getOrDefault(w, 0)))
                    .ifPresent(w -> {
                        chosen.put(c, w);
                        uses.merge(w, 1, Integer::sum);
                    });
        }
        List<Slot> slots = new ArrayList<>(channels.stream().map(c -> new Slot(c, chosen.get(c))).toList());
        for (String w : written) {
            if (!uses.containsKey(w)) {
                channels.stream().filter(c -> fits.test(c, w)).findFirst().ifPresent(c -> slots.add(new Slot(c, w)));
            }
        }
        return slots;
    }

    /**
     * "privacy-first analytics" -> "#PrivacyFirstAnalytics", "GDPR compliance" -> "#GDPRCompliance" (a word written
     * with inner capitals keeps them), "C++" -> "#CPlusPlus"; "" when the keyword has no letters or digits (an emoji).
     */
    static String hashtag(String keyword) {
        String spelled = keyword.replace("++", " PlusPlus ").replace("+", " Plus ").replace("#", " Sharp ")
                .replace("&", " And ").replace('-', ' ');
        StringBuilder b = new StringBuilder();
        for (String word : ContentMetrics.words(spelled)) {
            String w = word.replaceAll("['’]", "");
            boolean keepCase = w.length() > 1 && w.chars().skip(1).anyMatch(Character::isUpperCase);
            b.append(keepCase ? w : ContentMetrics.capitalize(w.toLowerCase(Locale.ROOT)));
        }
        return b.isEmpty() ? "" : "#" + b;
    }

    /**
     * One of the writer's social posts on a channel: whole, or its first sentences when the channel is too short for
     * all of it with the link; empty when not even its first sentence fits (the channel then gets the article's
     * title, as for an article): a post cut mid-sentence reads as a mistake.
     */
    static Optional<Post> writtenPost(Channel c, String written, String link, List<String> tags) {
        List<String> sentences = ContentMetrics.sentences(written);
        for (int n = sentences.size(); n >= 1; n--) {
            String head = String.join(" ", sentences.subList(0, n));
            Post post = post(c, head, "", List.of(), link, tags);
            if (post.text().startsWith(head)) {
                return Optional.of(post);
            }
        }
        return Optional.empty();
    }

    /** A post's text and the hashtags it actually carries. */
    record Post(String text, List<String> hashtags) {
    }

    /**
     * Short channels (up to 500 characters) get a hook (the meta description, else the title), the link and hashtags;
     * long channels get title, meta description and up to two highlights of the article too. The text is always
     * within the channel's limit and never cut inside a word: when the parts do not fit, hashtags are dropped from the
     * last, then the title is shortened at a word boundary, and last the link leaves the text (the post's {@code link}
     * field still carries it; only a very long {@code base_url} gets there).
     */
    static Post post(Channel c, String title, String meta, List<String> highlights, String link, List<String> tags) {
        String separator = c.maxChars <= 500 ? " " : "\n\n";
        int limit = c == Channel.NEWSLETTER ? c.maxChars : Math.min(c.maxChars, 1300);
        for (int n = tags.size(); n >= 0; n--) {
            List<String> kept = tags.subList(0, n);
            String tail = link + (kept.isEmpty() ? "" : " " + String.join(" ", kept));
            String head = head(c, title, meta, highlights, limit - Text.characters(tail) - separator.length(), false);
            if (!head.isEmpty()) {
                return new Post(head + separator + tail, kept);
            }
        }
        String shortened = head(c, title, meta, highlights, limit - Text.characters(link) - separator.length(), true);
        if (!shortened.isEmpty()) {
            return new Post(shortened + separator + link, List.of());
        }
        return new Post(head(c, title, meta, highlights, limit, true), List.of());
    }

    /**
     * The text before the link within {@code room} characters, or "" when it does not fit: a short channel's hook, or
     * a long channel's title, meta description (shortened with an ellipsis if need be) and highlights that do not
     * repeat it. With {@code shortenTitle} a title over the room is cut at a word boundary instead of giving up.
     */
    private static String head(Channel c, String title, String meta, List<String> highlights, int room, boolean shortenTitle) {
        if (c.maxChars <= 500 && !meta.isEmpty() && Text.characters(meta) <= room) {
            return meta;
        }
        if (Text.characters(title) > room) {
            return shortenTitle ? ContentMetrics.wholeWords(title, room) : "";
        }
        if (c.maxChars <= 500) {
            return title;
        }
        StringBuilder b = new StringBuilder(title);
        if (!meta.isEmpty() && Text.characters(b.toString()) + 2 + Text.characters(meta) <= room) {
            b.append("\n\n").append(meta);
        } else if (!meta.isEmpty() && room - Text.characters(b.toString()) - 3 >= MIN_SHORTENED_META) {
            String shortMeta = ContentMetrics.wholeWords(meta, room - Text.characters(b.toString()) - 3);
            if (!shortMeta.isEmpty()) {
                b.append("\n\n").append(shortMeta).append('…');
            }
        }
        for (String h : highlights.stream().filter(h -> !repeats(meta, h)).limit(2).toList()) {
            if (Text.characters(b.toString()) + 2 + Text.characters(h) <= room) {
                b.append("\n\n").append(h);
            }
        }
        return b.toString();
    }

    /**
     * The newsletter preheader: those of the meta description's whole sentences that fit in 100 characters, or, when
     * none does, its start cut at a word and ending in an ellipsis ("... a separate project. Below" read as a mistake).
     */
    static String preheader(String meta) {
        StringBuilder b = new StringBuilder();
        for (String sentence : ContentMetrics.sentences(meta)) {
            if (sentence.endsWith("…")) {
                continue; // shortened to fit the meta description
            }
            if (Text.characters(b.toString()) + (b.isEmpty() ? 0 : 1) + Text.characters(sentence) <= PREHEADER_MAX) {
                b.append(b.isEmpty() ? "" : " ").append(sentence);
            }
        }
        if (!b.isEmpty()) {
            return b.toString();
        }
        String cut = ContentMetrics.wholeWords(meta, PREHEADER_MAX - 1);
        return cut.isEmpty() ? "" : cut + "…";
    }

    /** Whether the meta description already holds the sentence, whole or as a shortened copy ending in "…". */
    static boolean repeats(String meta, String sentence) {
        if (meta.contains(sentence)) {
            return true;
        }
        for (String part : ContentMetrics.sentences(meta)) {
            String start = part.replaceAll("…$", "").trim();
            if (start.length() >= 20 && sentence.startsWith(start)) { // long enough not to match by chance
                return true;
            }
        }
        return false;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
