package com.campaignflow.functions.api.exceptions;

/** Thrown when a request body is larger than its route accepts. The API answers 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long size, long limit) {
        this("request body is " + size + " bytes; this route accepts at most " + limit);
    }

    private PayloadTooLargeException(String message) {
        super(message);
    }

    /** A body read only as far as past the limit (a stream), so its size is not known. */
    public static PayloadTooLargeException overLimit(long limit) {
        return new PayloadTooLargeException("request body is more than " + limit + " bytes; this route accepts at most "
                + limit);
    }
}
