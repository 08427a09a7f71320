package com.campaignflow.functions.agents.text;

import com.campaignflow.functions.domain.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measurements of plain English text shared by every rule-based agent: sentence and word splitting, a syllable
 * heuristic, Flesch reading ease, term frequency and keyword occurrence. One implementation per idea, so the writer,
 * editor, SEO and QA agents score the same text the same way.
 */
public final class ContentMetrics {

    /**
     * Sentence end: . ! ? (or Arabic ؟) followed by whitespace and a capital or uncased letter (CJK, Arabic ...), digit,
     * quote or markdown marker; or a CJK 。！？, which needs no space after it.
     */
    private static final Pattern SENTENCE_END = Pattern.compile(
            "(?<=[.!?\u061F])\\s+(?=[\"'(\\[\\p{Lu}\\p{Lt}\\p{Lo}\\p{N}#*-])|(?<=[\u3002\uFF01\uFF1F])\\s*(?=[^\\s\u3002\uFF01\uFF1F\u300D\u300F\u201D\uFF09)])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*");
    private static final Pattern LIST_ITEM = Pattern.compile("^(?:[-*+]|\\d+[.)])\\s+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern VOWEL_GROUPS = Pattern.compile("[aeiouy]+");

    /** Common English function words that carry no topic (term extraction ignores them). */
    public static final Set<String> STOPWORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
            "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
            "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "get",
            "gets", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if",
            "in", "into", "is", "it", "its", "itself", "just", "let", "lets", "like", "make", "makes", "may", "me",
            "more", "most", "much", "must", "my", "new", "no", "nor", "not", "now", "of", "off", "on", "once", "one",
            "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some",
            "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
            "those", "through", "to", "too", "under", "until", "up", "us", "use", "very", "via", "was", "we", "well",
            "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "without",
            "would", "you", "your", "yours", "adds", "add", "builds", "build", "want", "wants", "need", "needs",
            "less", "explain", "drive", "show", "help", "helps", "way", "ways", "many", "every", "within", "across");

    private ContentMetrics() {
    }

    /**
     * Splits text into trimmed sentences. Markdown-aware: heading lines are not sentences, blank lines end a
     * paragraph and each list item stands alone.
     */
    public static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder paragraph = new StringBuilder();
        for (String line : text.split("\\R")) {
            String l = line.trim();
            boolean heading = l.startsWith("#");
            Matcher itemMarker = LIST_ITEM.matcher(l);
            boolean item = itemMarker.find();
            if (l.isEmpty() || heading || item) {
                splitParagraph(paragraph.toString(), out);
                paragraph.setLength(0);
            }
            if (item) {
                splitParagraph(l.substring(itemMarker.end()), out);
            } else if (!heading && !l.isEmpty()) {
                paragraph.append(l).append(' ');
            }
        }
        splitParagraph(paragraph.toString(), out);
        return out;
    }

    private static void splitParagraph(String paragraph, List<String> out) {
        String flat = WHITESPACE.matcher(paragraph).replaceAll(" ").trim();
        if (flat.isEmpty()) {
            return;
        }
        for (String s : SENTENCE_END.split(flat)) {
            if (!words(s).isEmpty()) {
                out.add(s.trim());
            }
        }
    }

    /** The words of a text (letters and digits, with inner apostrophes and hyphens kept). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    public static int wordCount(String text) {
        return words(text).size();
    }

    /**
     * Syllables of one word by the usual heuristic: count vowel groups, drop a silent final "e" (but not "-le"),
     * count "-ed" only after t/d, at least one per word; hyphenated words add up their parts; numbers count one
     * syllable per digit group of up to two digits.
     */
    public static int syllables(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.indexOf('\'') >= 0 || w.indexOf('’') >= 0) {
            w = w.replace("'", "").replace("’", "");
        }
        if (w.contains("-")) {
            int sum = 0;
            for (String part : w.split("-")) {
                if (!part.isEmpty()) {
                    sum += syllables(part);
                }
            }
            return Math.max(1, sum);
        }
        if (w.chars().allMatch(Character::isDigit)) {
            return Math.max(1, (w.length() + 1) / 2);
        }
        if (w.length() <= 3) {
            return 1;
        }
        if (w.endsWith("e") && !w.endsWith("le") && !w.endsWith("ee")) {
            w = w.substring(0, w.length() - 1);
        } else if (w.endsWith("ed") && !w.endsWith("ted") && !w.endsWith("ded")) {
            w = w.substring(0, w.length() - 2);
        } else if (w.endsWith("es") && !w.endsWith("ses") && !w.endsWith("ces") && !w.endsWith("ges")) {
            w = w.substring(0, w.length() - 2);
        }
        Matcher m = VOWEL_GROUPS.matcher(w);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return Math.max(1, count);
    }

    /** Readability figures of a text. */
    public record Readability(int sentences, int words, int syllables, double avgSentenceLength,
                              double avgSyllablesPerWord, double fleschReadingEase) {
    }

    /** Flesch reading ease = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words). */
    public static Readability readability(String text) {
        List<String> sentences = sentences(text);
        int words = 0;
        int syllables = 0;
        for (String s : sentences) {
            for (String w : words(s)) {
                words++;
                syllables += syllables(w);
            }
        }
        if (words == 0) {
            return new Readability(0, 0, 0, 0, 0, 0);
        }
        double asl = (double) words / sentences.size();
        double asw = (double) syllables / words;
        double fre = 206.835 - 1.015 * asl - 84.6 * asw;
        return new Readability(sentences.size(), words, syllables, round(asl, 2), round(asw, 3), round(fre, 1));
    }

    /**
     * Readability as a score in (0, 1]: the mean of a Flesch part, {@code clamp(FRE / 60)} (60 = "plain English"),
     * and a sentence-length part, 1 up to 20 words per sentence falling linearly to 0 at 40; floored at 0.01 so that
     * any non-empty text scores above zero.
     */
    public static double readabilityScore(Readability r) {
        if (r.words() == 0) {
            return 0.0;
        }
        double flesch = clamp(r.fleschReadingEase() / 60.0);
        double length = clamp(1.0 - Math.max(0.0, r.avgSentenceLength() - 20.0) / 20.0);
        return Math.max(0.01, (flesch + length) / 2.0);
    }

    /** Occurrences of a (possibly multi-word) keyword as whole words, case-insensitive. */
    public static int occurrences(String text, String keyword) {
        if (text == null || keyword == null || keyword.isBlank()) {
            return 0;
        }
        Pattern p = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(keyword.trim().toLowerCase(Locale.ROOT))
                .replace(" ", "\\E[\\s-]+\\Q") + "(?![\\p{L}\\p{N}])");
        Matcher m = p.matcher(text.toLowerCase(Locale.ROOT));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Keyword density in percent: words taken by the keyword's occurrences over all words. */
    public static double densityPercent(String text, String keyword) {
        int total = wordCount(text);
        if (total == 0) {
            return 0;
        }
        return round(100.0 * occurrences(text, keyword) * Math.max(1, wordCount(keyword)) / total, 2);
    }

    /** A sentence as compared with others for repeats: lower case, without its closing punctuation. */
    public static String sentenceKey(String sentence) {
        return sentence.toLowerCase(Locale.ROOT).replaceAll("[\\s.!?\"]+$", "").trim();
    }

    /** A term and how often it occurs. */
    public record Term(String term, int count) {
    }

    /**
     * The most frequent content terms: single non-stopword words of three letters or more plus two-word phrases of
     * such words that occur at least twice (or appear in {@code text} as a capitalised name). Ties keep first
     * appearance, so the result is deterministic.
     */
    public static List<Term> topTerms(String text, int limit) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String sentence : sentences(text)) {
            List<String> ws = words(sentence).stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
            for (int i = 0; i < ws.size(); i++) {
                String w = ws.get(i);
                if (isContentWord(w)) {
                    counts.merge(w, 1, Integer::sum);
                    if (i + 1 < ws.size() && isContentWord(ws.get(i + 1))) {
                        counts.merge(w + " " + ws.get(i + 1), 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, Integer> order = new java.util.HashMap<>();
        counts.keySet().forEach(k -> order.put(k, order.size()));
        return counts.entrySet().stream()
                .filter(e -> !e.getKey().contains(" ") || e.getValue() >= 2)
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> -weight(e))
                        .thenComparingInt(e -> order.get(e.getKey())))
                .limit(limit)
                .map(e -> new Term(e.getKey(), e.getValue()))
                .toList();
    }

    /** Phrases count double: a repeated two-word phrase says more about the topic than either word. */
    private static int weight(Map.Entry<String, Integer> e) {
        return e.getKey().contains(" ") ? e.getValue() * 2 : e.getValue();
    }

    /**
     * Whether a term reads as plural, so a verb after it must agree: its last word ends in a lower-case "s", but not
     * in -ss, -us, -is or -ics ("process", "status", "analysis", "analytics" are singular) nor is "news" or "series".
     */
    public static boolean isPlural(String term) {
        List<String> ws = words(term);
        if (ws.isEmpty()) {
            return false;
        }
        String last = ws.getLast();
        return last.length() > 2 && last.endsWith("s") && !last.matches(".*(ss|us|is|ics)$")
                && !Set.of("news", "series", "species").contains(last.toLowerCase(Locale.ROOT));
    }

    public static boolean isContentWord(String lowerWord) {
        return lowerWord.length() >= 3 && !STOPWORDS.contains(lowerWord) && !lowerWord.chars().allMatch(Character::isDigit);
    }

    public static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    public static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /**
     * Shortens text to at most {@code max} characters at a word boundary, without trailing punctuation; a text with
     * no space in its second half is cut inside its last word. "" when {@code max} is 0 or less.
     */
    public static String truncateAtWord(String text, int max) {
        String t = text.replaceAll("\\s+", " ").trim();
        if (t.length() <= max) {
            return t;
        }
        if (max <= 0) {
            return "";
        }
        int cut = t.lastIndexOf(' ', max);
        String head = cut > max / 2 ? t.substring(0, cut) : Text.prefix(t, max);
        return head.replaceAll("[\\s,;:.\\-–—]+$", "");
    }

    /**
     * The longest run of whole words of {@code text} within {@code max} characters, without trailing punctuation;
     * unlike {@link #truncateAtWord} it never cuts inside a word, so it is "" when even the first word is too long.
     */
    public static String wholeWords(String text, int max) {
        String t = text.replaceAll("\\s+", " ").trim();
        if (t.length() <= max) {
            return t;
        }
        int cut = max < 0 ? -1 : t.lastIndexOf(' ', max);
        return cut <= 0 ? "" : t.substring(0, cut).replaceAll("[\\s,;:.\\-–—]+$", "");
    }

    /** Upper-cases the first letter, except of a name written with a capital inside its first word ("iPhone", "eBay"). */
    public static String capitalize(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        int firstWordEnd = s.indexOf(' ') < 0 ? s.length() : s.indexOf(' ');
        if (Character.isLowerCase(s.charAt(0)) && s.substring(1, firstWordEnd).chars().anyMatch(Character::isUpperCase)) {
            return s;
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Title case for headings: every word capitalised except short joining words after the first. */
    public static String titleCase(String s) {
        Set<String> minor = Set.of("a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or", "per", "the", "to", "via", "vs", "with");
        String[] parts = s.trim().split("\\s+");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean keep = p.length() > 1 && p.chars().skip(1).anyMatch(Character::isUpperCase);
            String out = keep ? p : (i > 0 && minor.contains(p.toLowerCase(Locale.ROOT)) ? p.toLowerCase(Locale.ROOT) : capitalize(p));
            b.append(i == 0 ? "" : " ").append(out);
        }
        return b.toString();
    }

    /** A stable 32-bit seed from strings (String.hashCode is specified, so runs and JVMs agree). */
    public static int seed(String... parts) {
        return String.join("\u0000", parts).hashCode() & 0x7fffffff;
    }
}
