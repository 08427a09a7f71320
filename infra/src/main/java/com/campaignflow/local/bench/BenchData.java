package com.campaignflow.local.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Campaign-like payloads of a chosen size: seeded pseudo-prose (so gzip sees text that
 * compresses like real copy, neither random bytes nor one repeated word) in the shape an
 * agent's output has.
 */
final class BenchData {

    /** The six steps of the default sequential plan, in order. */
    static final List<String> STEPS = List.of("planner", "researcher", "writer", "editor", "seo", "distribution");
    /** Checkpoint state size the issue asks about. */
    static final int STATE_BYTES = 50 * 1024;

    private static final String[] WORDS = ("campaign audience launch spring small business owners analytics dashboard "
            + "pricing trial onboarding email social blog headline subject line call to action conversion retention "
            + "churn insight report customer story benefit feature integration team workflow schedule budget channel "
            + "message tone brand voice engagement click open rate segment persona research competitor keyword search "
            + "ranking meta description landing page draft edit review publish week month quarter growth revenue "
            + "the a of to and for with on in our your their that this is are will can more new best simple fast")
            .split(" ");

    private BenchData() {
    }

    /** About {@code chars} characters of sentence-like text. */
    static String prose(Random random, int chars) {
        StringBuilder text = new StringBuilder(chars + 32);
        boolean sentenceStart = true;
        while (text.length() < chars) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(sentenceStart ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            sentenceStart = random.nextInt(12) == 0;
            text.append(sentenceStart ? ". " : " ");
        }
        return text.substring(0, chars);
    }

    /** One step's output of about {@code chars} characters of JSON: a title, sections and notes. */
    static ObjectNode agentOutput(String step, int chars, long seed) {
        Random random = new Random(seed);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("step", step);
        out.put("title", prose(random, 60));
        var sections = out.putArray("sections");
        int body = Math.max(0, chars - 200);
        for (int i = 0; i < 4; i++) {
            sections.addObject().put("heading", prose(random, 30)).put("text", prose(random, body / 4 - 40));
        }
        out.putArray("notes").add(prose(random, 40)).add(prose(random, 40));
        return out;
    }

    /** intermediate_data with every step's output, about {@link #STATE_BYTES} in all. */
    static ObjectNode fullState(long seed) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < STEPS.size(); i++) {
            data.set(STEPS.get(i), agentOutput(STEPS.get(i), STATE_BYTES / STEPS.size(), seed + i));
        }
        return data;
    }

    /**
     * intermediate_data as this product's own rule-based agents write it, for one of many campaigns ({@code variant}
     * picks its id, which seeds the writer's choices, and its keywords), the article long enough for about
     * {@link #STATE_BYTES} of outputs. Unlike {@link #fullState} the outputs repeat each other, as a campaign's do:
     * the editor's and SEO's carry the writer's article, the distribution's its sentences.
     */
    static ObjectNode agentOutputsState(int variant) {
        List<String> keywordSets = List.of("product analytics", "session replay", "feature adoption",
                "retention cohorts", "funnel analysis", "activation metrics", "churn signals", "event tracking");
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("campaign_id", "bench-" + variant);
        request.put("company_context", "Northwind Analytics builds privacy-first product analytics for B2B SaaS teams,"
                + " with warehouse-native funnels and session replay.");
        request.put("target_audience", "heads of product and growth engineers at mid-size SaaS companies");
        request.put("content_objective", "explain how warehouse-native analytics shortens the path from question to"
                + " answer, and drive trial sign-ups");
        request.putArray("keywords").add(keywordSets.get(variant % keywordSets.size()))
                .add(keywordSets.get((variant + 3) % keywordSets.size()));
        request.putObject("agent_parameters").putObject("writer").put("target_words", AGENT_ARTICLE_WORDS);
        com.campaignflow.functions.domain.CampaignRequest campaign =
                new com.campaignflow.functions.planning.CampaignRequestParser().parse(request);
        com.campaignflow.functions.agents.rules.RuleBasedAgents agents =
                new com.campaignflow.functions.agents.rules.RuleBasedAgents();
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> outputs = new java.util.HashMap<>();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (String step : STEPS) {
            var output = agents.agent(step).run(new com.campaignflow.functions.agents.AgentInput(campaign, step,
                    campaign.agentParameters().getOrDefault(step, java.util.Map.of()), outputs));
            outputs.put(step, output.data());
            data.set(step, output.data());
        }
        return data;
    }

    /** The writer's length that makes {@link #agentOutputsState} about {@link #STATE_BYTES} of JSON. */
    static final int AGENT_ARTICLE_WORDS = 1750;
}
