package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs agents one after another the way the runtime does: each output is stored under its step id. */
final class Chain {

    final CampaignRequest request;
    final Map<String, JsonNode> outputs = new LinkedHashMap<>();
    final Map<String, AgentOutput> results = new LinkedHashMap<>();
    private final RuleBasedAgents agents = new RuleBasedAgents();

    Chain(CampaignRequest request) {
        this.request = request;
    }

    Chain run(String agent) {
        return run(agent, agent, request.agentParameters().getOrDefault(agent, Map.of()));
    }

    Chain run(String step, String agent, Map<String, Object> parameters) {
        Agent a = agents.agent(agent);
        AgentOutput out = a.run(new com.campaignflow.functions.agents.AgentInput(request, step, parameters, outputs));
        outputs.put(step, out.data());
        results.put(step, out);
        return this;
    }

    static Chain sequential(CampaignRequest r) {
        return new Chain(r).run("planner").run("researcher").run("writer").run("editor").run("seo").run("distribution");
    }

    JsonNode data(String step) {
        return outputs.get(step);
    }

    double quality(String step) {
        return results.get(step).qualityScore();
    }
}
