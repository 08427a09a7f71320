package com.campaignflow.functions.health;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.faults.FaultInjector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent run on a tiny built-in campaign, which is how the health check tells whether an agent works. On AWS the
 * health check sends the probe to the agent's deployed function (an event {@code {"health_probe": {"outputs": ...}}}),
 * so it meets what a campaign would meet there (the function's code, configuration, permissions, injected faults);
 * the function then runs {@link #run} itself.
 */
public final class AgentProbe {

    static final CampaignRequest REQUEST = new CampaignRequest(
            "health-probe",
            "Campaignflow health probe: a small analytics company that helps product teams understand how customers use their software.",
            "Product managers at small software companies",
            "Explain in a short article how product analytics helps teams decide what to build next",
            "low", "blog_post", "sequential",
            List.of("product analytics", "product decisions"),
            Map.of("writer", Map.of("target_words", 150)));

    /** How the health check reaches an agent: in this process, or through the agent's deployed function. */
    @FunctionalInterface
    public interface Runner {

        /**
         * The agent's output data for the probe campaign, given the probe outputs of the agents before it.
         *
         * @throws Exception when the agent (or the way to it) failed
         */
        JsonNode probe(String agent, Map<String, JsonNode> earlierOutputs) throws Exception;
    }

    /**
     * The probe got no answer within its bound: the agent may be slow, not failing (a campaign's run has the
     * function's whole timeout), so the probe says nothing either way.
     */
    public static final class NoAnswerInTimeException extends RuntimeException {
        public NoAnswerInTimeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AgentProbe() {
    }

    /**
     * Runs {@code agent} on the probe campaign in this process. It meets the injected faults (if any) as an agent
     * run does, {@code once} aside (see {@link FaultInjector#beforeProbe}): a game day's {@code writer:always} keeps
     * the writer's circuit open instead of a passing probe closing it.
     */
    public static JsonNode run(Agent agent, FaultInjector faults, Map<String, JsonNode> earlierOutputs) {
        if (faults != null) {
            faults.beforeProbe(agent.name());
        }
        Map<String, Object> parameters = new HashMap<>(REQUEST.agentParameters().getOrDefault(agent.name(), Map.of()));
        AgentOutput output = agent.run(new AgentInput(REQUEST, agent.name(), parameters, earlierOutputs));
        if (output == null || output.data() == null) {
            throw new IllegalStateException("agent " + agent.name() + " returned no data");
        }
        return output.data();
    }

    /** Probes the agents of {@code agents} in this process. */
    public static Runner inProcess(Map<String, Agent> agents, FaultInjector faults) {
        return (name, earlierOutputs) -> {
            Agent agent = agents.get(name);
            if (agent == null) {
                throw new IllegalArgumentException("no agent named " + name);
            }
            return run(agent, faults, earlierOutputs);
        };
    }
}
