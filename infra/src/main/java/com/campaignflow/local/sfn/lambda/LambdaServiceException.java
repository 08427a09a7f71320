package com.campaignflow.local.sfn.lambda;

/**
 * Thrown when the Lambda service (not the function) fails an Invoke: unknown function,
 * throttling, service or client errors. {@link #errorName()} is the name Step Functions
 * reports, e.g. {@code Lambda.TooManyRequestsException}.
 */
public final class LambdaServiceException extends RuntimeException {

    private final String errorName;

    public LambdaServiceException(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    public String errorName() {
        return errorName;
    }

    public static LambdaServiceException resourceNotFound(String functionArn) {
        return new LambdaServiceException("Lambda.ResourceNotFoundException",
                "Function not found: " + functionArn + " (Service: Lambda, Status Code: 404, Request ID: "
                        + java.util.UUID.randomUUID() + ")");
    }

    public static LambdaServiceException tooManyRequests(String functionArn) {
        return new LambdaServiceException("Lambda.TooManyRequestsException",
                "Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: " + java.util.UUID.randomUUID()
                        + ") for " + functionArn);
    }
}
