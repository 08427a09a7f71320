package com.campaignflow.functions.runtime;

import com.campaignflow.functions.domain.Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The agent event (Lambda input) of docs/contracts.md; snake_case on the wire.
 *
 * @param replaces the step's primary agent when this is a fallback run, else null
 * @param results  the workflow's results so far: objects carrying {@code checkpoint_id}, keyed by step id (a
 *                 Parallel state may nest them in arrays)
 * @param error    {@code {"Error", "Cause"}} from the Catch on a fallback run, else null
 */
public record AgentTask(
        String workflowId,
        String campaignId,
        String executionId,
        String stepId,
        String agent,
        String replaces,
        Map<String, Object> parameters,
        JsonNode results,
        JsonNode error) {

    public AgentTask {
        parameters = parameters == null ? Map.of() : parameters;
    }

    public boolean isFallback() {
        return replaces != null && !replaces.isBlank();
    }

    /** "Error: Cause" of the Catch, shortened, for health and degradation records. */
    String errorDescription() {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        String name = error.path("Error").asText("unknown error");
        String cause = ErrorCauses.forUsers(error.path("Cause").asText(""));
        String text = cause.isEmpty() ? name : name + ": " + cause;
        return Text.ellipsize(text, 300);
    }
}
