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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the draft: follows the planner's outline (or builds the same brief itself when the plan had no planner),
 * fills each section up to its share of the target length with sentences from the research (insights taken from the
 * company context and audience pain points; researcher, basic_research or researcher_a/_b/_c merged), the brief's
 * angle, and sentence patterns filled with the campaign's keywords, company and audience. The objective guides the
 * plan but is not quoted to the reader: its goals and call to action ("drive sign-ups") never appear in the copy.
 * Every section gets at least one sentence and no sentence appears twice, so a very small target is overrun and a
 * very large one falls short; {@code notes} then says so. A keyword named in more than about 3 % of the words (what
 * the SEO step calls keyword stuffing) becomes "this approach" in the later pattern sentences about it. Pattern order
 * and tone openers are seeded from the campaign, so output is deterministic.
 *
 * <p>Parameters: {@code target_words} (30..5000, default from the brief or the content type), {@code tone}.
 * Output: {@code article{title, sections[{heading, paragraphs[]}], markdown, word_count}, content_type, tone,
 * target_words, keywords_used[], keywords_missing[], sources_cited[], sections_written, research_steps,
 * research_degraded, notes[]}.
 *
 * <p>Quality = 0.35 × length fit (1 − |words − target| / target, clamped) + 0.25 × keyword coverage (share of
 * keywords present in the body, and at most the SEO step's 3 % of its words) + 0.2 × structure (sections with text /
 * outline sections) + 0.2 × readability ({@link ContentMetrics#readabilityScore}).
 */
public final class WriterAgent implements Agent {

    /**
     * Sentence patterns: {t}/{T} is the section's focus term, {k} another keyword, {a} the audience, {c} the company.
     * "[is|are]" picks the singular or plural form to agree with the focus term ("warehouse-native funnels are").
     */
    private static final List<String> PATTERNS = List.of(
            "{T} [matters|matter] because [it changes|they change] what {a} can decide on a normal working day.",
            "Start by listing the three questions your team asks most often, then check whether {t} [answers|answer] them.",
            "A useful test for {t} is simple: [does it|do they] save someone on the team real time every week?",
            "Teams that adopt {t} usually see the first benefit in fewer hand-offs and shorter review cycles.",
            "{c} treats {t} as part of the daily workflow, not as a separate project.",
            "The practical question is not whether to use {t}, but where [it saves|they save] the most time.",
            "When {t} and {k} work together, each one makes the other easier to justify.",
            "Measure the change: pick one metric tied to {t} and compare it before and after the rollout.",
            "Keep the first rollout of {t} small, with one team and one goal, so the results are easy to judge.",
            "Most of the value of {t} comes from steady habits rather than from any single feature.",
            "Write down who owns {t}, how often [it is|they are] reviewed, and what happens when the numbers move.",
            "For {a}, {t} [is|are] less about tooling and more about reliable answers without extra overhead.",
            "Ask how {t} [handles|handle] edge cases, because that is where most projects slow down.",
            "A short pilot with {t} gives {a} evidence to share with the rest of the company.",
            "Good {t} [makes|make] the next decision easier, and that is the bar to hold [it|them] to.",
            "{c} designed {t} so that a small team can run [it|them] without a dedicated specialist.",
            "Once {t} [is|are] in place, it becomes easier to explain {k} to the rest of the business.",
            "The best time to review {t} is right after a launch, while the questions are still fresh.",
            "Before changing anything, write down how your team handles {t} today.",
            "One owner for {t} works better than a committee, at least for the first month.",
            "Share early results from {t} with the whole team, even when they are rough.",
            "If {t} [needs|need] a long manual to explain, the setup is probably too complex.",
            "A clear goal for {t} keeps the work focused when other priorities compete for time.",
            "Review the numbers from {t} together once a week and agree on one next step.",
            "Small, regular improvements to {t} add up faster than one big change a year.",
            "{c} keeps the setup of {t} short so that {a} can see results in the first week.",
            "Plan a review after thirty days to decide whether {t} [has|have] earned a wider rollout.",
            "Record one example where {t} changed a decision; it will persuade more people than any slide.",
            "The cost of ignoring {t} shows up later, usually as rework and slower decisions.",
            "Pair {t} with a simple checklist so that new team members can follow the same steps.",
            "A good first project with {t} is one the team already cares about.",
            "Keep notes on what surprised the team about {t}, because they make the next rollout easier.",
            "When a question about {t} comes up twice, add the answer to a shared page.",
            "The first weeks with {t} are for learning, so judge the results once the team has settled in.",
            "Ask {a} which part of {t} they would miss most if it went away.",
            "Set a date to check whether {t} still [fits|fit] the way the team works.",
            "Start with the data you already trust, then widen the scope of {t} step by step.",
            "Clear names and short definitions make {t} easier for everyone to use.",
            "If the team cannot explain what {t} [does|do] in one sentence, simplify before adding more.",
            "Set aside a little time each month to tidy up {t}, so small problems do not pile up.");
    /**
     * More patterns, offered after all of {@link #PATTERNS} (for every keyword): only a long article uses them, so
     * articles that fit in the first patterns read as before. With one keyword they take a draft from about 830 to
     * about 1,400 words before the material runs out.
     */
    private static final List<String> MORE_PATTERNS = List.of(
            "{T} [works|work] best when the people who use [it|them] every day help shape the setup.",
            "Before the first review, agree on what a good result from {t} looks like.",
            "It helps to keep a short list of the questions {t} cannot answer yet.",
            "A simple before-and-after comparison is often the clearest way to show what {t} [changes|change].",
            "{c} recommends starting with one clear use for {t} and widening it once that works.",
            "The people closest to the work usually spot problems with {t} first, so ask them early.",
            "Set expectations early: {t} will not fix everything in the first month.",
            "Document the setup of {t} as you go, while the reasons for each choice are still clear.",
            "Decide in advance which signals would tell you that {t} [is|are] not working.",
            "A monthly look back at {t} keeps small issues from turning into large ones.",
            "When priorities shift, check how {t} [supports|support] the new goals before changing anything else.",
            "A short walkthrough of {t} for newcomers saves many questions later.",
            "Keep the first reports on {t} short, with only the numbers someone will act on.",
            "Feedback from a handful of real users says more about {t} than a long list of features.",
            "If results from {t} look too good to be true, check the inputs before sharing them.",
            "Give {t} a fair trial before judging [it|them], and write down what you expect to see.",
            "Small wins with {t} build the trust needed for bigger changes.",
            "Agree on one place where questions and answers about {t} are collected.",
            "The point of {t} is better decisions, so track the decisions [it informs|they inform], not just the activity.",
            "Revisit the original goal for {t} every quarter, because goals drift quietly.",
            "{c} keeps {t} flexible, so the setup can change as the team grows.",
            "A quick summary of what {t} showed last week helps everyone start the week on the same page.",
            "Where {t} [touches|touch] customer data, be clear about who can see what.",
            "New team members learn {t} faster from real examples than from documentation alone.",
            "It is worth asking what the team would stop doing if {t} worked perfectly.",
            "Mark the first decision made with the help of {t}, because it shows the effort is paying off.",
            "Keep an eye on the time spent maintaining {t}, and simplify when it grows.",
            "Good questions make {t} useful, while vague questions produce vague answers.",
            "Compare notes with other teams that use {t}, since they have often solved the same problem.",
            "Plan for what happens to {t} when the person who set [it|them] up is away.",
            "Check {t} against a real decision from last month to see whether [it|they] would have helped.",
            "Simple naming rules for the work around {t} prevent confusion later.",
            "When results from {t} disagree with intuition, take the time to find out why.",
            "The value of {t} grows as more of the team relies on the same numbers.",
            "A short written plan for {t} keeps everyone aligned when questions come up.",
            "{c} builds {t} to answer everyday questions quickly, without a long setup.",
            "Find the step in the current process that causes the most delay, and see whether {t} [helps|help] there.",
            "Limit the goals for {t} at the start, because two or three are plenty.",
            "After each review of {t}, write down one thing to keep and one thing to change.",
            "Over time, {t} should make the routine questions disappear from meetings.");
    /** The hooks of question posts, in turn, so two question posts do not ask the same about two keywords. */
    private static final List<String> QUESTION_HOOKS = List.of(
            "Where would {t} save {a} the most time?",
            "How much time [does|do] {t} save {a} each week?",
            "Which part of {t} would {a} miss most if it went away?");
    private static final Pattern NUMBER_CHOICE = Pattern.compile("\\[([^|\\]]*)\\|([^\\]]*)]");
    private static final int SENTENCES_PER_PARAGRAPH = 3;
    /** "We build ...", "We are ...": a first-person opening of a context sentence, with its verb. */
    private static final Pattern FIRST_PERSON = Pattern.compile("^We ([a-z]+)\\b");
    /** "It is worth ...", "It is important to ...", "It seems ...": an "it" that stands for no company. */
    private static final Pattern DUMMY_IT = Pattern.compile("^It (?:seems|appears|takes|turns|may|might|would"
            + "|(?:is|was) (?:not |also )?(?:worth|important|easy|hard|difficult|possible|impossible|time|clear|likely"
            + "|unlikely|true|a good idea|no secret|no surprise))\\b");
    /**
     * Patterns whose focus term has no pronoun form: "Good X makes ...", "When X and Y work together", a phrasal
     * verb's object ("tidy up X" would need "tidy it up"), and patterns where "it" would be read as something else:
     * another pronoun in the sentence ("pick one metric tied to X and compare it"), or the team named before the
     * term ("If the team cannot explain what X does").
     */
    private static final Pattern NO_PRONOUN = Pattern.compile("Good \\{[tT]}|\\{t} and \\{k}|\\b(?:up|out|down) \\{t}"
            + "|\\b(?:it|its|they|them|their)\\b|team[^{]*\\{t}");
    private static final Pattern PLURAL_SUBJECT = Pattern.compile("\\{[tT]} \\[");
    private static final Pattern PLURAL_OBJECT = Pattern.compile("\\b(?:of|with|about|for|from|to|on|into) \\{t}");
    private static final int MAX_OPENERS_PER_SECTION = 2;
    /**
     * The most of the body a keyword may take, in percent: the SEO step reports keyword stuffing above
     * {@link SeoAgent#DENSITY_MAX}; a little below it, since the editor may shorten the text.
     */
    static final double DENSITY_CEILING = SeoAgent.DENSITY_MAX - 0.1;
    /** What a pattern sentence calls its focus term when the term is named too often already. */
    private static final String GENERIC_NOUN = "this approach";
    /** "Good {T} makes ...": no article fits before the generic noun there. */
    private static final Pattern NO_GENERIC_NOUN = Pattern.compile("Good \\{[tT]}");
    /** A sentence that tells the reader to do something: a tone opener before it reads wrong ("Furthermore, measure ..."). */
    private static final Pattern IMPERATIVE_START = Pattern.compile("^(?:Start|Measure|Keep|Write|Ask|Set|Share|Review|Plan"
            + "|Record|Pair|Limit|Find|Give|Agree|Decide|Document|Compare|Check|Mark|Revisit|Before|After|Once|When|If)\\b");
    /** Plain openers that fit before advice and warnings alike ("Happily, the cost of ignoring ..." did not). */
    private static final Map<String, List<String>> TONE_OPENERS = Map.of(
            "practical", List.of("In practice, ", "Concretely, "),
            "formal", List.of("Accordingly, ", "Furthermore, "),
            "conversational", List.of("In fact, ", "As it turns out, "),
            "friendly", List.of("As a rule of thumb, ", "As many teams find, "),
            "persuasive", List.of("Better still, ", "Equally important, "),
            "informative", List.of("In short, ", "Importantly, "));
    private static final List<String> TONES = TONE_OPENERS.keySet().stream().sorted().toList();

    @Override
    public String name() {
        return "writer";
    }

    @Override
    public void checkParameters(Map<String, Object> parameters) {
        PlannerAgent.targetWords(parameters);
        tone(parameters);
    }

    /** The tone asked for (planner and writer parameter {@code tone}), one of those the writer has openers for. */
    static Optional<String> tone(Map<String, Object> parameters) {
        Optional<String> tone = Inputs.stringParam(parameters, "tone").map(t -> t.toLowerCase(Locale.ROOT));
        if (tone.isPresent() && !TONE_OPENERS.containsKey(tone.get())) {
            throw new AgentFailedException("parameter tone must be one of " + TONES + ", got '" + tone.get() + "'");
        }
        return tone;
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        JsonNode brief = Inputs.brief(input).orElseGet(() -> PlannerAgent.brief(facts,
                PlannerAgent.targetWords(input.parameters()).orElse(facts.profile().defaultWords),
                tone(input.parameters()).orElse(facts.profile().defaultTone), 3));
        if (!brief.path("outline").isArray() || brief.path("outline").isEmpty()) {
            throw new AgentFailedException("the planner's brief has no outline sections to write");
        }
        List<JsonNode> researchSteps = Inputs.research(input);
        JsonNode research = ResearchNotes.merge(researchSteps);
        int briefWords = brief.path("target_words").asInt(facts.profile().defaultWords);
        int targetWords = PlannerAgent.targetWords(input.parameters()).orElse(briefWords);
        String tone = tone(input.parameters()).orElse(brief.path("tone").asText(facts.profile().defaultTone))
                .toLowerCase(Locale.ROOT);

        Composer composer = new Composer(facts, brief, research, tone);
        List<Article.Section> sections = composer.write(brief.path("outline"), targetWords, briefWords);
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
        composer.notes(words, targetWords).forEach(out.putArray("notes")::add);

        double quality = quality(article, facts.keywords(), targetWords, brief.path("outline").size());
        String summary = ContentMetrics.truncateAtWord("Draft '" + article.title() + "': " + words + " words in "
                + sections.size() + " sections, " + used.size() + "/" + facts.keywords().size() + " keywords", 200);
        return new AgentOutput(out, quality, summary);
    }

    /** The quality described in the class comment. */
    static double quality(Article article, List<String> keywords, int targetWords, int outlineSections) {
        String body = article.bodyText();
        double lengthFit = clamp(1.0 - Math.abs(article.wordCount() - targetWords) / (double) targetWords);
        // a stuffed keyword counts as missing: the SEO step reports it, so stuffing cannot score higher
        long wellUsed = keywords.stream().filter(k -> ContentMetrics.occurrences(body, k) > 0
                && ContentMetrics.densityPercent(body, k) <= SeoAgent.DENSITY_MAX).count();
        double coverage = keywords.isEmpty() ? 0 : (double) wellUsed / keywords.size();
        long written = article.sections().stream().filter(s -> !s.paragraphs().isEmpty()).count();
        double structure = (double) written / outlineSections;
        double readability = ContentMetrics.readabilityScore(ContentMetrics.readability(body));
        return ContentMetrics.round(Math.max(0.01, 0.35 * lengthFit + 0.25 * coverage + 0.2 * structure + 0.2 * readability), 3);
    }

    /**
     * The first candidate of at most 70 characters: the email subject, "Primary for audience", or "Primary: what
     * Company changes". Never the angle: it is the objective's wording ("Get signups"), which the reader does not see.
     */
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
        candidates.add(primary + " for " + titleCase(f.audienceShort()));
        candidates.add(primary + ": What " + titleCase(f.company()) + " Changes");
        return candidates.stream().filter(c -> !c.isBlank() && c.length() <= 70).findFirst()
                .orElse(ContentMetrics.truncateAtWord(candidates.getLast(), 70));
    }

    /**
     * Builds the sections' text. Each section has a word budget (its outline share of the target) and a list of
     * candidate sentences, best first. Sections take turns, one sentence at a time, so no section can use up the
     * sentences they share; words a section cannot fill go to the body sections that still have material. A sentence
     * is used at most once in the whole article.
     */
    private static final class Composer {
        private final CampaignFacts facts;
        private final JsonNode brief;
        private final List<JsonNode> insights = new ArrayList<>();
        private final List<String> pains = new ArrayList<>();
        private final List<String> openers;
        private final Set<String> usedSentences = new HashSet<>();
        /** The sentence patterns the social posts used so far. */
        private final Set<String> postPatterns = new HashSet<>();
        private int questionPosts;
        final Set<String> cited = new LinkedHashSet<>();
        private boolean materialRanOut;

        /** A sentence a section may use; {@code sourceId} is cited when it is used, template sentences get tone openers. */
        private record Candidate(String text, String sourceId, boolean template, String pattern, String focus,
                                 String other) {
            Candidate(String text, String sourceId, boolean template) {
                this(text, sourceId, template, null, null, null);
            }
        }

        /** One section being written. */
        private final class Draft {
            final JsonNode outline;
            final String kind;
            final String term;
            final int budget;
            final int seed;
            final List<String> sentences = new ArrayList<>();
            /** For each sentence: the candidate it was written from, and the tone opener put before it ("" for none). */
            final List<Candidate> sources = new ArrayList<>();
            final List<String> openersBefore = new ArrayList<>();
            List<Candidate> candidates = List.of();
            int next;
            int words;
            int templateSentences;
            int openersUsed;
            /** The focus term of the last sentence taken (named or referred back to), when it was a pattern sentence. */
            String namedFocus;

            Draft(JsonNode outline, int budget) {
                this.outline = outline;
                this.kind = outline.path("kind").asText("body");
                this.term = outline.path("focus_terms").path(0).asText(facts.primaryKeyword());
                this.budget = budget;
                this.seed = ContentMetrics.seed(facts.request().campaignId(), outline.path("id").asText(), term);
            }

            /** The next candidate no section has used yet, or null when this section's material has run out. */
            Candidate peek() {
                while (next < candidates.size() && isUsed(candidates.get(next).text())) {
                    next++;
                }
                return next < candidates.size() ? candidates.get(next) : null;
            }

            /**
             * Takes the next sentence if that brings the section closer to {@code room} more words than leaving it out
             * (it may overshoot by less than half its length). False when nothing was taken.
             */
            boolean takeWithin(int room) {
                Candidate c = peek();
                if (c == null) {
                    return false;
                }
                int n = ContentMetrics.wordCount(c.text());
                if (room <= 0 || n > 2 * room) {
                    return false;
                }
                take(c);
                return true;
            }

            /** The first sentence: the best one if it fits the budget, else the shortest, so every section has text. */
            void takeFirst() {
                Candidate c = peek();
                if (c == null || ContentMetrics.wordCount(c.text()) <= Math.max(1, 2 * budget)) {
                    if (c != null) {
                        take(c);
                    }
                    return;
                }
                candidates.stream().filter(x -> !isUsed(x.text()))
                        .min(Comparator.comparingInt((Candidate x) -> ContentMetrics.wordCount(x.text())))
                        .ifPresent(this::take);
            }

            private void take(Candidate c) {
                String text = c.text();
                String opener = "";
                if (c.template()) {
                    String sentence = referringBack(c);
                    text = withOpener(sentence);
                    opener = text.substring(0, text.length() - sentence.length());
                }
                namedFocus = c.template() ? c.focus() : null;
                markUsed(c.text());
                markUsed(text);
                sentences.add(text);
                sources.add(c);
                openersBefore.add(opener);
                words += ContentMetrics.wordCount(text);
                if (c.sourceId() != null) {
                    cited.add(c.sourceId());
                }
            }

            /**
             * The pattern sentence with "it" (or "they"/"them") for its focus term when the sentence just before it, in
             * the same paragraph, is a pattern sentence about that term (so the pronoun has one reading): a paragraph
             * naming the keyword in every sentence reads as keyword stuffing
             * (and search engines treat it so). Kept as it is when the pattern has no natural pronoun form ("Good X
             * makes ...", "When X and Y work together") or the pronoun sentence is in the article already.
             */
            private String referringBack(Candidate c) {
                boolean sameParagraph = sentences.size() % SENTENCES_PER_PARAGRAPH != 0;
                boolean named = sameParagraph && c.focus().equals(namedFocus);
                String pronoun = named ? pronounFor(c.pattern(), c.focus()) : null;
                if (pronoun == null) {
                    return c.text();
                }
                String text = fill(c.pattern(), c.focus(), pronoun, c.other());
                return isUsed(text) ? c.text() : text;
            }

            /** Every third pattern sentence of a section gets a tone opener ("In practice, ..."), at most two a section. */
            private String withOpener(String sentence) {
                templateSentences++;
                if (openers.isEmpty() || templateSentences % 3 != 0 || openersUsed == MAX_OPENERS_PER_SECTION
                        || sentence.startsWith(facts.company()) || IMPERATIVE_START.matcher(sentence).find()) {
                    return sentence;
                }
                for (int i = 0; i < openers.size(); i++) {
                    String opener = openers.get((seed + templateSentences + i) % openers.size());
                    if (!echoes(opener, sentence)) {
                        openersUsed++;
                        return opener + lowerFirst(sentence, facts.company());
                    }
                }
                return sentence;
            }

            /**
             * Sentence {@code i} with the generic noun in place of {@code keyword}, when it is a pattern sentence
             * naming that keyword as its focus and the new sentence is not in the article yet; true when rewritten.
             */
            boolean replaceKeyword(int i, String keyword) {
                Candidate c = sources.get(i);
                String old = sentences.get(i);
                if (!c.template() || !c.focus().equalsIgnoreCase(keyword) || ContentMetrics.occurrences(old, keyword) == 0
                        || NO_GENERIC_NOUN.matcher(c.pattern()).find()) {
                    return false;
                }
                String generic = fill(c.pattern(), "approach", GENERIC_NOUN, c.other());
                String opener = openersBefore.get(i);
                String text = opener.isEmpty() ? generic : opener + lowerFirst(generic, facts.company());
                if (isUsed(text)) {
                    return false;
                }
                markUsed(text);
                sentences.set(i, text);
                words += ContentMetrics.wordCount(text) - ContentMetrics.wordCount(old);
                return true;
            }

            Article.Section section() {
                JsonNode heading = outline.get("heading");
                return new Article.Section(heading == null || heading.isNull() ? null : heading.asText(), paragraphs(sentences));
            }
        }

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
            // the same for pain points read from the objective ("Raise awareness of our module among DPOs")
            research.path("audience").path("pain_points").forEach(p -> {
                if (!p.path("source_id").asText().startsWith("content_objective")) {
                    pains.add(p.path("text").asText());
                }
            });
            // Goals are not used: they come from the objective, the marketer's aim ("increase kit sales"), not the reader's.
            this.openers = TONE_OPENERS.getOrDefault(tone, List.of());
        }

        List<Article.Section> write(JsonNode outline, int targetWords, int briefWords) {
            List<Draft> drafts = new ArrayList<>();
            for (JsonNode s : outline) {
                int budget = (int) Math.round(s.path("target_words").asInt(100) * (double) targetWords / Math.max(1, briefWords));
                drafts.add(new Draft(s, budget));
            }
            List<Draft> prose = new ArrayList<>();
            for (Draft d : drafts) {
                if (d.kind.equals("post")) {
                    d.sentences.add(post(d.outline, d.term));
                } else {
                    d.candidates = candidates(d);
                    prose.add(d);
                }
            }
            prose.forEach(Draft::takeFirst);
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Draft d : prose) {
                    progress |= d.takeWithin(d.budget - d.words);
                }
            }
            // Sections that ran out of material leave words over; the body sections still holding material take them.
            int total = prose.stream().mapToInt(d -> d.words).sum();
            progress = true;
            while (progress) {
                progress = false;
                for (Draft d : prose) {
                    int before = d.words;
                    if ((d.kind.equals("body") || d.kind.equals("problem")) && d.takeWithin(targetWords - total)) {
                        total += d.words - before;
                        progress = true;
                    }
                }
            }
            materialRanOut = !prose.isEmpty() && prose.stream().allMatch(d -> d.peek() == null);
            facts.keywords().forEach(keyword -> limitDensity(drafts, keyword));
            return drafts.stream().map(Draft::section).toList();
        }

        /**
         * Puts the generic noun in place of {@code keyword} in pattern sentences, last first, until the keyword takes
         * at most {@link #DENSITY_CEILING} % of the body: above it the SEO step reports keyword stuffing. Sentences
         * from the research stay as written.
         */
        private void limitDensity(List<Draft> drafts, String keyword) {
            for (int d = drafts.size() - 1; d >= 0; d--) {
                Draft draft = drafts.get(d);
                for (int i = draft.sentences.size() - 1; i >= 0; i--) {
                    if (ContentMetrics.densityPercent(body(drafts), keyword) <= DENSITY_CEILING) {
                        return;
                    }
                    if (i < draft.sources.size()) {
                        draft.replaceKeyword(i, keyword);
                    }
                }
            }
        }

        private static String body(List<Draft> drafts) {
            return String.join(" ", drafts.stream().flatMap(d -> d.sentences.stream()).toList());
        }

        /** Why the draft's length is far from the target, for the reader of the output; empty when it is close. */
        List<String> notes(int words, int targetWords) {
            List<String> notes = new ArrayList<>();
            if (facts.profile() == ContentProfile.SOCIAL_MEDIA) {
                if (words < targetWords * 0.75 || words > targetWords * 1.25) {
                    notes.add("The posts have " + words + " words in all for the " + targetWords + " asked: each post is"
                            + " sized for its network (under 260 characters, with room for the link), so target_words"
                            + " does not set their length; the posts parameter sets how many there are.");
                }
            } else if (words < targetWords * 0.75 && materialRanOut) {
                notes.add("The draft has " + words + " of the " + targetWords + " words asked: the research and"
                        + " sentence patterns ran out, and sentences are not repeated to pad it.");
            } else if (words > targetWords * 1.25) {
                notes.add("The draft has " + words + " words for the " + targetWords + " asked: every section needs at"
                        + " least one sentence.");
            }
            return notes;
        }

        /** A section's sentences, best first: those its kind calls for, research insights, then sentence patterns. */
        private List<Candidate> candidates(Draft d) {
            List<Candidate> out = new ArrayList<>();
            String a = facts.audienceShort();
            switch (d.kind) {
                case "intro" -> {
                    // The angle comes from the objective; only a "how"/"why" message reads as a sentence for the reader.
                    String angle = brief.path("angle").asText("");
                    if (angle.matches("(?i)^(how|why)\\s.*")) {
                        out.add(new Candidate(ensurePeriod("Here is " + lowerFirst(angle, facts.company())), null, false));
                    }
                    out.add(new Candidate(fill("Below, you will see where {t} [fits|fit] and how to start.",
                            facts.primaryKeyword(), ""), null, false));
                    if (!facts.audience().isBlank()) {
                        // audienceShort keeps a leading name as written ("Shopify merchants"); so does this
                        String audience = facts.audience().replaceAll("[.]+$", "");
                        boolean named = Character.isUpperCase(facts.audienceShort().charAt(0));
                        out.add(new Candidate("This piece is for " + (named ? audience : lowerFirst(audience,
                                facts.company())) + ".", null, false));
                    }
                    pains.stream().limit(1).forEach(p -> out.add(new Candidate(
                            "A common situation for " + a + ": " + lowerFirst(p, facts.company()) + ".", null, false)));
                }
                case "problem" -> pains.forEach(p -> out.add(new Candidate(
                        "Too often, " + a + " are stuck " + gerundOrNoun(p, facts.company()) + ".", null, false)));
                case "cta" -> out.add(new Candidate("Ready to put " + facts.primaryKeyword() + " to work? Start with "
                        + facts.company() + " and try it with your own team this week.", null, false));
                case "quote" -> out.add(new Candidate("\"We built this for " + a + " who want " + facts.primaryKeyword()
                        + " they can trust,\" said " + teamOf(facts.company()) + ".", null, false));
                case "about" -> {
                    for (int i = 0; i < facts.contextSentences().size() && i < 2; i++) {
                        out.add(new Candidate(ensurePeriod(standalone(facts.contextSentences().get(i))),
                                "company_context#" + (i + 1), false));
                    }
                }
                default -> {
                }
            }
            if (!d.kind.equals("cta")) {
                // Research insights that mention the section's focus term first, then the others.
                insights.stream()
                        .sorted(Comparator.comparingInt((JsonNode i) -> mentions(i.path("text").asText(), d.term) ? 0 : 1))
                        .forEach(i -> out.add(new Candidate(ensurePeriod(standalone(i.path("text").asText())),
                                i.path("source_id").asText(), false)));
            }
            // Patterns about the section's own term first, then about the other keywords.
            List<String> foci = new ArrayList<>(List.of(d.term));
            facts.keywords().stream().filter(k -> !k.equalsIgnoreCase(d.term)).forEach(foci::add);
            for (String focus : foci) {
                List<String> others = facts.keywords().stream().filter(k -> !k.equalsIgnoreCase(focus)).toList();
                if (others.size() > 1) {
                    // the primary keyword is the focus of most sections already: a pattern about another one names
                    // a secondary keyword beside it
                    others = others.stream().filter(k -> !k.equalsIgnoreCase(facts.primaryKeyword())).toList();
                }
                for (int j = 0; j < PATTERNS.size(); j++) {
                    String pattern = PATTERNS.get((d.seed + j) % PATTERNS.size());
                    if (pattern.contains("{k}") && others.isEmpty()) {
                        continue; // "when X and X work together" says nothing
                    }
                    String other = others.isEmpty() ? "" : others.get((d.seed + j) % others.size());
                    out.add(new Candidate(fill(pattern, focus, other), null, true, pattern, focus, other));
                }
            }
            for (String focus : foci) {
                for (int j = 0; j < MORE_PATTERNS.size(); j++) {
                    String pattern = MORE_PATTERNS.get((d.seed + j) % MORE_PATTERNS.size());
                    out.add(new Candidate(fill(pattern, focus, ""), null, true, pattern, focus, ""));
                }
            }
            return out;
        }

        /**
         * An input sentence that opens with "It"/"Its" for the company, which the sentence before it in the input
         * named, or with "We"/"Our", made to stand on its own in the third person wherever the article places it: "Its
         * new release adds ..." becomes "Northwind Analytics' new release adds ...", "We are a vendor" "The company is
         * a vendor". An "it" that names nothing ("It is worth ...") stays.
         */
        private String standalone(String sentence) {
            String name = capitalize(facts.company());
            Matcher we = FIRST_PERSON.matcher(sentence);
            if (we.find()) {
                String verb = we.group(1).toLowerCase(Locale.ROOT);
                String third = switch (verb) {
                    case "are" -> "is";
                    case "were" -> "was";
                    case "have" -> "has";
                    case "do" -> "does";
                    case "go" -> "goes";
                    default -> verb.matches(".*(?:s|sh|ch|x|z)$") ? verb + "es"
                            : verb.matches(".*[^aeiou]y$") ? verb.substring(0, verb.length() - 1) + "ies" : verb + "s";
                };
                return name + " " + third + sentence.substring(we.end());
            }
            if (sentence.startsWith("Our ")) {
                return (name.endsWith("s") ? name + "'" : name + "'s") + sentence.substring(3);
            }
            if (sentence.startsWith("Its ")) {
                return (name.endsWith("s") ? name + "'" : name + "'s") + sentence.substring(3);
            }
            if (sentence.startsWith("It ") && !DUMMY_IT.matcher(sentence).find()) {
                return name + sentence.substring(2);
            }
            return sentence;
        }

        /**
         * True when any sentence of the text is already in the article, with or without an opener ("In practice, "):
         * the editor drops a repeated opener, which would leave the two sentences the same.
         */
        private boolean isUsed(String text) {
            return ContentMetrics.sentences(text).stream().anyMatch(s -> usedSentences.contains(withoutOpenerKey(s)));
        }

        private void markUsed(String text) {
            ContentMetrics.sentences(text).forEach(s -> usedSentences.add(withoutOpenerKey(s)));
        }

        private static String withoutOpenerKey(String sentence) {
            return ContentMetrics.sentenceKey(EditorAgent.OPENER.matcher(sentence).replaceFirst(""));
        }

        /**
         * A social post: hook by the post's purpose plus an insight, kept under 260 characters for the link. Every
         * post is a complete sentence: the "in one line:" hook is used only when an insight follows it, else the post
         * says its one line itself with a sentence pattern.
         */
        private String post(JsonNode outlineSection, String term) {
            String purpose = outlineSection.path("purpose").asText();
            String tip = purpose.contains("tip") ? postPattern(term, ContentMetrics.seed(term)) : "";
            String hook = purpose.contains("question") ? fill(QUESTION_HOOKS.get(questionPosts++ % QUESTION_HOOKS.size()), term, "")
                    : purpose.contains("tip") ? "Tip: " + tip
                    : capitalize(term) + ", in one line:";
            StringBuilder post = new StringBuilder(hook);
            for (JsonNode i : insights) {
                String text = ensurePeriod(standalone(i.path("text").asText()));
                if (!isUsed(text) && post.length() + 1 + text.length() <= 260) {
                    markUsed(text);
                    cited.add(i.path("source_id").asText());
                    post.append(' ').append(text);
                    break;
                }
            }
            if (post.toString().endsWith(":")) {
                // No insight left to follow the colon: one line of its own, seeded apart from the tip post's.
                return postPattern(term, ContentMetrics.seed(term, "one line"));
            }
            return post.toString();
        }

        /**
         * A pattern sentence about {@code term} for a post, from the {@code seed}th pattern on: the first one no other
         * post used, even with another term ("Start by listing ..." once in a campaign's posts).
         */
        private String postPattern(String term, int seed) {
            for (int i = 0; i < PATTERNS.size(); i++) {
                String pattern = PATTERNS.get((seed + i) % PATTERNS.size());
                String text = fill(pattern, term, facts.primaryKeyword());
                if (postPatterns.add(pattern) && !isUsed(text)) {
                    markUsed(text);
                    return text;
                }
            }
            return fill(PATTERNS.get(seed % PATTERNS.size()), term, facts.primaryKeyword());
        }

        /** Fills a pattern; verbs and pronouns marked "[singular|plural]" agree with the focus term. */
        private String fill(String pattern, String term, String other) {
            return fill(pattern, term, term, other);
        }

        /** Fills a pattern with {@code written} in the focus term's place, agreeing with {@code term}. */
        private String fill(String pattern, String term, String written, String other) {
            boolean plural = ContentMetrics.isPlural(term);
            String agreed = NUMBER_CHOICE.matcher(pattern)
                    .replaceAll(m -> Matcher.quoteReplacement(plural ? m.group(2) : m.group(1)));
            return agreed.replace("{T}", capitalize(written)).replace("{t}", written).replace("{k}", other)
                    .replace("{a}", facts.audienceShort()).replace("{c}", facts.company())
                    .replaceAll("^the company", "The company");
        }

        private List<String> paragraphs(List<String> sentences) {
            List<String> paragraphs = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i += SENTENCES_PER_PARAGRAPH) {
                paragraphs.add(String.join(" ", sentences.subList(i, Math.min(sentences.size(), i + SENTENCES_PER_PARAGRAPH))));
            }
            return paragraphs;
        }
    }

    /**
     * The pronoun that can stand for {@code term} in {@code pattern}, or null when none reads well: "it" for a singular
     * term; for a plural one "they" as the subject of a verb that agrees ("{t} [is|are]") and "them" after a
     * preposition, else none.
     */
    static String pronounFor(String pattern, String term) {
        // "[it is|they are]" agrees with the term itself: it is no other pronoun
        if (NO_PRONOUN.matcher(NUMBER_CHOICE.matcher(pattern).replaceAll("")).find()) {
            return null;
        }
        if (!ContentMetrics.isPlural(term)) {
            return "it";
        }
        if (PLURAL_SUBJECT.matcher(pattern).find()) {
            return "they";
        }
        return PLURAL_OBJECT.matcher(pattern).find() ? "them" : null;
    }

    /**
     * Whether a word of the opener comes back in the sentence ("In practice, the practical question ...", "Better
     * still, one owner works better ..."): words of five letters or more, compared by their first five.
     */
    static boolean echoes(String opener, String sentence) {
        String lower = sentence.toLowerCase(Locale.ROOT);
        return ContentMetrics.words(opener).stream().map(w -> w.toLowerCase(Locale.ROOT)).filter(w -> w.length() >= 5)
                .anyMatch(w -> lower.contains(w.substring(0, 5)));
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

    /** "the Northwind Analytics team"; "the team" when the context names no company ("the company"). */
    static String teamOf(String company) {
        return company.startsWith("the ") ? "the team" : "the " + company + " team";
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
