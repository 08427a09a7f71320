package com.campaignflow.functions.agents.rules;

import static com.campaignflow.functions.agents.text.ContentMetrics.capitalize;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.Article;
import com.campaignflow.functions.agents.text.Cleanup;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readability editing of the writer's draft: normalises whitespace and headings, removes filler and weasel words,
 * replaces wordy phrases, drops sentence openers used more than twice (and the sentence, when without its opener it
 * repeats another one), splits sentences longer than {@value #LONG_SENTENCE} words at a clause boundary and flags
 * (does not rewrite) passive voice. Reports readability before and after (Flesch reading ease, average sentence
 * length) and every change.
 *
 * <p>Output: {@code article{...}, readability{before{...}, after{...}}, changes[{type, where, detail}],
 * change_counts{type: n}, passive_voice[{where, sentence}], long_sentences_remaining}.
 *
 * <p>Quality = 0.5 × readability of the edited text ({@link ContentMetrics#readabilityScore}) + 0.3 × (1 − share of
 * sentences still over {@value #LONG_SENTENCE} words) + 0.2 × (1 − share of sentences in the passive voice).
 */
public final class EditorAgent implements Agent {

    static final int LONG_SENTENCE = 25;
    private static final int MIN_PART = 6;

    /** A wordy phrase, its replacement ("" removes it) and the compiled case-insensitive match. */
    private record Phrase(String text, String replacement, Pattern pattern) {
        Phrase(String text, String replacement) {
            this(text, replacement, Pattern.compile("(?i)\\b" + Pattern.quote(text)));
        }
    }

    /** Applied before single filler words; order matters ("simply put, " before "simply"). */
    private static final List<Phrase> PHRASES = List.of(
            new Phrase("it is important to note that ", ""), new Phrase("it goes without saying that ", ""),
            new Phrase("needless to say, ", ""), new Phrase("many experts believe that ", ""),
            new Phrase("it is widely believed that ", ""), new Phrase("some people say that ", ""),
            new Phrase("arguably, ", ""), new Phrase("simply put, ", ""),
            new Phrase("due to the fact that", "because"), new Phrase("in order to", "to"), new Phrase("a lot of", "many"),
            new Phrase("at this point in time", "now"), new Phrase("in the event that", "if"));
    /** A filler word standing alone: not part of a hyphenated word ("just-in-time") or a contraction. */
    private static final Pattern FILLER = Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}'’-])(?:honestly|basically|actually|literally|really|very|quite|totally|extremely|definitely|just)"
                    + "(?![\\p{L}\\p{N}'’-]),?\\s*");
    /** Clause boundaries where a long sentence can be cut, with what starts the second sentence. */
    private static final List<String[]> SPLITS = List.of(
            new String[] {"; ", ""}, new String[] {", and ", ""}, new String[] {", but ", "But "},
            new String[] {", so ", "So "}, new String[] {", which ", "This "}, new String[] {", while ", "Meanwhile, "},
            new String[] {" — ", ""}, new String[] {", because ", "That is because "},
            new String[] {" who are ", "They are "});
    /** A sentence opener the editor drops when it is used too often: "In practice, ", "As it turns out, ". */
    static final Pattern OPENER = Pattern.compile("^([A-Z][a-z]+(?: [a-z]+){0,2}),\\s+");
    private static final int MAX_OPENER_USES = 2;
    private static final Pattern PASSIVE = Pattern.compile("(?i)\\b(?:am|is|are|was|were|be|been|being)\\s+(?:\\w+ly\\s+)?"
            + "(?:\\w+ed|built|made|given|done|seen|taken|written|shown|driven|known|sent|kept|held|found|paid|told|run|chosen)\\b");

    @Override
    public String name() {
        return "editor";
    }

    @Override
    public AgentOutput run(AgentInput input) {
        Article draft = Inputs.requireArticle(input, "editor", "writer");
        CampaignFacts facts = CampaignFacts.of(input.request());
        // The campaign's own words are never edited: "really simple syndication" or "Very Good Software" stay whole.
        List<Pattern> protectedTerms = protectedTerms(facts);
        List<Cleanup.Change> changes = new ArrayList<>();
        Article normalised = Cleanup.normalise(draft, changes);
        List<Article.Section> sections = new ArrayList<>();
        ArrayNode passive = JsonNodeFactory.instance.arrayNode();
        Map<String, Integer> openers = new LinkedHashMap<>();
        Set<String> draftSentences = new HashSet<>();
        ContentMetrics.sentences(normalised.bodyText()).forEach(sentence -> draftSentences.add(ContentMetrics.sentenceKey(sentence)));
        for (int i = 0; i < normalised.sections().size(); i++) {
            Article.Section s = normalised.sections().get(i);
            String where = Cleanup.where(s, i);
            List<String> paragraphs = new ArrayList<>();
            for (String p : s.paragraphs()) {
                List<String> out = new ArrayList<>();
                for (String sentence : ContentMetrics.sentences(p)) {
                    String trimmed = dropRepeatedOpener(removeFillers(sentence, protectedTerms, where, changes), openers,
                            draftSentences, where, changes);
                    if (ContentMetrics.wordCount(trimmed) == 0) {
                        continue;
                    }
                    List<String> parts = split(trimmed);
                    if (parts.size() > 1) {
                        changes.add(new Cleanup.Change("sentence_split", where,
                                ContentMetrics.wordCount(trimmed) + " words into " + parts.size() + " sentences"));
                    }
                    for (String part : parts) {
                        out.add(part);
                        if (PASSIVE.matcher(part).find()) {
                            passive.addObject().put("where", where).put("sentence", part);
                        }
                    }
                }
                if (!out.isEmpty()) {
                    paragraphs.add(String.join(" ", out));
                }
            }
            sections.add(new Article.Section(s.heading(), paragraphs));
        }
        Article edited = new Article(normalised.title(), sections);

        ContentMetrics.Readability before = ContentMetrics.readability(draft.bodyText());
        ContentMetrics.Readability after = ContentMetrics.readability(edited.bodyText());
        List<String> afterSentences = ContentMetrics.sentences(edited.bodyText());
        long longRemaining = afterSentences.stream().filter(s -> ContentMetrics.wordCount(s) > LONG_SENTENCE).count();

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("article", edited.toJson());
        ObjectNode readability = out.putObject("readability");
        readability.set("before", readabilityJson(before));
        readability.set("after", readabilityJson(after));
        ArrayNode changesNode = out.putArray("changes");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Cleanup.Change c : changes) {
            changesNode.addObject().put("type", c.type()).put("where", c.where()).put("detail", c.detail());
            counts.merge(c.type(), 1, Integer::sum);
        }
        ObjectNode countsNode = out.putObject("change_counts");
        counts.forEach(countsNode::put);
        out.set("passive_voice", passive);
        out.put("long_sentences_remaining", longRemaining);

        int sentences = Math.max(1, afterSentences.size());
        double quality = 0.5 * ContentMetrics.readabilityScore(after)
                + 0.3 * (1.0 - (double) longRemaining / sentences)
                + 0.2 * (1.0 - Math.min(1.0, (double) passive.size() / sentences));
        String summary = ContentMetrics.truncateAtWord("Edited: " + changes.size()
                + (changes.size() == 1 ? " change" : " changes") + ", Flesch "
                + before.fleschReadingEase() + " -> " + after.fleschReadingEase() + ", avg sentence "
                + before.avgSentenceLength() + " -> " + after.avgSentenceLength() + " words", 200);
        return new AgentOutput(out, ContentMetrics.round(Math.max(0.01, quality), 3), summary);
    }

    static ObjectNode readabilityJson(ContentMetrics.Readability r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("flesch_reading_ease", r.fleschReadingEase());
        n.put("avg_sentence_length", r.avgSentenceLength());
        n.put("avg_syllables_per_word", r.avgSyllablesPerWord());
        n.put("sentences", r.sentences());
        n.put("words", r.words());
        return n;
    }

    /**
     * Removes filler words and wordy phrases from one sentence, recording each removal. Occurrences of the
     * {@code protectedTerms} (see {@link #protectedTerms}) are left untouched.
     */
    static String removeFillers(String sentence, List<Pattern> protectedTerms, String where, List<Cleanup.Change> changes) {
        String s = sentence;
        for (Phrase phrase : PHRASES) {
            String replaced = replaceOutside(s, phrase.pattern(), phrase.replacement(), protectedTerms, match -> { });
            if (!replaced.equals(s)) {
                changes.add(new Cleanup.Change(phrase.replacement().isEmpty() ? "weasel_removed" : "wordy_phrase_replaced",
                        where, phrase.text().replaceAll("[,\\s]+$", "")
                                + (phrase.replacement().isEmpty() ? "" : " -> " + phrase.replacement())));
                s = replaced;
            }
        }
        s = replaceOutside(s, FILLER, "", protectedTerms, match -> changes.add(new Cleanup.Change("filler_removed", where,
                match.replaceAll("[,\\s]+$", "").toLowerCase(java.util.Locale.ROOT))));
        return capitalize(Cleanup.whitespace(s));
    }

    /**
     * Whether the editor would change this sentence: it is over {@value #LONG_SENTENCE} words, or holds a filler word
     * or wordy phrase outside the {@code protectedTerms}. Lets the basic QA fallback measure the editing it left undone.
     */
    static boolean needsEditing(String sentence, List<Pattern> protectedTerms) {
        List<Cleanup.Change> changes = new ArrayList<>();
        removeFillers(sentence, protectedTerms, "", changes);
        return ContentMetrics.wordCount(sentence) > LONG_SENTENCE || !changes.isEmpty();
    }

    /**
     * The campaign's keywords and company name as patterns matching them the way {@link ContentMetrics#occurrences}
     * does: whole words, any case, a space or hyphen between words.
     */
    static List<Pattern> protectedTerms(CampaignFacts facts) {
        List<String> terms = new ArrayList<>(facts.keywords());
        terms.add(facts.company());
        return terms.stream().filter(t -> !t.isBlank())
                .map(t -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(t.trim()).replace(" ", "\\E[\\s-]+\\Q")
                        + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
                .toList();
    }

    /**
     * Replaces every match of {@code pattern} that does not overlap an occurrence of a protected term; reports each
     * replaced match to {@code onReplace}.
     */
    private static String replaceOutside(String text, Pattern pattern, String replacement, List<Pattern> protectedTerms,
                                         java.util.function.Consumer<String> onReplace) {
        List<int[]> spans = new ArrayList<>();
        for (Pattern term : protectedTerms) {
            Matcher t = term.matcher(text);
            while (t.find()) {
                spans.add(new int[] {t.start(), t.end()});
            }
        }
        Matcher m = pattern.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int start = m.start();
            int end = m.end();
            if (spans.stream().anyMatch(span -> start < span[1] && end > span[0])) {
                continue;
            }
            onReplace.accept(m.group());
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * A sentence opener ("In practice, ") used more than twice in the article becomes noise: from its third use on it
     * is dropped, unless what remains would be too short to stand alone. When what remains is another sentence of the
     * article ({@code draftSentences}, by {@link ContentMetrics#sentenceKey}), the whole sentence is dropped instead ("" is returned),
     * so no sentence appears twice.
     */
    static String dropRepeatedOpener(String sentence, Map<String, Integer> seen, Set<String> draftSentences, String where,
                                     List<Cleanup.Change> changes) {
        Matcher m = OPENER.matcher(sentence);
        if (!m.find()) {
            return sentence;
        }
        String opener = m.group(1);
        int uses = seen.merge(opener.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        String rest = sentence.substring(m.end());
        if (uses <= MAX_OPENER_USES || ContentMetrics.wordCount(rest) < MIN_PART) {
            return sentence;
        }
        if (draftSentences.contains(ContentMetrics.sentenceKey(rest))) {
            changes.add(new Cleanup.Change("duplicate_sentence_removed", where,
                    ContentMetrics.truncateAtWord(sentence, 80) + " (the same sentence without '" + opener + "' is in the article)"));
            return "";
        }
        changes.add(new Cleanup.Change("repeated_opener_removed", where, opener + " (use " + uses + ")"));
        return capitalize(rest);
    }

    /** Splits a sentence over the limit at the clause boundary nearest its middle, recursively; else returns it whole. */
    static List<String> split(String sentence) {
        List<String> words = ContentMetrics.words(sentence);
        if (words.size() <= LONG_SENTENCE) {
            return List.of(sentence);
        }
        int best = -1;
        String[] bestSplit = null;
        int middle = sentence.length() / 2;
        for (String[] split : SPLITS) {
            int from = 0;
            int at;
            while ((at = sentence.indexOf(split[0], from)) >= 0) {
                from = at + 1;
                if (split[0].equals(", and ") && endsAList(sentence.substring(0, at))) {
                    continue; // "funnels, and a pricing tier" would leave "A pricing tier ..." alone
                }
                int left = ContentMetrics.wordCount(sentence.substring(0, at));
                int right = ContentMetrics.wordCount(sentence.substring(at + split[0].length()));
                if (left >= MIN_PART && right >= MIN_PART && (best < 0 || Math.abs(at - middle) < Math.abs(best - middle))) {
                    best = at;
                    bestSplit = split;
                }
            }
        }
        if (best < 0) {
            return List.of(sentence);
        }
        String first = sentence.substring(0, best).replaceAll("[,;\\s]+$", "") + ".";
        String rest = sentence.substring(best + bestSplit[0].length());
        String second = bestSplit[1].isEmpty() ? capitalize(rest) : bestSplit[1] + rest;
        List<String> out = new ArrayList<>(split(first));
        out.addAll(split(second));
        return out;
    }

    /** Whether text before ", and " ends in a list item ("session replay, warehouse-native funnels"): a serial list. */
    private static boolean endsAList(String before) {
        int comma = before.lastIndexOf(", ");
        return comma >= 0 && ContentMetrics.wordCount(before.substring(comma + 2)) <= 4;
    }
}
