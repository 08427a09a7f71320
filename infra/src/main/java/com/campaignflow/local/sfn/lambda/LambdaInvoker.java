package com.campaignflow.local.sfn.lambda;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Invokes a Lambda function synchronously (RequestResponse), the way the Step Functions
 * Lambda integration does. The local Lambda emulation implements it over real handlers;
 * {@link InMemoryLambdaInvoker} over plain Java functions.
 */
@FunctionalInterface
public interface LambdaInvoker {

    /**
     * @param functionArn a full function ARN, possibly with a version or alias qualifier
     * @param payloadJson the event, as JSON text
     * @return the invocation result, including function errors (which are not exceptions)
     * @throws LambdaServiceException when the Lambda service itself fails the call
     */
    InvocationResult invoke(String functionArn, String payloadJson);

    /**
     * The same with the event as a tree. The engine calls this one; in-process invokers
     * override it to skip serialising the event. The invoker must not modify {@code payload}.
     */
    default InvocationResult invokeTree(String functionArn, JsonNode payload) {
        return invoke(functionArn, payload.toString());
    }

    /** An invoker that knows no function: every call fails as for an unknown function. */
    static LambdaInvoker none() {
        return (arn, payload) -> {
            throw LambdaServiceException.resourceNotFound(arn);
        };
    }
}
