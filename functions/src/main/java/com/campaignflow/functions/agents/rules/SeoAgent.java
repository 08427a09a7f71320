package com.campaignflow.functions.agents.rules;

import static com.campaignflow.functions.agents.text.ContentMetrics.titleCase;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.Text;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SEO analysis of the edited article (the writer's draft when no editor ran): per keyword presence in title,
 * headings, first paragraph and body with density; an SEO title of at most 60 characters containing the primary
 * keyword where possible, a meta description of 120–160 characters, a slug, a heading-structure check and
 * internal-link suggestions for secondary keywords the body mentions.
 *
 * <p>Output: {@code primary_keyword, keywords[{keyword, in_title, in_headings, in_first_paragraph, body_count,
 * density_percent}], keyword_issues[] (a keyword missing from the body or outside 0.3–3 % of its words),
 * keyword_coverage, title{text, length, max, within_limit, contains_primary},
 * meta_description{text, length, min, max, within_limit}, slug, headings{h1, h2, issues[], ok},
 * internal_links[{anchor, target, occurrences}], seo_score}.
 *
 * <p>Keyword coverage = mean over keywords of 0.2 × in title + 0.2 × in a heading + 0.2 × in the first paragraph
 * + 0.2 × in the body + 0.2 × density within 0.3–3 %. Quality ({@code seo_score}) = 0.5 × keyword coverage
 * + 0.15 × title within limit + 0.15 × meta description within limits + 0.1 × heading structure ok + 0.1 × slug valid.
 */
public final class SeoAgent implements Agent {

    /** Openings of sentences about the article itself, such as the writer's "Below, you will see where ...". */
    static final double DENSITY_MIN = 0.3;
    static final double DENSITY_MAX = 3.0;
    private static final Pattern BACK_REFERENCE = Pattern.compile("\\b(?:[Ii]t|[Tt]hey|them)\\b");
    private static final Pattern SIGNPOST = Pattern.compile(
            "^(?:below|in this (?:article|post|piece|guide)|this (?:article|post|piece|guide)|read on)\\b",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "seo";
    }

    @Override
    public AgentOutput run(AgentInput input) {
        Article article = Inputs.requireArticle(input, "seo", "editor", "writer");
        CampaignFacts facts = CampaignFacts.of(input.request());
        String primary = facts.primaryKeyword();
        String body = article.bodyText();
        String headings = String.join("\n", article.headings());

        String title = SeoRules.title(List.of(
                containing(article.title(), primary),
                containing(titleCase(primary) + ": " + article.title(), primary),
                titleCase(primary) + " for " + titleCase(facts.audienceShort()),
                article.title(),
                titleCase(primary)), article.title());
        String meta = SeoRules.metaDescription(metaCandidates(article, facts));
        String slug = SeoRules.slug(title);

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("primary_keyword", primary);
        ArrayNode keywords = out.putArray("keywords");
        List<String> keywordIssues = new ArrayList<>();
        double coverageSum = 0;
        for (String k : facts.keywords()) {
            boolean inTitle = ContentMetrics.occurrences(title, k) > 0;
            boolean inHeadings = ContentMetrics.occurrences(headings, k) > 0;
            boolean inLead = ContentMetrics.occurrences(article.lead(), k) > 0;
            int count = ContentMetrics.occurrences(body, k);
            double density = ContentMetrics.densityPercent(body, k);
            keywords.addObject().put("keyword", k).put("in_title", inTitle).put("in_headings", inHeadings)
                    .put("in_first_paragraph", inLead).put("body_count", count).put("density_percent", density);
            coverageSum += 0.2 * (inTitle ? 1 : 0) + 0.2 * (inHeadings ? 1 : 0) + 0.2 * (inLead ? 1 : 0)
                    + 0.2 * (count > 0 ? 1 : 0) + 0.2 * (density >= DENSITY_MIN && density <= DENSITY_MAX ? 1 : 0);
            densityIssue(k, count, density).ifPresent(keywordIssues::add);
        }
        keywordIssues.forEach(out.putArray("keyword_issues")::add);
        double coverage = facts.keywords().isEmpty() ? 0 : coverageSum / facts.keywords().size();
        out.put("keyword_coverage", ContentMetrics.round(coverage, 3));

        out.putObject("title").put("text", title).put("length", Text.characters(title)).put("max", SeoRules.TITLE_MAX)
                .put("within_limit", Text.characters(title) <= SeoRules.TITLE_MAX)
                .put("contains_primary", ContentMetrics.occurrences(title, primary) > 0);
        boolean metaOk = Text.characters(meta) >= SeoRules.META_MIN && Text.characters(meta) <= SeoRules.META_MAX;
        out.putObject("meta_description").put("text", meta).put("length", Text.characters(meta))
                .put("min", SeoRules.META_MIN).put("max", SeoRules.META_MAX).put("within_limit", metaOk);
        out.put("slug", slug);

        List<String> issues = headingIssues(article, facts);
        ObjectNode h = out.putObject("headings");
        h.put("h1", 1);
        h.put("h2", article.headings().size());
        issues.forEach(h.putArray("issues")::add);
        h.put("ok", issues.isEmpty());

        ArrayNode links = out.putArray("internal_links");
        for (String k : facts.secondaryKeywords()) {
            int n = ContentMetrics.occurrences(body, k);
            if (n > 0 && links.size() < 5) {
                links.addObject().put("anchor", k).put("target", "/" + facts.profile().urlPath + "/" + SeoRules.slug(k))
                        .put("occurrences", n);
            }
        }

        double score = 0.5 * coverage + 0.15 * (Text.characters(title) <= SeoRules.TITLE_MAX ? 1 : 0) + 0.15 * (metaOk ? 1 : 0)
                + 0.1 * (issues.isEmpty() ? 1 : 0) + 0.1 * (SeoRules.isSlug(slug) ? 1 : 0);
        score = ContentMetrics.round(Math.max(0.01, score), 3);
        out.put("seo_score", score);
        String summary = ContentMetrics.truncateAtWord("SEO " + score + ": title " + Text.characters(title) + " chars, meta "
                + Text.characters(meta) + " chars, keyword coverage " + ContentMetrics.round(coverage, 2) + ", slug " + slug, 200);
        return new AgentOutput(out, score, summary);
    }

    /** What is wrong with a keyword's share of the body's words, if anything. */
    static Optional<String> densityIssue(String keyword, int count, double density) {
        if (count == 0) {
            return Optional.of("'" + keyword + "' does not appear in the body");
        }
        if (density > DENSITY_MAX) {
            return Optional.of("'" + keyword + "' makes up " + density + " % of the words, above " + DENSITY_MAX
                    + " %: it reads as keyword stuffing");
        }
        if (density < DENSITY_MIN) {
            return Optional.of("'" + keyword + "' makes up only " + density + " % of the words, below "
                    + DENSITY_MIN + " %");
        }
        return Optional.empty();
    }

    /**
     * Whether a sentence of the article says something on its own, as a search snippet or a post quotes it: not one
     * about the article itself ("Below, you will see ..."), nor one whose "it"/"they" points back to a keyword named
     * in the sentence before it.
     */
    static boolean readsAlone(String sentence, CampaignFacts facts) {
        if (SIGNPOST.matcher(sentence).find()) {
            return false;
        }
        return !BACK_REFERENCE.matcher(sentence).find() || facts.keywords().stream()
                .anyMatch(k -> ContentMetrics.occurrences(sentence, k) > 0);
    }

    /** The text when it contains the keyword, else "" (skipped by {@link SeoRules#title}). */
    private static String containing(String text, String keyword) {
        return ContentMetrics.occurrences(text, keyword) > 0 ? text : "";
    }

    /**
     * Lead sentences with the primary keyword first, then the rest of the lead, then sentences built from the brief;
     * only lead sentences that {@link #readsAlone read alone}: a search snippet should say something.
     */
    static List<String> metaCandidates(Article article, CampaignFacts facts) {
        List<String> content = ContentMetrics.sentences(article.lead()).stream().filter(s -> readsAlone(s, facts)).toList();
        List<String> out = new ArrayList<>();
        content.stream().filter(s -> ContentMetrics.occurrences(s, facts.primaryKeyword()) > 0).forEach(out::add);
        content.stream().filter(s -> !out.contains(s)).forEach(out::add);
        out.add("Learn how " + facts.company() + " helps " + facts.audienceShort() + " with " + facts.primaryKeyword() + ".");
        out.add("A practical guide to " + String.join(", ", facts.keywords()) + ".");
        out.add(article.title() + ".");
        return out;
    }

    /** Structure problems: too few H2 sections for the content type, long or duplicate headings, empty sections. */
    static List<String> headingIssues(Article article, CampaignFacts facts) {
        List<String> issues = new ArrayList<>();
        int h2 = article.headings().size();
        if (h2 < facts.profile().minHeadings) {
            issues.add("only " + h2 + " H2 headings; a " + facts.profile().wireName() + " needs at least " + facts.profile().minHeadings);
        }
        Set<String> seen = new HashSet<>();
        for (String h : article.headings()) {
            if (Text.characters(h) > 70) {
                issues.add("heading longer than 70 characters: " + ContentMetrics.truncateAtWord(h, 40));
            }
            if (!seen.add(h.toLowerCase(Locale.ROOT))) {
                issues.add("duplicate heading: " + h);
            }
        }
        for (Article.Section s : article.sections()) {
            if (s.paragraphs().isEmpty()) {
                issues.add("empty section: " + (s.heading() == null ? "(untitled)" : s.heading()));
            }
        }
        return issues;
    }
}
