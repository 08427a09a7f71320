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

    /** Lower-case dotted segments before a class name; States.Timeout or Lambda.ServiceException keep theirs. */
    private static final java.util.regex.Pattern JAVA_PACKAGE = java.util.regex.Pattern.compile(
            "^(?:[a-z_][a-z0-9_]*\\.)+(?=[A-Z][A-Za-z0-9_$]*$)");

    /** "Error: Cause" of the Catch, shortened, for health and degradation records. */
    String errorDescription() {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        // Lambda names a function's exception by its full class name; the records name it as the step's own failure
        // records do: com.campaignflow.functions.faults.InjectedFaultException reads InjectedFaultException
        String name = JAVA_PACKAGE.matcher(error.path("Error").asText("unknown error")).replaceFirst("");
        String cause = ErrorCauses.forUsers(error.path("Cause").asText(""));
        String text = cause.isEmpty() ? name : name + ": " + cause;
        return Text.ellipsize(text, 300);
    }
}
