package com.campaignflow.local.lambda;

/**
 * Thrown when an invocation names a function the template does not declare (Lambda's
 * {@code ResourceNotFoundException}; Step Functions reports it as {@code Lambda.ResourceNotFoundException}).
 */
public final class UnknownFunctionException extends RuntimeException {

    public UnknownFunctionException(String nameOrArn) {
        super("Function not found: " + nameOrArn);
    }
}
