package com.campaignflow.local.sfn.expr;

/** Thrown when a path, intrinsic function, payload template or Choice rule in a definition is malformed. */
public class InvalidExpressionException extends IllegalArgumentException {
    public InvalidExpressionException(String message) {
        super(message);
    }
}
