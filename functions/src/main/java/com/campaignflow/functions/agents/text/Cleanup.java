package com.campaignflow.functions.agents.text;

import java.util.ArrayList;
import java.util.List;

/** Whitespace and heading normalisation, shared by the editor and the basic QA fallback. */
public final class Cleanup {

    private Cleanup() {
    }

    /**
     * Collapses runs of whitespace, removes spaces before punctuation that ends a word (not before ".NET" or "!!!"
     * starting one) and adds one after sentence punctuation.
     */
    public static String whitespace(String text) {
        return text.replaceAll("\\s+", " ")
                .replaceAll("\\s+([,.;:!?]+)(?=[\\s\"')\\]’”]|$)", "$1")
                .replaceAll("([,;:])(?=[A-Za-z])", "$1 ")
                .replaceAll("([.!?])(?=[A-Z][a-z])", "$1 ")
                .trim();
    }

    /** A heading without markdown markers or trailing punctuation, in title case; null stays null. */
    public static String heading(String heading) {
        if (heading == null) {
            return null;
        }
        String h = whitespace(heading.replaceFirst("^#+\\s*", "")).replaceAll("[.:;,]+$", "");
        return h.isEmpty() ? null : ContentMetrics.titleCase(h);
    }

    /** One changed item, reported by the agent that changed it. */
    public record Change(String type, String where, String detail) {
    }

    /** Normalises every heading, paragraph and the title; empty paragraphs go. Changes are appended to {@code changes}. */
    public static Article normalise(Article article, List<Change> changes) {
        String title = whitespace(article.title().replaceFirst("^#+\\s*", ""));
        if (!title.equals(article.title())) {
            changes.add(new Change("title_normalised", "title", title));
        }
        List<Article.Section> sections = new ArrayList<>();
        for (int i = 0; i < article.sections().size(); i++) {
            Article.Section s = article.sections().get(i);
            String where = where(s, i);
            String heading = heading(s.heading());
            if (heading != null && !heading.equals(s.heading())) {
                changes.add(new Change("heading_normalised", where, s.heading() + " -> " + heading));
            }
            List<String> paragraphs = new ArrayList<>();
            for (String p : s.paragraphs()) {
                String clean = whitespace(p);
                if (clean.isEmpty()) {
                    changes.add(new Change("empty_paragraph_removed", where, ""));
                    continue;
                }
                if (!clean.equals(p)) {
                    changes.add(new Change("whitespace_normalised", where, ContentMetrics.truncateAtWord(clean, 60)));
                }
                paragraphs.add(clean);
            }
            sections.add(new Article.Section(heading, paragraphs));
        }
        return new Article(title, sections);
    }

    /** How a change names its section: the heading, or "section N" for an untitled one. */
    public static String where(Article.Section s, int index) {
        return s.heading() == null ? "section " + (index + 1) : s.heading();
    }
}
