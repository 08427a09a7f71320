package com.campaignflow.local.sfn;

/**
 * Thrown inside the executor when a state fails with an ASL error; Retry/Catch match on
 * {@link #error()}. No stack trace: it is control flow, and it is hot when tasks fail.
 */
final class StateFailure extends RuntimeException {

    private final String error;
    private final String cause;

    StateFailure(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    StateFailure(StatesError error, String cause) {
        this(error.code(), cause);
    }

    String error() {
        return error;
    }

    String cause() {
        return cause;
    }
}
