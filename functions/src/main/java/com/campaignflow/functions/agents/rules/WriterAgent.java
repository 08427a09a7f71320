package com.campaignflow.functions.agents.rules;

import static com.campaignflow.functions.agents.text.ContentMetrics.capitalize;
import static com.campaignflow.functions.agents.text.ContentMetrics.clamp;
import static com.campaignflow.functions.agents.text.ContentMetrics.titleCase;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the draft: follows the planner's outline (or builds the same brief itself when the plan had no planner),
 * fills each section up to its share of the target length with sentences from the research (insights taken from the
 * company context, audience pain points and goals; researcher, basic_research or researcher_a/_b/_c merged), the
 * brief's angle and call to action, and sentence patterns filled with the campaign's keywords, company and audience.
 * Pattern order and tone openers are seeded from the campaign, so output is deterministic.
 *
 * <p>Parameters: {@code target_words} (30..5000, default from the brief or the content type), {@code tone}.
 * Output: {@code article{title, sections[{heading, paragraphs[]}], markdown, word_count}, content_type, tone,
 * target_words, keywords_used[], keywords_missing[], sources_cited[], sections_written, research_steps,
 * research_degraded}.
 *
 * <p>Quality = 0.35 × length fit (1 − |words − target| / target, clamped) + 0.25 × keyword coverage (share of
 * keywords present in the body) + 0.2 × structure (sections with text / outline sections) + 0.2 × readability
 * ({@link ContentMetrics#readabilityScore}).
 */
public final class WriterAgent implements Agent {

    private static final List<String> PATTERNS = List.of(
            "{T} matters because it changes what {a} can decide on a normal working day.",
            "Start by listing the three questions your team asks most often, then check whether {t} answers them.",
            "A useful test for {t} is simple: does it save someone on the team real time every week?",
            "Teams that adopt {t} usually see the first benefit in fewer hand-offs and shorter review cycles.",
            "{c} treats {t} as part of the daily workflow, not as a separate project.",
            "The practical question is not whether to use {t}, but where it saves the most time.",
            "When {t} and {k} work together, each one makes the other easier to justify.",
            "Measure the change: pick one metric tied to {t} and compare it before and after the rollout.",
            "Keep the first rollout of {t} small, with one team and one goal, so the results are easy to judge.",
            "Most of the value of {t} comes from steady habits rather than from any single feature.",
            "Write down who owns {t}, how often it is reviewed, and what happens when the numbers move.",
            "For {a}, {t} is less about tooling and more about reliable answers without extra overhead.",
            "Ask how {t} handles edge cases, because that is where most projects slow down.",
            "A short pilot with {t} gives {a} evidence to share with the rest of the company.",
            "Good {t} makes the next decision easier, and that is the bar to hold it to.",
            "{c} designed {t} so that a small team can run it without a dedicated specialist.",
            "Once {t} is in place, {k} becomes easier to explain to the rest of the business.",
            "The best time to review {t} is right after a launch, while the questions are still fresh.");
    private static final Map<String, List<String>> TONE_OPENERS = Map.of(
            "practical", List.of("In practice, ", "Concretely, "),
            "formal", List.of("Accordingly, ", "Furthermore, "),
            "conversational", List.of("Honestly, ", "Simply put, "),
            "friendly", List.of("Good news: ", "Here's a tip: "),
            "persuasive", List.of("Better still, ", "Just as important, "),
            "informative", List.of("In short, ", "Importantly, "));

    @Override
    public String name() {
        return "writer";
    }

    @Override
    public void checkParameters(Map<String, Object> parameters) {
        PlannerAgent.targetWords(parameters);
        Inputs.stringParam(parameters, "tone");
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        JsonNode brief = Inputs.brief(input).orElseGet(() -> PlannerAgent.brief(facts,
                PlannerAgent.targetWords(input.parameters()).orElse(facts.profile().defaultWords),
                Inputs.stringParam(input, "tone").orElse(facts.profile().defaultTone), 3));
        if (!brief.path("outline").isArray() || brief.path("outline").isEmpty()) {
            throw new AgentFailedException("the planner's brief has no outline sections to write");
        }
        List<JsonNode> researchSteps = Inputs.research(input);
        JsonNode research = ResearchNotes.merge(researchSteps);
        int briefWords = brief.path("target_words").asInt(facts.profile().defaultWords);
        int targetWords = PlannerAgent.targetWords(input.parameters()).orElse(briefWords);
        String tone = Inputs.stringParam(input, "tone").orElse(brief.path("tone").asText(facts.profile().defaultTone))
                .toLowerCase(Locale.ROOT);

        Composer composer = new Composer(facts, brief, research, tone);
        List<Article.Section> sections = new ArrayList<>();
        for (JsonNode s : brief.path("outline")) {
            int budget = (int) Math.round(s.path("target_words").asInt(100) * (double) targetWords / Math.max(1, briefWords));
            JsonNode heading = s.get("heading");
            sections.add(new Article.Section(heading == null || heading.isNull() ? null : heading.asText(),
                    composer.section(s, budget)));
        }
        Article article = new Article(title(facts, brief), sections);

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("article", article.toJson());
        out.put("content_type", facts.profile().wireName());
        out.put("tone", tone);
        out.put("target_words", targetWords);
        String body = article.bodyText();
        List<String> used = facts.keywords().stream().filter(k -> ContentMetrics.occurrences(body, k) > 0).toList();
        used.forEach(out.putArray("keywords_used")::add);
        facts.keywords().stream().filter(k -> !used.contains(k)).forEach(out.putArray("keywords_missing")::add);
        composer.cited.forEach(out.putArray("sources_cited")::add);
        long written = sections.stream().filter(s -> !s.paragraphs().isEmpty()).count();
        out.put("sections_written", written);
        out.put("research_steps", researchSteps.size());
        out.put("research_degraded", research.path("degraded").asBoolean(false));

        int words = article.wordCount();
        double lengthFit = clamp(1.0 - Math.abs(words - targetWords) / (double) targetWords);
        double coverage = facts.keywords().isEmpty() ? 0 : (double) used.size() / facts.keywords().size();
        double structure = (double) written / brief.path("outline").size();
        double readability = ContentMetrics.readabilityScore(ContentMetrics.readability(body));
        double quality = ContentMetrics.round(Math.max(0.01,
                0.35 * lengthFit + 0.25 * coverage + 0.2 * structure + 0.2 * readability), 3);
        String summary = ContentMetrics.truncateAtWord("Draft '" + article.title() + "': " + words + " words in "
                + sections.size() + " sections, " + used.size() + "/" + facts.keywords().size() + " keywords", 200);
        return new AgentOutput(out, quality, summary);
    }

    /** The first candidate of at most 70 characters: the angle, "Primary for audience", or "Primary: what Company changes". */
    static String title(CampaignFacts f, JsonNode brief) {
        String primary = titleCase(f.primaryKeyword());
        String subject = brief.path("format").path("subject").asText("");
        List<String> candidates = new ArrayList<>();
        if (!subject.isBlank()) {
            candidates.add(subject);
        }
        if (f.profile() == ContentProfile.PRESS_RELEASE) {
            candidates.add(titleCase(f.company()) + " Announces " + primary);
        }
        candidates.add(titleCase(brief.path("angle").asText("")));
        candidates.add(primary + " for " + titleCase(f.audienceShort()));
        candidates.add(primary + ": What " + titleCase(f.company()) + " Changes");
        return candidates.stream().filter(c -> !c.isBlank() && c.length() <= 70).findFirst()
                .orElse(ContentMetrics.truncateAtWord(candidates.getLast(), 70));
    }

    /** Builds section text; remembers used sentences so nothing repeats across sections. */
    private static final class Composer {
        private final CampaignFacts facts;
        private final JsonNode brief;
        private final List<JsonNode> insights = new ArrayList<>();
        private final List<String> pains = new ArrayList<>();
        private final List<String> goals = new ArrayList<>();
        private final List<String> openers;
        private final Set<String> used = new HashSet<>();
        final Set<String> cited = new LinkedHashSet<>();
        private int templateSentences;

        Composer(CampaignFacts facts, JsonNode brief, JsonNode research, String tone) {
            this.facts = facts;
            this.brief = brief;
            // Objective sentences are instructions to the writer, not facts for the reader.
            research.path("insights").forEach(i -> {
                if (!i.path("source_id").asText().startsWith("content_objective")
                        && !i.path("source_id").asText().startsWith("target_audience")) {
                    insights.add(i);
                }
            });
            if (insights.isEmpty()) {
                for (int i = 0; i < facts.contextSentences().size(); i++) {
                    insights.add(JsonNodeFactory.instance.objectNode().put("text", facts.contextSentences().get(i))
                            .put("source_id", "company_context#" + (i + 1)));
                }
            }
            research.path("audience").path("pain_points").forEach(p -> pains.add(p.path("text").asText()));
            research.path("audience").path("goals").forEach(g -> goals.add(g.path("text").asText()));
            this.openers = TONE_OPENERS.getOrDefault(tone, List.of());
        }

        List<String> section(JsonNode outlineSection, int budget) {
            String kind = outlineSection.path("kind").asText("body");
            String term = outlineSection.path("focus_terms").path(0).asText(facts.primaryKeyword());
            List<String> sentences = new ArrayList<>();
            int[] words = {0};
            java.util.function.Consumer<String> add = s -> {
                if (s != null && !s.isBlank() && used.add(s)) {
                    sentences.add(s);
                    words[0] += ContentMetrics.wordCount(s);
                }
            };
            String a = facts.audienceShort();
            switch (kind) {
                case "intro" -> {
                    String angle = brief.path("angle").asText("");
                    add.accept(ensurePeriod(angle.startsWith("How ") ? "Here is how " + angle.substring(4) : angle));
                    add.accept("Below, you will see where " + facts.primaryKeyword() + " fits and how to start.");
                    if (!facts.audience().isBlank()) {
                        add.accept("This piece is for " + lowerFirst(facts.audience().replaceAll("[.]+$", ""), facts.company()) + ".");
                    }
                    pains.stream().limit(1).forEach(p -> add.accept("A common situation for " + a + ": " + lowerFirst(p, facts.company()) + "."));
                }
                case "problem" -> pains.forEach(p -> add.accept("Too often, " + a + " are stuck " + gerundOrNoun(p, facts.company()) + "."));
                case "cta" -> {
                    add.accept("Ready to put " + facts.primaryKeyword() + " to work? Start with " + facts.company()
                            + " and try it with your own team this week.");
                    goals.stream().limit(1).forEach(g -> add.accept("The goal is simple: " + lowerFirst(g, facts.company()) + "."));
                }
                case "quote" -> add.accept("\"We built this for " + a + " who want " + facts.primaryKeyword()
                        + " they can trust,\" said the " + facts.company() + " team.");
                case "about" -> facts.contextSentences().stream().limit(2).forEach(sentences::add); // boilerplate may repeat the lead
                default -> goals.stream().filter(g -> mentions(g, term)).limit(1)
                        .forEach(g -> add.accept("The aim is clear: " + lowerFirst(g, facts.company()) + "."));
            }
            if (kind.equals("post")) {
                return List.of(post(outlineSection, term));
            }
            // Research insights that mention the section's focus term first, then any unused ones.
            insights.stream()
                    .sorted(Comparator.comparingInt((JsonNode i) -> mentions(i.path("text").asText(), term) ? 0 : 1))
                    .forEach(i -> {
                        if (words[0] < budget && !kind.equals("cta") && add(i, sentences)) {
                            words[0] += ContentMetrics.wordCount(i.path("text").asText());
                        }
                    });
            int seed = ContentMetrics.seed(facts.request().campaignId(), outlineSection.path("id").asText(), term);
            for (int i = 0; i < PATTERNS.size() * facts.keywords().size() + PATTERNS.size() && words[0] < budget; i++) {
                String other = facts.keywords().isEmpty() ? term
                        : facts.keywords().get((i / PATTERNS.size() + 1) % facts.keywords().size());
                String focus = i < PATTERNS.size() ? term : other;
                String s = fill(PATTERNS.get((seed + i) % PATTERNS.size()), focus, other.equals(focus) ? facts.primaryKeyword() : other);
                if (!used.contains(s)) {
                    add.accept(withOpener(s, seed));
                    used.add(s);
                }
            }
            return paragraphs(sentences);
        }

        private boolean add(JsonNode insight, List<String> sentences) {
            String text = ensurePeriod(insight.path("text").asText());
            if (!used.add(text)) {
                return false;
            }
            sentences.add(text);
            cited.add(insight.path("source_id").asText());
            return true;
        }

        /**
         * A social post: hook by the post's purpose plus an insight, kept under 260 characters for the link. Every
         * post is a complete sentence: the "in one line:" hook is used only when an insight follows it, else the post
         * says its one line itself with a sentence pattern.
         */
        private String post(JsonNode outlineSection, String term) {
            String purpose = outlineSection.path("purpose").asText();
            String tip = fill(PATTERNS.get(ContentMetrics.seed(term) % PATTERNS.size()), term, facts.primaryKeyword());
            String hook = purpose.contains("question") ? "Is " + term + " still slowing " + facts.audienceShort() + " down?"
                    : purpose.contains("tip") ? "Tip: " + tip
                    : capitalize(term) + ", in one line:";
            StringBuilder post = new StringBuilder(hook);
            for (JsonNode i : insights) {
                String text = ensurePeriod(i.path("text").asText());
                if (!used.contains(text) && post.length() + 1 + text.length() <= 260) {
                    used.add(text);
                    cited.add(i.path("source_id").asText());
                    post.append(' ').append(text);
                    break;
                }
            }
            if (post.toString().endsWith(":")) {
                // No insight left to follow the colon: one line of its own, seeded apart from the tip post's.
                return fill(PATTERNS.get(ContentMetrics.seed(term, "one line") % PATTERNS.size()), term, facts.primaryKeyword());
            }
            return post.toString();
        }

        private String fill(String pattern, String term, String other) {
            return pattern.replace("{T}", capitalize(term)).replace("{t}", term).replace("{k}", other)
                    .replace("{a}", facts.audienceShort()).replace("{c}", facts.company())
                    .replaceAll("^the company", "The company");
        }

        /** Every third pattern sentence gets a tone opener ("In practice, ..."). */
        private String withOpener(String sentence, int seed) {
            templateSentences++;
            if (openers.isEmpty() || templateSentences % 3 != 0 || sentence.startsWith(facts.company())) {
                return sentence;
            }
            return openers.get((seed + templateSentences) % openers.size()) + lowerFirst(sentence, facts.company());
        }

        private List<String> paragraphs(List<String> sentences) {
            List<String> paragraphs = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i += 3) {
                paragraphs.add(String.join(" ", sentences.subList(i, Math.min(sentences.size(), i + 3))));
            }
            return paragraphs;
        }
    }

    private static boolean mentions(String text, String term) {
        if (ContentMetrics.occurrences(text, term) > 0) {
            return true;
        }
        for (String w : ContentMetrics.words(term)) {
            String lw = w.toLowerCase(Locale.ROOT);
            if (ContentMetrics.isContentWord(lw) && ContentMetrics.occurrences(text, lw) > 0) {
                return true;
            }
        }
        return false;
    }

    private static String gerundOrNoun(String pain, String company) {
        String p = lowerFirst(pain, company);
        return p.matches("^\\w+ing\\b.*") ? p : "with " + p;
    }

    /** Lower-cases the first letter to continue a sentence, unless the text starts with a name or an acronym. */
    static String lowerFirst(String s, String company) {
        if (s.isEmpty() || s.startsWith(company) || (s.length() > 1 && Character.isUpperCase(s.charAt(1)))) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String ensurePeriod(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return t;
        }
        return t.matches(".*[.!?\"]$") ? t : t + ".";
    }
}
