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

    private static final Pattern LEADING_NAME = Pattern.compile(
            "^((?:\\p{Lu}[\\p{L}\\p{N}_&.'’-]*)(?:\\s+(?:\\p{Lu}[\\p{L}\\p{N}_&.'’-]*|&))*)");
    private static final Set<String> NOT_A_NAME = Set.of("We", "Our", "The", "This", "It", "Its", "A", "An", "Us");
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
        if (extracted) {
            ContentMetrics.topTerms(context + "\n\n" + objective, 5).forEach(t -> keywords.add(t.term()));
        }
        String audience = text(r.targetAudience());
        return new CampaignFacts(r, ContentProfile.of(r.contentType()), companyName(context), audience,
                audienceShort(audience), ContentMetrics.sentences(context), ContentMetrics.sentences(audience),
                ContentMetrics.sentences(objective), List.copyOf(keywords), extracted);
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

    /** The leading run of capitalised words of the context ("Northwind Analytics builds ..."), else "the company". */
    static String companyName(String context) {
        Matcher m = LEADING_NAME.matcher(context.trim());
        if (m.find()) {
            String name = m.group(1).replaceAll("[.'’]+$", "").trim();
            if (!NOT_A_NAME.contains(name.split("\\s+")[0]) && name.length() > 1) {
                return name;
            }
        }
        return "the company";
    }

    /** The audience up to its first qualifier ("Heads of product at B2B SaaS ..." -> "heads of product"). */
    static String audienceShort(String audience) {
        if (audience.isBlank()) {
            return "your team";
        }
        String head = AUDIENCE_CUT.split(audience.trim(), 2)[0].trim();
        if (head.isEmpty()) {
            return "your team";
        }
        List<String> ws = List.of(head.split("\\s+"));
        if (ws.size() > 6) {
            head = String.join(" ", ws.subList(0, 6));
        }
        boolean acronym = head.length() > 1 && Character.isUpperCase(head.charAt(1));
        return acronym ? head : Character.toLowerCase(head.charAt(0)) + head.substring(1);
    }

    static String text(String s) {
        return s == null ? "" : s.trim();
    }
}
