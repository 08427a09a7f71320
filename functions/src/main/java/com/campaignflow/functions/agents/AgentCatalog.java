package com.campaignflow.functions.agents;

import java.util.Set;

/**
 * Where the agent runtime gets an {@link Agent} by wire name. The rule-based catalog is the default; a model-backed
 * catalog (Bedrock Converse, OpenAI-compatible endpoints) can implement this and fall back to the rule-based agents.
 */
public interface AgentCatalog {

    /** The agent for a wire name; throws IllegalArgumentException naming the unknown agent. */
    Agent agent(String wireName);

    /** Every wire name this catalog serves. */
    Set<String> names();
}
