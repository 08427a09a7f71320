package com.campaignflow.functions.api.exceptions;

/** Thrown when a request body is larger than its route accepts. The API answers 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long size, long limit) {
        super("request body is " + size + " bytes; this route accepts at most " + limit);
    }
}
