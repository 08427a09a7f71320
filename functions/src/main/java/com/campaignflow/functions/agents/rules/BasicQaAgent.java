package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.Cleanup;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.Text;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The degraded fallback for the editor and for SEO: whitespace and heading normalisation, a title (at most 60
 * characters, by truncation), a meta description from the lead (120–160 characters) and a slug, plus a checklist of
 * simple checks. No sentence editing, no keyword analysis. {@code degraded} is true.
 *
 * <p>Output: {@code degraded, article{...}, title{text, length}, meta_description{text, length}, slug,
 * checklist[{check, passed, detail}], issues[], changes[{type, where, detail}], sentences_needing_edit}.
 *
 * <p>Quality = share of checklist items passed (title length, meta description length, enough headings, no empty
 * sections, primary keyword in the title, every keyword in the body, no sentence over 30 words) × {@value #CAP}
 * × (1 − share of sentences the editor would still change: over 25 words, or with filler words or wordy phrases).
 * The cap stands for the work a full pass does and this one does not (sentence editing, keyword placement), so a
 * degraded step never scores as well as the editor or SEO agent it replaces would on the same draft.
 */
public final class BasicQaAgent implements Agent {

    /** The best a fallback with no editing and no keyword optimisation can score. */
    static final double CAP = 0.75;

    @Override
    public String name() {
        return "basic_qa";
    }

    @Override
    public AgentOutput run(AgentInput input) {
        Article draft = Inputs.requireArticle(input, "basic_qa", "editor", "writer");
        CampaignFacts facts = CampaignFacts.of(input.request());
        List<Cleanup.Change> changes = new ArrayList<>();
        Article article = Cleanup.normalise(draft, changes);
        String title = SeoRules.shortTitle(article.title());
        List<String> metaSources = new ArrayList<>(ContentMetrics.sentences(article.lead()));
        metaSources.add(article.title() + ".");
        String meta = SeoRules.metaDescription(metaSources);
        String slug = SeoRules.slug(title);
        String body = article.bodyText();

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("degraded", true);
        out.set("article", article.toJson());
        out.putObject("title").put("text", title).put("length", Text.characters(title));
        out.putObject("meta_description").put("text", meta).put("length", Text.characters(meta));
        out.put("slug", slug);

        ArrayNode checklist = out.putArray("checklist");
        ArrayNode issues = JsonNodeFactory.instance.arrayNode();
        check(checklist, issues, "title_length", Text.characters(title) <= SeoRules.TITLE_MAX,
                Text.characters(title) + " characters");
        check(checklist, issues, "meta_description_length",
                Text.characters(meta) >= SeoRules.META_MIN && Text.characters(meta) <= SeoRules.META_MAX,
                Text.characters(meta) + " characters");
        check(checklist, issues, "enough_headings", article.headings().size() >= facts.profile().minHeadings,
                article.headings().size() + " H2 headings, " + facts.profile().minHeadings + " wanted");
        long empty = article.sections().stream().filter(s -> s.paragraphs().isEmpty()).count();
        check(checklist, issues, "no_empty_sections", empty == 0, empty + " empty sections");
        check(checklist, issues, "primary_keyword_in_title", ContentMetrics.occurrences(title, facts.primaryKeyword()) > 0,
                "'" + facts.primaryKeyword() + "'");
        List<String> missing = facts.keywords().stream().filter(k -> ContentMetrics.occurrences(body, k) == 0).toList();
        check(checklist, issues, "keywords_in_body", missing.isEmpty(), missing.isEmpty() ? "all present" : "missing " + missing);
        long veryLong = ContentMetrics.sentences(body).stream().filter(s -> ContentMetrics.wordCount(s) > 30).count();
        check(checklist, issues, "no_very_long_sentences", veryLong == 0, veryLong + " sentences over 30 words");
        out.set("issues", issues);
        ArrayNode changesNode = out.putArray("changes");
        changes.forEach(c -> changesNode.addObject().put("type", c.type()).put("where", c.where()).put("detail", c.detail()));

        long passed = 0;
        for (var c : checklist) {
            passed += c.path("passed").asBoolean() ? 1 : 0;
        }
        List<java.util.regex.Pattern> protectedTerms = EditorAgent.protectedTerms(facts);
        List<String> sentences = ContentMetrics.sentences(body);
        long unedited = sentences.stream().filter(s -> EditorAgent.needsEditing(s, protectedTerms)).count();
        out.put("sentences_needing_edit", unedited);
        double editingLeft = sentences.isEmpty() ? 0 : (double) unedited / sentences.size();
        double quality = ContentMetrics.round(Math.max(0.01,
                (double) passed / checklist.size() * CAP * (1 - editingLeft)), 3);
        return new AgentOutput(out, quality, ContentMetrics.truncateAtWord("Basic QA (degraded): " + passed + "/"
                + checklist.size() + " checks passed, " + unedited + " sentences left unedited, title " + Text.characters(title)
                + " chars, meta " + Text.characters(meta) + " chars", 200));
    }

    private static void check(ArrayNode checklist, ArrayNode issues, String name, boolean passed, String detail) {
        checklist.addObject().put("check", name).put("passed", passed).put("detail", detail);
        if (!passed) {
            issues.add(name + ": " + detail);
        }
    }
}
