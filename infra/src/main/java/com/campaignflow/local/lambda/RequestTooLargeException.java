package com.campaignflow.local.lambda;

/** Thrown when an invocation's payload is over Lambda's synchronous request limit (Lambda's {@code RequestTooLargeException}). */
public final class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException() {
        super("Request must be smaller than " + LocalLambdaRuntime.MAX_REQUEST_BYTES + " bytes for the InvokeFunction operation");
    }
}
