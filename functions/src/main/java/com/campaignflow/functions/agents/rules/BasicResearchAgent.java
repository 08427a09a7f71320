package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.agents.text.ContentMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The degraded fallback for the researcher: key terms of the context, the objective's message as the goal, the
 * audience restated, the first two context sentences as insights. No entities, pain points or questions, so its
 * quality ({@link ResearchNotes#quality}, the same measure as the researcher's) is lower. {@code degraded} is true.
 */
public final class BasicResearchAgent implements Agent {

    @Override
    public String name() {
        return "basic_research";
    }

    @Override
    public AgentOutput run(AgentInput input) {
        CampaignFacts facts = CampaignFacts.of(input.request());
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("focus", "general");
        n.put("degraded", true);
        n.set("key_terms", ResearchNotes.keyTerms(String.join(" ", facts.contextSentences()), 5));
        n.put("objective", String.join(" ", facts.objectiveSentences()));
        ObjectNode audience = n.putObject("audience");
        audience.put("description", facts.audience());
        audience.put("short", facts.audienceShort());
        audience.putArray("pain_points");
        ArrayNode goals = audience.putArray("goals");
        // The objective's message, not its wording: "Explain how X" is an instruction, "Drive sign-ups" a sales target.
        PlannerAgent.objectiveMessages(facts).stream().limit(1)
                .forEach(m -> goals.addObject().put("text", m).put("source_id", "content_objective#1"));
        ArrayNode sources = ResearchNotes.sources(facts);
        ArrayNode insights = n.putArray("insights");
        int k = 0;
        for (JsonNode s : sources) {
            if (s.path("kind").asText().equals("company_context") && k < 2) {
                k++;
                insights.addObject().put("id", "I" + k).put("text", facts.contextSentences().get(k - 1))
                        .put("source_id", s.path("id").asText()).put("facet", "market");
            }
        }
        n.set("sources", sources);
        n.putArray("entities");
        n.putArray("questions");
        double quality = ResearchNotes.quality(n);
        return new AgentOutput(n, quality, ContentMetrics.truncateAtWord("Basic research (degraded): "
                + insights.size() + " insights, terms " + ResearcherAgent.topTerms(n, 3), 200));
    }
}
