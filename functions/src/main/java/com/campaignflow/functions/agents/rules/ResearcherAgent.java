package com.campaignflow.functions.agents.rules;

import static com.campaignflow.functions.agents.text.ContentMetrics.capitalize;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Research notes from the company context, audience and objective: key terms by frequency (stopwords removed),
 * named entities, audience pain points and goals, insights classified by facet (market, audience, competitors) with
 * a source id pointing at the input sentence they came from, and questions the content should answer.
 * With {@code parameters.focus} (market | audience | competitors, used by the parallel strategy) the notes keep the
 * insights of that facet first, draw key terms from the facet's sentences and ask facet-specific questions.
 *
 * <p>Output: see {@link ResearchNotes}; {@code focus} is the facet or "general", {@code degraded} is false; each
 * insight carries its main {@code facet} and every facet it {@code touches} ({@code facets}).
 * Quality: {@link ResearchNotes#quality}.
 */
public final class ResearcherAgent implements Agent {

    static final List<String> FACETS = List.of("market", "audience", "competitors");
    private static final Map<String, Set<String>> FACET_CUES = Map.of(
            "market", Set.of("market", "industry", "companies", "company", "pricing", "price", "tier", "release",
                    "launch", "platform", "segment", "mid-sized", "enterprise", "saas", "demand", "growth", "revenue",
                    "customers", "sign-ups", "product", "products"),
            "audience", Set.of("team", "teams", "heads", "engineers", "managers", "users", "people", "employees",
                    "audience", "readers", "buyers", "marketers", "founders", "developers", "leaders", "staff"),
            "competitors", Set.of("legacy", "replacing", "replace", "competitor", "competitors", "alternative",
                    "alternatives", "incumbent", "third", "instead", "versus", "vs", "unlike", "switch", "switching"));
    private static final Set<String> PAIN_CUES = Set.of("legacy", "replacing", "replace", "struggle", "struggling",
            "slow", "costly", "expensive", "manual", "risk", "risky", "hard", "difficult", "lack", "fragmented",
            "complex", "outdated", "churn", "waste", "compliance", "breach", "silo", "silos", "overhead", "sending");
    private static final Set<String> GOAL_CUES = Set.of("get", "drive", "increase", "improve", "let", "lets", "help",
            "reduce", "grow", "save", "faster", "trustworthy", "insights", "scale", "launch", "understand", "win", "sign-ups");
    private static final Pattern ENTITY = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:\\p{Lu}[\\p{L}\\p{N}&-]*|[\\p{Lu}\\p{N}]{2,})(?:\\s+\\p{Lu}[\\p{L}\\p{N}&-]*)*(?![\\p{L}\\p{N}])");

    @Override
    public String name() {
        return "researcher";
    }

    @Override
    public void checkParameters(Map<String, Object> parameters) {
        focus(parameters);
    }

    private static String focus(Map<String, Object> parameters) {
        String focus = Inputs.stringParam(parameters, "focus").map(f -> f.toLowerCase(Locale.ROOT)).orElse("general");
        if (!focus.equals("general") && !FACETS.contains(focus)) {
            throw new AgentFailedException("parameter focus must be one of " + FACETS + ", got '" + focus + "'");
        }
        return focus;
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        String focus = focus(input.parameters());
        ObjectNode notes = notes(facts, focus);
        double quality = ResearchNotes.quality(notes);
        String summary = ContentMetrics.truncateAtWord("Research (" + focus + "): " + notes.path("insights").size()
                + " insights, " + notes.path("audience").path("pain_points").size() + " pain points, top terms "
                + topTerms(notes, 3), 200);
        return new AgentOutput(notes, quality, summary);
    }

    private static ObjectNode notes(CampaignFacts facts, String focus) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("focus", focus);
        n.put("degraded", false);
        ArrayNode sources = ResearchNotes.sources(facts);

        List<ObjectNode> insights = new ArrayList<>();
        for (JsonNode s : sources) {
            String text = fullSentence(facts, s.path("id").asText());
            ObjectNode i = JsonNodeFactory.instance.objectNode();
            i.put("text", text);
            i.put("source_id", s.path("id").asText());
            i.put("facet", facetOf(text, s.path("kind").asText()));
            facetsOf(text, s.path("kind").asText()).forEach(i.putArray("facets")::add);
            insights.add(i);
        }
        if (!focus.equals("general")) {
            // Insights mainly about the focused facet, then those touching it, then at most two others as context.
            List<ObjectNode> own = insights.stream().filter(i -> touches(i, focus))
                    .sorted(java.util.Comparator.comparingInt(i -> i.path("facet").asText().equals(focus) ? 0 : 1)).toList();
            List<ObjectNode> others = insights.stream().filter(i -> !touches(i, focus)).limit(2).toList();
            insights = new ArrayList<>(own);
            insights.addAll(others);
        }
        String termText = String.join(" ", insights.stream().map(i -> i.path("text").asText()).toList());
        n.set("key_terms", ResearchNotes.keyTerms(termText, 10));

        ArrayNode insightsNode = n.putArray("insights");
        for (int k = 0; k < insights.size(); k++) {
            ObjectNode i = insights.get(k);
            i.put("id", "I" + (k + 1));
            insightsNode.add(i);
        }
        entities(facts).forEach(n.putArray("entities")::add);

        ObjectNode audience = n.putObject("audience");
        audience.put("description", facts.audience());
        audience.put("short", facts.audienceShort());
        ArrayNode pains = audience.putArray("pain_points");
        ArrayNode goals = audience.putArray("goals");
        classifyClauses(facts, pains, goals);
        n.set("sources", sources);
        questions(facts, focus).forEach(n.putArray("questions")::add);
        return n;
    }

    private static String fullSentence(CampaignFacts facts, String sourceId) {
        String[] parts = sourceId.split("#");
        int index = Integer.parseInt(parts[1]) - 1;
        return switch (parts[0]) {
            case "company_context" -> facts.contextSentences().get(index);
            case "target_audience" -> facts.audienceSentences().get(index);
            default -> facts.objectiveSentences().get(index);
        };
    }

    private static boolean touches(JsonNode insight, String facet) {
        for (JsonNode f : insight.path("facets")) {
            if (f.asText().equals(facet)) {
                return true;
            }
        }
        return false;
    }

    /** Every facet with at least one cue word in the text (audience sentences always touch the audience facet). */
    static List<String> facetsOf(String text, String kind) {
        List<String> out = new ArrayList<>();
        for (String facet : FACETS) {
            boolean audienceField = facet.equals("audience") && kind.equals("target_audience");
            if (audienceField || ContentMetrics.words(text).stream()
                    .anyMatch(w -> FACET_CUES.get(facet).contains(w.toLowerCase(Locale.ROOT)))) {
                out.add(facet);
            }
        }
        return out;
    }

    /** The facet whose cue words occur most in the text; audience sentences are audience insights. */
    static String facetOf(String text, String kind) {
        if (kind.equals("target_audience")) {
            return "audience";
        }
        String best = "market";
        int bestHits = 0;
        for (String facet : FACETS) {
            int hits = 0;
            for (String w : ContentMetrics.words(text)) {
                if (FACET_CUES.get(facet).contains(w.toLowerCase(Locale.ROOT))) {
                    hits++;
                }
            }
            if (hits > bestHits) {
                best = facet;
                bestHits = hits;
            }
        }
        return best;
    }

    /** Audience and objective clauses: "without X" names a pain; cue words sort the rest into pains and goals. */
    private static void classifyClauses(CampaignFacts facts, ArrayNode pains, ArrayNode goals) {
        Set<String> seen = new LinkedHashSet<>();
        record Clause(String text, String sourceId) {
        }
        List<Clause> clauses = new ArrayList<>();
        addClauses(clauses, facts.audienceSentences(), "target_audience", Clause::new);
        addClauses(clauses, facts.objectiveSentences(), "content_objective", Clause::new);
        for (Clause c : clauses) {
            String[] split = c.text().split("(?i)\\s+without\\s+", 2);
            if (split.length == 2 && seen.add(split[1])) {
                pains.addObject().put("text", split[1]).put("source_id", c.sourceId());
            }
            String rest = split[0].replaceFirst("(?i)^(who|that|which|how|and)\\s+", "")
                    .replaceFirst("(?i)^(are|is)\\s+", "").trim();
            if (ContentMetrics.wordCount(rest) < 3 || !seen.add(rest)) {
                continue;
            }
            int pain = cueHits(rest, PAIN_CUES);
            int goal = cueHits(rest, GOAL_CUES);
            if (pain > 0 && pain >= goal) {
                pains.addObject().put("text", asGerund(rest)).put("source_id", c.sourceId());
            } else if (goal > 0) {
                goals.addObject().put("text", rest).put("source_id", c.sourceId());
            }
        }
    }

    private static <C> void addClauses(List<C> out, List<String> sentences, String kind,
                                       java.util.function.BiFunction<String, String, C> make) {
        for (int i = 0; i < sentences.size(); i++) {
            for (String clause : sentences.get(i).replaceAll("[.!?]+$", "").split(",\\s*|;\\s*|\\s+and\\s+(?=[a-z]+s?\\s)|\\s+who\\s+|\\s+so that\\s+")) {
                String c = clause.trim();
                String first = c.split("\\s+")[0].toLowerCase(Locale.ROOT);
                if (Set.of("explain", "show", "describe", "demonstrate", "highlight").contains(first)) {
                    c = c.substring(first.length()).trim();
                }
                if (!c.isEmpty()) {
                    out.add(make.apply(c, kind + "#" + (i + 1)));
                }
            }
        }
    }

    private static final Set<String> PAIN_VERBS = Set.of("struggle", "fight", "deal", "wait", "spend", "waste", "lose",
            "worry", "juggle", "replace", "manage", "chase", "miss", "pay", "rely", "depend", "lack");

    /** "struggle with late deliveries" -> "struggling with late deliveries", so writers can say "stuck struggling ...". */
    static String asGerund(String clause) {
        String[] parts = clause.split("\\s+", 2);
        String verb = parts[0].toLowerCase(Locale.ROOT);
        if (!PAIN_VERBS.contains(verb)) {
            return clause;
        }
        String stem = verb.endsWith("e") && !verb.endsWith("ee") ? verb.substring(0, verb.length() - 1)
                : verb.matches(".*[^aeiou][aeiou][pt]") && !verb.equals("wait") ? verb + verb.charAt(verb.length() - 1) : verb;
        return stem + "ing" + (parts.length > 1 ? " " + parts[1] : "");
    }

    private static int cueHits(String text, Set<String> cues) {
        int hits = 0;
        for (String w : ContentMetrics.words(text)) {
            if (cues.contains(w.toLowerCase(Locale.ROOT))) {
                hits++;
            }
        }
        return hits;
    }

    /** Capitalised names and acronyms; a lone capitalised stopword at a sentence start is not a name. */
    static List<String> entities(CampaignFacts facts) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(facts.contextSentences());
        all.addAll(facts.audienceSentences());
        all.addAll(facts.objectiveSentences());
        for (String sentence : all) {
            Matcher m = ENTITY.matcher(sentence);
            while (m.find()) {
                String e = m.group().trim();
                boolean sentenceStart = m.start() == 0;
                if (sentenceStart && e.contains(" ") && CampaignFacts.isOpeningWord(e.substring(0, e.indexOf(' ')))) {
                    e = e.substring(e.indexOf(' ') + 1); // "At Acme Commerce, we ..." names Acme Commerce
                }
                if (e.chars().noneMatch(Character::isLetter)) {
                    continue;
                }
                boolean single = !e.contains(" ");
                if (sentenceStart && single && (ContentMetrics.STOPWORDS.contains(e.toLowerCase(Locale.ROOT))
                        || !e.chars().skip(1).anyMatch(Character::isUpperCase) && !e.equals(facts.company()))) {
                    continue;
                }
                out.add(e);
            }
        }
        return out.stream().limit(12).toList();
    }

    private static List<String> questions(CampaignFacts f, String focus) {
        String a = f.audienceShort();
        String p = f.primaryKeyword();
        String s = f.secondaryKeywords().isEmpty() ? p : f.secondaryKeywords().getFirst();
        List<String> q = new ArrayList<>();
        switch (focus) {
            case "market" -> {
                q.add("Which market shift makes " + p + " urgent for " + a + " now?");
                q.add("How does " + f.company() + "'s pricing and packaging compare for teams of this size?");
                q.add("Which numbers show demand for " + s + "?");
            }
            case "audience" -> {
                q.add("What does a typical week look like for " + a + "?");
                q.add("Which pain point costs " + a + " the most time today?");
                q.add("What would convince " + a + " to try " + s + "?");
            }
            case "competitors" -> {
                q.add("What do " + a + " use today instead of " + f.company() + "?");
                q.add("Where do legacy tools fall short on " + p + "?");
                q.add("What makes switching to " + f.company() + " low-risk?");
            }
            default -> {
                q.add("What do " + a + " need to know about " + p + "?");
                q.add("Which proof shows that " + f.company() + " delivers " + s + "?");
                q.add("What objections will " + a + " raise, and how does the content answer them?");
            }
        }
        return q.stream().map(x -> capitalize(x)).toList();
    }

    static String topTerms(JsonNode notes, int n) {
        List<String> terms = new ArrayList<>();
        notes.path("key_terms").forEach(t -> terms.add(t.path("term").asText()));
        return String.join(", ", terms.stream().limit(n).toList());
    }

}
