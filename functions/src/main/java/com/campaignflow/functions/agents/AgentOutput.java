package com.campaignflow.functions.agents;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an agent produces.
 *
 * @param data         the agent's full output (goes into the checkpoint's intermediate_data, never into the state payload)
 * @param qualityScore measured from properties of the output (readability, structure, keyword coverage), in [0, 1]
 * @param summary      one line for progress messages and the state payload, at most 200 characters
 */
public record AgentOutput(JsonNode data, double qualityScore, String summary) {
}
