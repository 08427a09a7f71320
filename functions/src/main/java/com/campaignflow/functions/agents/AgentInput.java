package com.campaignflow.functions.agents;

import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What an agent gets.
 *
 * @param request         the campaign request
 * @param stepId          the plan step (researcher_a, researcher_b, ... in a parallel plan)
 * @param parameters      agent parameters (the request's agent_parameters for this agent merged with the step's)
 * @param previousOutputs outputs of earlier steps, by step id ("planner", "researcher", "researcher_a", "writer", ...)
 *                        as read back from their checkpoints
 */
public record AgentInput(
        CampaignRequest request,
        String stepId,
        Map<String, Object> parameters,
        Map<String, JsonNode> previousOutputs) {

    public AgentInput {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        previousOutputs = previousOutputs == null ? Map.of() : Map.copyOf(previousOutputs);
    }
}
