package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The research notes shape shared by researcher and basic_research, its quality measure, and the merge of several
 * notes (researcher_a/_b/_c of a parallel plan) that the writer reads.
 *
 * <p>Fields: {@code focus, degraded, key_terms[{term,count}], entities[], audience{description, short,
 * pain_points[{text,source_id}], goals[{text,source_id}]}, insights[{id,text,source_id,facet,facets[]}],
 * sources[{id,kind,excerpt}], questions[]}.
 */
final class ResearchNotes {

    private ResearchNotes() {
    }

    /** One source per sentence of each request field: ids like {@code company_context#2}. */
    static ArrayNode sources(CampaignFacts facts) {
        ArrayNode sources = JsonNodeFactory.instance.arrayNode();
        addSources(sources, "company_context", facts.contextSentences());
        addSources(sources, "target_audience", facts.audienceSentences());
        addSources(sources, "content_objective", facts.objectiveSentences());
        return sources;
    }

    private static void addSources(ArrayNode sources, String kind, List<String> sentences) {
        for (int i = 0; i < sentences.size(); i++) {
            ObjectNode s = sources.addObject();
            s.put("id", kind + "#" + (i + 1));
            s.put("kind", kind);
            s.put("excerpt", ContentMetrics.truncateAtWord(sentences.get(i), 160));
        }
    }

    static ArrayNode keyTerms(String text, int limit) {
        ArrayNode terms = JsonNodeFactory.instance.arrayNode();
        for (ContentMetrics.Term t : ContentMetrics.topTerms(text, limit)) {
            terms.addObject().put("term", t.term()).put("count", t.count());
        }
        return terms;
    }

    /**
     * Quality of notes = mean over seven facets of clamp(count / wanted): key terms (8), entities (2),
     * pain points (2), goals (2), insights (5), sources (4), questions (3). Fewer facets (basic research) score lower.
     */
    static double quality(JsonNode notes) {
        double[] facets = {
                fill(notes.path("key_terms"), 8), fill(notes.path("entities"), 2),
                fill(notes.path("audience").path("pain_points"), 2), fill(notes.path("audience").path("goals"), 2),
                fill(notes.path("insights"), 5), fill(notes.path("sources"), 4), fill(notes.path("questions"), 3)};
        double sum = 0;
        for (double f : facets) {
            sum += f;
        }
        return ContentMetrics.round(Math.max(0.01, sum / facets.length), 3);
    }

    private static double fill(JsonNode array, int wanted) {
        return ContentMetrics.clamp((double) array.size() / wanted);
    }

    /** Merges notes: union of insights, pain points, goals, sources, questions (first wins), summed term counts. */
    static ObjectNode merge(List<JsonNode> notes) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> terms = new LinkedHashMap<>();
        Set<String> entities = new LinkedHashSet<>();
        Map<String, JsonNode> insights = new LinkedHashMap<>();
        Map<String, JsonNode> pains = new LinkedHashMap<>();
        Map<String, JsonNode> goals = new LinkedHashMap<>();
        Map<String, JsonNode> sources = new LinkedHashMap<>();
        Set<String> questions = new LinkedHashSet<>();
        boolean degraded = false;
        ArrayNode foci = merged.putArray("foci");
        for (JsonNode n : notes) {
            degraded |= n.path("degraded").asBoolean(false);
            if (n.hasNonNull("focus")) {
                foci.add(n.get("focus").asText());
            }
            n.path("key_terms").forEach(t -> terms.merge(t.path("term").asText(), t.path("count").asInt(1), Integer::sum));
            n.path("entities").forEach(e -> entities.add(e.asText()));
            n.path("insights").forEach(i -> insights.putIfAbsent(i.path("text").asText(), i));
            n.path("audience").path("pain_points").forEach(p -> pains.putIfAbsent(p.path("text").asText(), p));
            n.path("audience").path("goals").forEach(g -> goals.putIfAbsent(g.path("text").asText(), g));
            n.path("sources").forEach(s -> sources.putIfAbsent(s.path("id").asText(), s));
            n.path("questions").forEach(q -> questions.add(q.asText()));
        }
        merged.put("degraded", degraded);
        ArrayNode termsNode = merged.putArray("key_terms");
        terms.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> termsNode.addObject().put("term", e.getKey()).put("count", e.getValue()));
        entities.forEach(merged.putArray("entities")::add);
        ObjectNode audience = merged.putObject("audience");
        pains.values().forEach(audience.putArray("pain_points")::add);
        goals.values().forEach(audience.putArray("goals")::add);
        insights.values().forEach(merged.putArray("insights")::add);
        sources.values().forEach(merged.putArray("sources")::add);
        questions.forEach(merged.putArray("questions")::add);
        return merged;
    }
}
