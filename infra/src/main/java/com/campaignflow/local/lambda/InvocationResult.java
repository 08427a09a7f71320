package com.campaignflow.local.lambda;

import java.util.List;

/**
 * The outcome of one invocation, as the Lambda Invoke API reports it: the response payload, or a function error
 * (Invoke's {@code X-Amz-Function-Error: Unhandled}) whose payload is the runtime's error JSON
 * {@code {"errorMessage", "errorType", "stackTrace"}}. Step Functions turns a function error into a task failure
 * with {@code Error} = errorType and {@code Cause} = the payload.
 */
public sealed interface InvocationResult {

    /** The response payload JSON (for a function error, the error JSON). */
    String payload();

    /** The invocation's request id (also in the Context and in the function's log lines). */
    String requestId();

    record Success(String payload, String requestId) implements InvocationResult {
    }

    record FunctionError(String errorType, String errorMessage, List<String> stackTrace, String payload, String requestId)
            implements InvocationResult {

        public FunctionError {
            stackTrace = List.copyOf(stackTrace);
        }
    }
}
