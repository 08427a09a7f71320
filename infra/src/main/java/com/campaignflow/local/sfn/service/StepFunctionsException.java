package com.campaignflow.local.sfn.service;

/**
 * Thrown when a Step Functions request cannot be served; {@link #type} is the AWS error code
 * the API reports as {@code __type} (ExecutionDoesNotExist, InvalidArn, ...), always HTTP 400.
 */
public final class StepFunctionsException extends RuntimeException {

    private final String type;

    public StepFunctionsException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public String type() {
        return type;
    }

    static StepFunctionsException validation(String message) {
        return new StepFunctionsException("ValidationException", message);
    }
}
