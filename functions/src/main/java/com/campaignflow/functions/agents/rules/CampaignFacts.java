package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.CampaignRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every rule-based agent reads out of a campaign request: the company name, a short audience phrase, the
 * sentences of each text field and the keyword list (the request's keywords, else the top terms of the context and
 * objective). Computed the same way by every agent.
 */
record CampaignFacts(
        CampaignRequest request,
        ContentProfile profile,
        String company,
        String audience,
        String audienceShort,
        List<String> contextSentences,
        List<String> audienceSentences,
        List<String> objectiveSentences,
        List<String> keywords,
        boolean keywordsExtracted) {

    /** A run of capitalised words ("Northwind Analytics", "Smith & Sons"). */
    private static final Pattern CAPITALISED_RUN = Pattern.compile(
            "\\p{Lu}[\\p{L}\\p{N}_&.'’-]*(?:\\s+(?:\\p{Lu}[\\p{L}\\p{N}_&.'’-]*|&))*");
    /** Sentence openings that say the company is the subject without naming it: no name is looked for after them. */
    private static final Set<String> UNNAMED_SUBJECT = Set.of("we", "our", "it", "its", "us", "this", "they", "their");
    /**
     * Capitalised sentence openings that are no part of a name: articles, prepositions and time words, in English and
     * the languages of the sample contexts ("Since 2019, Acme ...", "En 2023, Soluciones Verdes ...", "Chez Dupont").
     */
    private static final Set<String> OPENING_WORDS = Set.of("a", "an", "the", "in", "at", "on", "for", "from", "by",
            "with", "as", "of", "to", "into", "via", "over", "under", "across", "within", "after", "before", "during",
            "since", "when", "while", "every", "each", "founded", "based", "today", "recently", "last", "launched",
            "started", "en", "el", "la", "los", "las", "un", "una", "le", "les", "des", "du", "chez", "au", "aux", "dans",
            "der", "die", "das", "den", "dem", "ein", "eine", "im", "bei", "seit", "mit", "il", "lo", "gli", "nel", "het",
            "een", "de", "del");
    /**
     * Words that open a sentence about a market rather than a company ("Small clinics lose hours ...", "Many law firms
     * ..."): a capitalised run of just one of them (or of a stopword) is no name.
     */
    private static final Set<String> COMMON_OPENERS = Set.of("small", "large", "big", "busy", "local", "independent",
            "growing", "modern", "online", "most", "many", "some", "several", "few", "all", "every", "each", "young",
            "regional", "family-run", "smaller", "larger", "mid-sized", "today's", "too", "more", "fewer", "nearly",
            "almost", "over", "hundreds", "thousands", "millions", "everyone", "anyone", "people", "teams", "companies",
            "businesses", "customers", "clinics", "patients", "firms", "shops", "stores", "restaurants", "schools");
    /** Single words too general to be a keyword of their own: "product", "tier", "teams" from a product's context. */
    private static final Set<String> GENERIC_WORDS = Set.of("product", "products", "tier", "tiers", "team", "teams",
            "company", "companies", "customer", "customers", "user", "users", "people", "platform", "platforms", "tool",
            "tools", "release", "data", "business", "businesses", "service", "services", "solution", "solutions",
            "feature", "features", "time", "value", "work", "way", "ways", "new", "small", "large", "insights",
            "results", "plan", "plans", "pricing", "price", "prices", "offer", "offers", "system", "systems", "sign-ups",
            "signups", "growth", "help", "helps", "builds", "makes", "sells", "adds", "year", "week", "day", "month");
    private static final Pattern AUDIENCE_CUT = Pattern.compile("\\s+(?:at|who|with|in|that|which|working|from)\\s+|,|;");

    static CampaignFacts of(CampaignRequest r) {
        if (r == null) {
            throw new AgentFailedException("campaign request is missing");
        }
        String context = text(r.companyContext());
        String objective = text(r.contentObjective());
        if (context.isBlank() && objective.isBlank()) {
            throw new AgentFailedException("campaign " + r.campaignId()
                    + " has neither company_context nor content_objective: nothing to write about");
        }
        List<String> keywords = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String k : r.keywords()) {
            if (k != null && !k.isBlank() && seen.add(k.trim().toLowerCase(Locale.ROOT))) {
                keywords.add(keywordCase(k));
            }
        }
        boolean extracted = keywords.isEmpty();
        String company = companyName(context);
        if (extracted) {
            // The top terms, each sharing no word with one taken ("product" beside "product analytics", "sell" beside
            // "sells"), none that is the company's name ("acme" from "Acme sells socks"), and single words only when
            // they name the topic (see isTopicWord).
            List<String> companyWords = List.of(company.toLowerCase(Locale.ROOT).split("\\s+"));
            Set<String> taken = new HashSet<>();
            for (ContentMetrics.Term t : ContentMetrics.topTerms(context + "\n\n" + objective, 20)) {
                List<String> words = List.of(t.term().split(" "));
                boolean overlaps = companyWords.containsAll(words) || words.stream().anyMatch(w -> taken.contains(w)
                        || taken.contains(w + "s") || (w.endsWith("s") && taken.contains(w.substring(0, w.length() - 1))));
                if (!overlaps && keywords.size() < 5 && (words.size() > 1 || isTopicWord(t))) {
                    keywords.add(t.term());
                    taken.addAll(words);
                }
            }
            if (keywords.isEmpty()) {
                // a short context may repeat nothing: its first specific term that is not the company's name, then
                ContentMetrics.topTerms(context + "\n\n" + objective, 20).stream().map(ContentMetrics.Term::term)
                        .filter(term -> !companyWords.containsAll(List.of(term.split(" "))) && !GENERIC_WORDS.contains(term))
                        .findFirst()
                        .ifPresent(keywords::add);
            }
        }
        String audience = text(r.targetAudience());
        return new CampaignFacts(r, ContentProfile.of(r.contentType()), company, audience,
                audienceShort(audience, context + "\n" + objective, keywords),
                ContentMetrics.sentences(context), ContentMetrics.sentences(audience),
                ContentMetrics.sentences(objective), List.copyOf(keywords), extracted);
    }

    /**
     * Whether a single word can be a keyword: one the text repeats (a word said once, such as "mid-sized" or
     * "privacy-first", is mostly an adjective) and that is not too general ("Getting Value from Tier").
     */
    private static boolean isTopicWord(ContentMetrics.Term term) {
        return term.count() >= 2 && !GENERIC_WORDS.contains(term.term());
    }

    /**
     * A keyword as it reads inside a sentence: as the user wrote it ("GDPR compliance", "Shopify Plus", "AI"), except
     * that a phrase capitalised only because it starts with a capital ("Product analytics") is lower-cased.
     */
    static String keywordCase(String keyword) {
        String[] words = keyword.trim().split("\\s+");
        boolean named = words.length == 1;
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            named |= w.chars().skip(1).anyMatch(Character::isUpperCase) || (i > 0 && Character.isUpperCase(w.charAt(0)));
        }
        return named ? String.join(" ", words) : String.join(" ", words).toLowerCase(Locale.ROOT);
    }

    String primaryKeyword() {
        return keywords.isEmpty() ? company.toLowerCase(Locale.ROOT) : keywords.getFirst();
    }

    List<String> secondaryKeywords() {
        return keywords.size() <= 1 ? List.of() : keywords.subList(1, keywords.size());
    }

    /**
     * The company named at the start of the context: the leading run of capitalised words of one of its first three
     * sentences ("Northwind Analytics builds ..."), or, when a sentence opens with a preposition or article ("In
     * 2024, Brightline Labs ...", "At Acme Commerce, we ...", "The company behind Ledgerly ..."), the first name after
     * it that is not an acronym. A sentence about the market ("Small clinics lose hours ...") names none; one about
     * the company unnamed ("We build tools.") ends the search: "the company".
     */
    static String companyName(String context) {
        List<String> sentences = ContentMetrics.sentences(context.trim());
        for (String sentence : sentences.subList(0, Math.min(3, sentences.size()))) {
            Matcher m = CAPITALISED_RUN.matcher(sentence);
            while (m.find()) {
                List<String> words = new ArrayList<>(List.of(m.group().split("\\s+")));
                if (m.start() == 0) {
                    String opening = words.getFirst().toLowerCase(Locale.ROOT);
                    if (UNNAMED_SUBJECT.contains(opening)) {
                        return "the company";
                    }
                    while (!words.isEmpty() && isOpeningWord(words.getFirst())) {
                        words.removeFirst();
                    }
                    if (words.size() == 1 && isCommonWord(words.getFirst())) {
                        words.clear(); // "Small clinics ...", "Many law firms ..."
                    }
                } else if (words.stream().allMatch(w -> w.equals(w.toUpperCase(Locale.ROOT)))) {
                    continue; // "GDPR", "EU": an acronym in the sentence is rarely the company
                }
                String name = String.join(" ", words).replaceAll("(?:['’]s)?[.'’&\\s]*$", "").trim();
                if (name.length() > 1) {
                    return name;
                }
            }
        }
        return "the company";
    }

    private static boolean isCommonWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return ContentMetrics.STOPWORDS.contains(w) || COMMON_OPENERS.contains(w);
    }

    static boolean isOpeningWord(String word) {
        return OPENING_WORDS.contains(word.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]", ""));
    }

    /**
     * The audience up to its first qualifier ("Heads of product at B2B SaaS ..." -> "heads of product"), at most six
     * words and cut before an "and"/"or" that would leave a half phrase. The first letter is lower-cased to continue a
     * sentence, unless the first word is an acronym or a name: written with its capital inside a sentence of
     * {@code otherText} (the context and objective), as "Shopify" in "we help Shopify merchants", or in a keyword.
     */
    static String audienceShort(String audience, String otherText, List<String> keywords) {
        if (audience.isBlank()) {
            return "your team";
        }
        String head = AUDIENCE_CUT.split(audience.trim(), 2)[0].trim();
        if (head.isEmpty()) {
            return "your team";
        }
        List<String> ws = new ArrayList<>(List.of(head.split("\\s+")));
        if (ws.size() > 6) {
            ws = new ArrayList<>(ws.subList(0, 6));
            int conjunction = ws.indexOf("and") > 0 ? ws.indexOf("and") : ws.indexOf("or");
            if (conjunction > 0) {
                ws = new ArrayList<>(ws.subList(0, conjunction));
            }
            while (ws.size() > 1 && ContentMetrics.STOPWORDS.contains(ws.getLast().toLowerCase(Locale.ROOT))) {
                ws.removeLast();
            }
            head = String.join(" ", ws);
        }
        boolean acronym = head.length() > 1 && Character.isUpperCase(head.charAt(1));
        String first = ws.getFirst();
        boolean name = Character.isUpperCase(head.charAt(0))
                && (Pattern.compile("(?<=[\\p{Ll}\\p{N},;:] )" + Pattern.quote(first) + "(?![\\p{L}\\p{N}])")
                        .matcher(otherText).find()
                || keywords.stream().anyMatch(k -> List.of(k.split("\\s+")).contains(first)));
        return acronym || name ? head : Character.toLowerCase(head.charAt(0)) + head.substring(1);
    }

    static String text(String s) {
        return s == null ? "" : s.trim();
    }
}
