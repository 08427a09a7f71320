package com.campaignflow.functions.agents;

/**
 * One agent's work. Implementations are deterministic and rule-based by default (they are also the "basic"
 * fallbacks); model-backed implementations (Bedrock Converse, OpenAI-compatible endpoints) implement the same
 * interface. An agent knows nothing of Lambda, checkpoints or Step Functions: the agent runtime does that.
 */
public interface Agent {

    /** The agent's wire name (planner, researcher, ...). */
    String name();

    /** Does the work. Throws {@link AgentFailedException} when the input does not allow a useful result. */
    AgentOutput run(AgentInput input);

    /**
     * Refuses parameters this agent could not run with, before a campaign is accepted (an {@link AgentFailedException}
     * naming the parameter): the same checks {@link #run} makes. By default every parameter is accepted.
     */
    default void checkParameters(java.util.Map<String, Object> parameters) {
    }
}
