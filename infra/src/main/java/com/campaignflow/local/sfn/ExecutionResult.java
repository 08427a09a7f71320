package com.campaignflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an execution ended: the output when it succeeded, else error and cause (either may be null). */
public record ExecutionResult(ExecutionStatus status, JsonNode output, String error, String cause) {

    public static ExecutionResult succeeded(JsonNode output) {
        return new ExecutionResult(ExecutionStatus.SUCCEEDED, output, null, null);
    }

    public static ExecutionResult ended(ExecutionStatus status, String error, String cause) {
        return new ExecutionResult(status, null, error, cause);
    }

    /** {"status":"SUCCEEDED","output":...} or {"status":"FAILED","error":...,"cause":...}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("status", status.name());
        if (status == ExecutionStatus.SUCCEEDED) {
            json.set("output", output);
        } else {
            json.put("error", error);
            json.put("cause", cause);
        }
        return json;
    }
}
