package com.campaignflow.functions.agents.rules;

import static com.campaignflow.functions.agents.text.ContentMetrics.capitalize;
import static com.campaignflow.functions.agents.text.ContentMetrics.clamp;
import static com.campaignflow.functions.agents.text.ContentMetrics.titleCase;
import static com.campaignflow.functions.agents.text.ContentMetrics.truncateAtWord;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the campaign request into a content brief: angle, key messages, an outline shaped by the content type,
 * target length, keyword plan and tone.
 *
 * <p>Output: {@code content_type, angle, tone, audience, audience_short, company, key_messages[],
 * outline[{id, heading, kind, purpose, focus_terms[], target_words}], target_words,
 * keyword_plan{primary, secondary[], source}, call_to_action, format{...}} where {@code format} carries
 * {@code subject, preheader} for email, {@code posts} for social media, {@code dateline} for press releases.
 *
 * <p>Quality = 0.3 × structure (outline sections / sections the content type wants, capped at 1)
 * + 0.3 × keyword plan (1 with request keywords, 0.6 when extracted from the text, scaled by secondary keywords / 3)
 * + 0.2 × key messages (count / 4, capped) + 0.2 × context richness (words of context and objective / 60, capped).
 */
public final class PlannerAgent implements Agent {

    private static final Set<String> IMPERATIVES = Set.of("explain", "show", "describe", "demonstrate", "highlight",
            "introduce", "announce", "promote", "present", "teach", "educate", "convince", "inform", "tell", "position");
    /** Imperatives whose object is the reader ("Convince skeptical CFOs that ..."), not the message. */
    private static final Set<String> READER_VERBS = Set.of("convince", "tell", "inform", "teach", "educate", "show");
    /** What the objective asks to get across: a how/why/what/when or a "that" clause within the first words. */
    private static final java.util.regex.Pattern MESSAGE_CLAUSE = java.util.regex.Pattern.compile(
            "^((?:\\S+\\s+){0,5}?)(?:((?:how|why|what|when)\\s.*)|that\\s+(.*))$", java.util.regex.Pattern.CASE_INSENSITIVE);
    /**
     * Clauses that state the marketer's goal, not a message for the reader: "drive sign-ups", "sell socks", "recruit
     * 50 volunteers", "get 30 clinics to start a trial", and a reader verb left with no message ("persuade partners to
     * switch"; with a how/that clause the message is kept instead).
     */
    private static final String CTA_VERBS = "drive|increase|generate|boost|grow|get more|get \\d+|encourage|convert|win"
            + "|book|raise awareness|build awareness|create awareness|spread the word|sell|recruit|bring|attract|acquire"
            + "|gain|sign up|fill|collect|reach|persuade|convince";

    @Override
    public String name() {
        return "planner";
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        // The writer's length and tone shape the brief too, so a request that sets them once gets a consistent plan.
        Map<String, Object> writerParams = input.request().agentParameters().getOrDefault("writer", Map.of());
        int targetWords = targetWords(input.parameters())
                .or(() -> targetWords(writerParams))
                .orElse(facts.profile().defaultWords);
        String tone = WriterAgent.tone(input.parameters())
                .or(() -> WriterAgent.tone(writerParams))
                .orElse(facts.profile().defaultTone);
        int posts = posts(input.parameters());
        ObjectNode brief = brief(facts, targetWords, tone, posts);
        return new AgentOutput(brief, quality(facts, brief), summary(brief));
    }

    @Override
    public void checkParameters(Map<String, Object> parameters) {
        targetWords(parameters);
        WriterAgent.tone(parameters);
        posts(parameters);
    }

    /**
     * An email subject within 60 characters, always a whole phrase: the keyword and the angle when they fit, else the
     * angle alone, else the keyword for the audience, else the keyword (a subject cut mid-phrase, such as "Product
     * Analytics: How warehouse-native funnels", reads as a mistake in an inbox and as the email's title).
     */
    static String subjectLine(String keyword, String angle, String audience) {
        List<String> candidates = List.of(keyword + ": " + angle, capitalize(angle), keyword + " for " + audience, keyword);
        return candidates.stream().filter(c -> c.length() <= 60).findFirst()
                .orElseGet(() -> truncateAtWord(keyword, 60));
    }

    /** The article length asked for (planner and writer parameter {@code target_words}). */
    static Optional<Integer> targetWords(Map<String, Object> parameters) {
        return Inputs.intParam(parameters, "target_words", 30, 5000);
    }

    private static int posts(Map<String, Object> parameters) {
        return Inputs.intParam(parameters, "posts", 1, 10).orElse(3);
    }

    /** The brief for a campaign; the writer builds one itself when a plan has no planner step. */
    static ObjectNode brief(CampaignFacts facts, int targetWords, String tone, int posts) {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        List<String> clauses = objectiveClauses(facts);
        String angle = angle(facts, clauses);
        String cta = callToAction(facts, clauses);
        b.put("content_type", facts.profile().wireName());
        b.put("angle", angle);
        b.put("tone", tone);
        b.put("audience", facts.audience());
        b.put("audience_short", facts.audienceShort());
        b.put("company", facts.company());
        ArrayNode messages = b.putArray("key_messages");
        keyMessages(facts, clauses).forEach(messages::add);
        b.put("target_words", targetWords);
        ObjectNode plan = b.putObject("keyword_plan");
        plan.put("primary", facts.primaryKeyword());
        ArrayNode secondary = plan.putArray("secondary");
        facts.secondaryKeywords().forEach(secondary::add);
        plan.put("source", facts.keywordsExtracted() ? "extracted_from_context" : "request_keywords");
        b.put("call_to_action", cta);
        ArrayNode outline = b.putArray("outline");
        outline(facts, posts).forEach(outline::add);
        allocateWords(outline, targetWords);
        ObjectNode format = b.putObject("format");
        switch (facts.profile()) {
            case EMAIL -> {
                format.put("subject", subjectLine(titleCase(facts.primaryKeyword()), angle,
                        titleCase(facts.audienceShort())));
                // The call to action is the marketer's instruction ("Drive sign-ups ..."); the reader sees an offer.
                format.put("preheader", truncateAtWord("See how " + facts.company() + " helps " + facts.audienceShort()
                        + " with " + facts.primaryKeyword(), 100));
            }
            case SOCIAL_MEDIA -> format.put("posts", posts);
            case PRESS_RELEASE -> format.put("dateline", "FOR IMMEDIATE RELEASE");
            default -> format.put("headline_style", "h1 with h2 sections");
        }
        return b;
    }

    /** The objective split at clause boundaries, each with its leading imperative verb removed where that is safe. */
    private static List<String> objectiveClauses(CampaignFacts facts) {
        List<String> out = new ArrayList<>();
        for (String sentence : facts.objectiveSentences()) {
            for (String clause : sentence.replaceAll("[.!]+$", "").split(",\\s+and\\s+|;\\s+|\\s+and\\s+(?=(?:" + CTA_VERBS + ")\\b)")) {
                String c = withoutImperative(clause.trim());
                if (!c.isEmpty()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * The message of an instruction to the writer: "Explain how X" -> "how X", "Show office managers how X" -> "how X"
     * and "Convince skeptical CFOs that X" -> "X" (the reader is already the audience), "Announce the new tier" ->
     * "the new tier". A verb not in the list, or a reader verb with no how/that clause after it ("Convince CFOs to
     * switch"), leaves the clause as written: stripping it would leave a fragment such as "Skeptical CFOs to switch".
     */
    static String withoutImperative(String clause) {
        String first = clause.split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (!IMPERATIVES.contains(first)) {
            return clause;
        }
        String rest = clause.substring(first.length()).trim();
        java.util.regex.Matcher m = MESSAGE_CLAUSE.matcher(rest);
        // Words before "that" belong to a reader verb's object; after another verb "so that X" is not the message.
        if (m.matches() && (m.group(2) != null || m.group(1).isEmpty() || READER_VERBS.contains(first))) {
            return m.group(2) != null ? m.group(2) : m.group(3);
        }
        return READER_VERBS.contains(first) ? clause : rest;
    }

    /** What the objective asks the content to get across, without its instructions and calls to action. */
    static List<String> objectiveMessages(CampaignFacts facts) {
        return objectiveClauses(facts).stream().filter(c -> !isCallToAction(c)).toList();
    }

    private static boolean isCallToAction(String clause) {
        return clause.toLowerCase(Locale.ROOT).matches("^(?:" + CTA_VERBS + ")\\b.*");
    }

    private static String angle(CampaignFacts facts, List<String> clauses) {
        return clauses.stream().filter(c -> !isCallToAction(c)).findFirst()
                .map(c -> capitalize(truncateAtWord(c, 160)))
                .orElseGet(() -> "What " + facts.primaryKeyword() + (ContentMetrics.isPlural(facts.primaryKeyword())
                        ? " mean" : " means") + " for " + facts.audienceShort());
    }

    private static String callToAction(CampaignFacts facts, List<String> clauses) {
        return clauses.stream().filter(PlannerAgent::isCallToAction).findFirst()
                .map(c -> capitalize(c))
                .orElseGet(() -> "See how " + facts.company() + " can help with " + facts.primaryKeyword());
    }

    /** Objective clauses first, then the context sentences that mention the most keywords; at most five. */
    private static List<String> keyMessages(CampaignFacts facts, List<String> clauses) {
        LinkedHashSet<String> messages = new LinkedHashSet<>();
        clauses.stream().filter(c -> !isCallToAction(c)).map(ContentMetrics::capitalize).forEach(messages::add);
        facts.contextSentences().stream()
                .sorted((a, b) -> Integer.compare(keywordHits(facts, b), keywordHits(facts, a)))
                .forEach(messages::add);
        return messages.stream().limit(5).toList();
    }

    private static int keywordHits(CampaignFacts facts, String text) {
        int hits = 0;
        for (String k : facts.keywords()) {
            hits += ContentMetrics.occurrences(text, k);
        }
        for (String w : ContentMetrics.words(text)) {
            for (String k : facts.keywords()) {
                if (k.contains(w.toLowerCase(Locale.ROOT)) && ContentMetrics.isContentWord(w.toLowerCase(Locale.ROOT))) {
                    hits++;
                }
            }
        }
        return hits;
    }

    private static List<ObjectNode> outline(CampaignFacts f, int posts) {
        List<ObjectNode> sections = new ArrayList<>();
        String primary = f.primaryKeyword();
        List<String> secondary = f.secondaryKeywords().stream().limit(3).toList();
        switch (f.profile()) {
            case BLOG_POST -> {
                sections.add(section("intro", null, "intro", "Open with the problem " + f.audienceShort() + " face and the angle", primary));
                sections.add(section("why", "Why " + titleCase(primary) + (ContentMetrics.isPlural(primary) ? " Matter" : " Matters") + " Now", "problem",
                        "Show the cost of the status quo for " + f.audienceShort(), primary));
                String[] templates = {"How %s %s in Practice", "What %s %s for Your Team", "Getting Value from %s"};
                String[][] verbs = {{"Works", "Work"}, {"Changes", "Change"}, {"", ""}};
                for (int i = 0; i < secondary.size(); i++) {
                    String verb = verbs[i][ContentMetrics.isPlural(secondary.get(i)) ? 1 : 0];
                    sections.add(section("topic_" + (i + 1), templates[i].formatted(titleCase(secondary.get(i)), verb), "body",
                            "Explain " + secondary.get(i) + " with evidence from the research", secondary.get(i)));
                }
                if (secondary.isEmpty()) {
                    sections.add(section("topic_1", "How " + titleCase(primary) + (ContentMetrics.isPlural(primary) ? " Work" : " Works") + " in Practice", "body",
                            "Explain " + primary + " with evidence from the research", primary));
                }
                sections.add(section("cta", "Getting Started with " + titleCase(f.company()), "cta", "Close with the call to action", primary));
            }
            case SOCIAL_MEDIA -> {
                String[] hooks = {"question", "insight", "tip"};
                for (int i = 0; i < posts; i++) {
                    String term = f.keywords().isEmpty() ? primary : f.keywords().get(i % f.keywords().size());
                    sections.add(section("post_" + (i + 1), "Post " + (i + 1), "post", (i % hooks.length == 1 ? "An " : "A ") + hooks[i % hooks.length] + " post about " + term, term));
                }
            }
            case EMAIL -> {
                sections.add(section("opening", null, "intro", "Greet and name the reader's problem", primary));
                sections.add(section("solution", null, "body", "Show how " + f.company() + " solves it", secondary.isEmpty() ? primary : secondary.getFirst()));
                sections.add(section("proof", null, "body", "Give one concrete detail from the context", secondary.size() > 1 ? secondary.get(1) : primary));
                sections.add(section("cta", null, "cta", "One clear call to action", primary));
            }
            case LANDING_PAGE -> {
                sections.add(section("hero", null, "intro", "Headline promise and sub-headline", primary));
                sections.add(section("benefits", "Why Teams Choose " + titleCase(f.company()), "problem", "Three benefits tied to pain points", primary));
                for (int i = 0; i < secondary.size(); i++) {
                    sections.add(section("feature_" + (i + 1), titleCase(secondary.get(i)), "body", "Feature and the outcome it brings", secondary.get(i)));
                }
                sections.add(section("how_it_works", "How It Works", "body", "Three steps from sign-up to value", primary));
                sections.add(section("cta", "Get Started", "cta", "The call to action", primary));
            }
            case PRESS_RELEASE -> {
                sections.add(section("lead", null, "intro", "Who, what, when, why in the first paragraph", primary));
                sections.add(section("details", "What Is New", "body", "Details of the announcement", secondary.isEmpty() ? primary : secondary.getFirst()));
                sections.add(section("quote", "What " + titleCase(f.company()) + " Says", "quote", "A quote from the company", primary));
                sections.add(section("about", "About " + titleCase(f.company()), "about", "Company boilerplate", primary));
            }
        }
        return sections;
    }

    private static ObjectNode section(String id, String heading, String kind, String purpose, String focusTerm) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("id", id);
        if (heading == null) {
            s.putNull("heading");
        } else {
            s.put("heading", heading);
        }
        s.put("kind", kind);
        s.put("purpose", purpose);
        s.putArray("focus_terms").add(focusTerm);
        return s;
    }

    /**
     * Intro and call to action get a short share (half a body section); the body sections share the rest. No floor
     * per section: the shares add up to the target, and the writer gives each section at least one sentence anyway.
     */
    private static void allocateWords(ArrayNode outline, int targetWords) {
        double units = 0;
        for (var s : outline) {
            units += weight(s.path("kind").asText());
        }
        for (var s : outline) {
            ((ObjectNode) s).put("target_words", (int) Math.max(1, Math.round(targetWords * weight(s.path("kind").asText()) / units)));
        }
    }

    private static double weight(String kind) {
        return switch (kind) {
            case "intro", "cta", "about" -> 0.5;
            default -> 1.0;
        };
    }

    private static double quality(CampaignFacts facts, ObjectNode brief) {
        int wanted = switch (facts.profile()) {
            case BLOG_POST -> 5;
            case SOCIAL_MEDIA -> brief.path("format").path("posts").asInt(3);
            default -> 4;
        };
        double structure = clamp((double) brief.path("outline").size() / wanted);
        double keywords = (facts.keywordsExtracted() ? 0.6 : 1.0) * (0.5 + 0.5 * clamp(facts.secondaryKeywords().size() / 3.0));
        double messages = clamp(brief.path("key_messages").size() / 4.0);
        String text = facts.request().companyContext() + " " + facts.request().contentObjective();
        double richness = clamp(ContentMetrics.wordCount(text) / 60.0);
        return ContentMetrics.round(Math.max(0.01, 0.3 * structure + 0.3 * keywords + 0.2 * messages + 0.2 * richness), 3);
    }

    private static String summary(ObjectNode brief) {
        return truncateAtWord("Brief: " + brief.path("content_type").asText() + ", " + brief.path("outline").size()
                + " sections, ~" + brief.path("target_words").asInt() + " words, primary keyword '"
                + brief.path("keyword_plan").path("primary").asText() + "'", 200);
    }
}
