package com.campaignflow.functions.handlers;

import com.campaignflow.functions.agents.Agent;
import java.util.Map;

/**
 * Supplies the agents by wire name (the rule-based registry by default). Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/com.campaignflow.functions.handlers.AgentProvider}).
 */
public interface AgentProvider {

    Map<String, Agent> agents();
}
