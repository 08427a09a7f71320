package com.campaignflow.local.sfn.service;

/**
 * Thrown when a Step Functions request cannot be served; {@link #type} is the AWS error code
 * the API reports as {@code __type} (ExecutionDoesNotExist, InvalidArn, ...), always HTTP 400.
 */
public final class StepFunctionsException extends RuntimeException {

    private final String type;
    private final String resourceName;

    public StepFunctionsException(String type, String message) {
        this(type, message, null);
    }

    /** @param resourceName the resource the error is about (ResourceNotFound, TooManyTags), or null */
    public StepFunctionsException(String type, String message, String resourceName) {
        super(message, null, false, false);
        this.type = type;
        this.resourceName = resourceName;
    }

    public String type() {
        return type;
    }

    public String resourceName() {
        return resourceName;
    }

    static StepFunctionsException validation(String message) {
        return new StepFunctionsException("ValidationException", message);
    }
}
