package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deterministic, offline agents by wire name: planner, researcher, writer, editor, seo, distribution and the
 * degraded fallbacks basic_research and basic_qa. Agents are stateless, so one instance serves every invocation.
 */
public final class RuleBasedAgents implements AgentCatalog {

    private final Map<String, Agent> agents = new LinkedHashMap<>();

    public RuleBasedAgents() {
        for (Agent a : List.of(new PlannerAgent(), new ResearcherAgent(), new WriterAgent(), new EditorAgent(),
                new SeoAgent(), new DistributionAgent(), new BasicResearchAgent(), new BasicQaAgent())) {
            agents.put(a.name(), a);
        }
    }

    @Override
    public Agent agent(String wireName) {
        Agent a = agents.get(wireName);
        if (a == null) {
            throw new IllegalArgumentException("unknown agent '" + wireName + "'; known agents: " + agents.keySet());
        }
        return a;
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(agents.keySet());
    }
}
