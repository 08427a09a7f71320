package com.campaignflow.local.sfn.lambda;

/**
 * What a synchronous Invoke returns.
 *
 * @param payload         the response payload as JSON text; on a function error, Lambda's error
 *                        JSON {@code {"errorMessage","errorType","stackTrace"}}
 * @param functionError   null on success, else {@code Unhandled} (or {@code Handled})
 * @param executedVersion the version that ran, {@code $LATEST} when unqualified
 * @param requestId       the invocation's request id
 */
public record InvocationResult(String payload, String functionError, String executedVersion, String requestId) {

    public static InvocationResult success(String payload) {
        return new InvocationResult(payload, null, "$LATEST", java.util.UUID.randomUUID().toString());
    }

    public static InvocationResult functionError(String errorJson) {
        return new InvocationResult(errorJson, "Unhandled", "$LATEST", java.util.UUID.randomUUID().toString());
    }

    public boolean failed() {
        return functionError != null;
    }
}
