package com.campaignflow.local.sfn.expr;

/** Thrown when a definite path selects nothing in the document it is read from. */
public class PathNotFoundException extends RuntimeException {
    public PathNotFoundException(String message) {
        super(message);
    }
}
