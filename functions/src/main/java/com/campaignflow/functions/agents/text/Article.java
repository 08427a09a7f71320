package com.campaignflow.functions.agents.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A piece of content as the writer, editor and QA agents pass it on: a title and sections of paragraphs. On the
 * wire (inside agent outputs) it is {@code {"title","sections":[{"heading","paragraphs":[..]}],"markdown","word_count"}};
 * {@code markdown} and {@code word_count} are derived and ignored when read back.
 *
 * @param title    the H1 / subject / headline
 * @param sections in order; a section with a null heading is an untitled lead (intro) section
 */
public record Article(String title, List<Section> sections) {

    public Article {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("article title is missing");
        }
        sections = List.copyOf(sections);
    }

    /** One section: an optional H2 heading and its paragraphs. */
    public record Section(String heading, List<String> paragraphs) {
        public Section {
            paragraphs = List.copyOf(paragraphs);
        }
    }

    /** The body text: every paragraph, blank-line separated, without headings. */
    public String bodyText() {
        List<String> paragraphs = new ArrayList<>();
        sections.forEach(s -> paragraphs.addAll(s.paragraphs()));
        return String.join("\n\n", paragraphs);
    }

    public List<String> headings() {
        return sections.stream().map(Section::heading).filter(h -> h != null && !h.isBlank()).toList();
    }

    public int wordCount() {
        return ContentMetrics.wordCount(bodyText());
    }

    /** The first paragraph of the article (the lead), or "" when there is none. */
    public String lead() {
        return sections.stream().flatMap(s -> s.paragraphs().stream()).findFirst().orElse("");
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n");
        for (Section s : sections) {
            if (s.heading() != null && !s.heading().isBlank()) {
                b.append("\n## ").append(s.heading()).append("\n");
            }
            for (String p : s.paragraphs()) {
                b.append("\n").append(p).append("\n");
            }
        }
        return b.toString();
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("title", title);
        ArrayNode sectionsNode = node.putArray("sections");
        for (Section s : sections) {
            ObjectNode sn = sectionsNode.addObject();
            if (s.heading() == null) {
                sn.putNull("heading");
            } else {
                sn.put("heading", s.heading());
            }
            ArrayNode ps = sn.putArray("paragraphs");
            s.paragraphs().forEach(ps::add);
        }
        node.put("markdown", markdown());
        node.put("word_count", wordCount());
        return node;
    }

    /** Reads an article back; throws IllegalArgumentException naming the missing part. */
    public static Article fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("article is not a JSON object");
        }
        String title = node.path("title").asText("");
        JsonNode sectionsNode = node.path("sections");
        if (!sectionsNode.isArray() || sectionsNode.isEmpty()) {
            throw new IllegalArgumentException("article has no sections");
        }
        List<Section> sections = new ArrayList<>();
        for (JsonNode sn : sectionsNode) {
            List<String> paragraphs = new ArrayList<>();
            sn.path("paragraphs").forEach(p -> paragraphs.add(p.asText()));
            JsonNode h = sn.get("heading");
            sections.add(new Section(h == null || h.isNull() ? null : h.asText(), paragraphs));
        }
        return new Article(title, sections);
    }
}
