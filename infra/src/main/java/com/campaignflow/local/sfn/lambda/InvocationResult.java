package com.campaignflow.local.sfn.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a synchronous Invoke returns.
 *
 * @param payload         the response payload as JSON text; on a function error, Lambda's error
 *                        JSON {@code {"errorMessage","errorType","stackTrace"}}. May be null when
 *                        {@code payloadTree} is given.
 * @param functionError   null on success, else {@code Unhandled} (or {@code Handled})
 * @param executedVersion the version that ran, {@code $LATEST} when unqualified
 * @param requestId       the invocation's request id
 * @param payloadTree     the successful payload as a tree, when an in-process invoker has it
 *                        (saves a serialise/parse round trip); else null
 */
public record InvocationResult(String payload, String functionError, String executedVersion, String requestId,
        JsonNode payloadTree) {

    public static InvocationResult success(String payload) {
        return new InvocationResult(payload, null, "$LATEST", newRequestId(), null);
    }

    public static InvocationResult success(JsonNode payload) {
        return new InvocationResult(null, null, "$LATEST", newRequestId(), payload);
    }

    public static InvocationResult functionError(String errorJson) {
        return new InvocationResult(errorJson, "Unhandled", "$LATEST", newRequestId(), null);
    }

    /** The payload as JSON text, serialising the tree if that is what the invoker gave. */
    public String payloadJson() {
        return payload != null ? payload : String.valueOf(payloadTree);
    }

    /** A random version-4 request id; ThreadLocalRandom, since SecureRandom is needlessly slow here. */
    public static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
    }

    public boolean failed() {
        return functionError != null;
    }
}
