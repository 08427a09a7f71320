package com.campaignflow.functions.planning;

/**
 * Thrown when a campaign request is malformed or breaks a validation rule. {@link #field()} names the offending
 * field (a JSON path such as {@code keywords[3]} or {@code agent_parameters.writer.tone}, or {@code body} for the
 * request as a whole); the message says what is wrong. The API maps it to 400 {@code {"error","message"}}.
 */
public class InvalidRequestException extends RuntimeException {

    /** The {@code error} code of the 400 response body. */
    public static final String ERROR_CODE = "invalid_request";

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
