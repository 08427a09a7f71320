package com.campaignflow.functions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a user may see of a Step Functions error cause. A failed Lambda task's cause is the function's error JSON
 * ({@code errorMessage, errorType, stackTrace}); users get the message only, never the stack trace.
 */
public final class ErrorCauses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorCauses() {
    }

    /** The error message of a Lambda error JSON cause; any other cause unchanged (null stays null). */
    public static String forUsers(String cause) {
        if (cause == null || !cause.startsWith("{")) {
            return cause;
        }
        try {
            JsonNode parsed = JSON.readTree(cause);
            if (parsed.hasNonNull("errorMessage")) {
                return parsed.get("errorMessage").asText();
            }
            if (parsed.has("stackTrace")) {
                return parsed.path("errorType").asText("error");
            }
            return cause;
        } catch (java.io.IOException notJson) {
            return cause;
        }
    }
}
