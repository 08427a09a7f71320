package com.campaignflow.local.sfn.expr;

/** Thrown when a ResultPath cannot be applied, e.g. when it would write a field into a string or number. */
public class PathWriteException extends RuntimeException {
    public PathWriteException(String message) {
        super(message);
    }
}
