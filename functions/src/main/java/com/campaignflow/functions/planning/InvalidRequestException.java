package com.campaignflow.functions.planning;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a campaign request is malformed or breaks a validation rule. {@link #field()} names the offending
 * field (a JSON path such as {@code keywords[3]} or {@code agent_parameters.writer.tone}, or {@code body} for the
 * request as a whole); the message says what is wrong. A request with several wrong fields is one exception whose
 * {@link #problems()} name each (the message joins them). The API maps it to 400
 * {@code {"error","message","errors":[{"field","message"}]}}.
 */
public class InvalidRequestException extends RuntimeException {

    /** The {@code error} code of the 400 response body. */
    public static final String ERROR_CODE = "invalid_request";

    /** One wrong field: its JSON path and what is wrong with it. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final List<Problem> problems;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.problems = List.of(new Problem(field, message));
    }

    /** Several problems found in one request, in the order found; at least one. */
    public InvalidRequestException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid request has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The first wrong field. */
    public String field() {
        return problems.getFirst().field();
    }

    public List<Problem> problems() {
        return problems;
    }
}
