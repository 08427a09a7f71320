package com.campaignflow.functions.ports;

/**
 * A store (the checkpoint bucket, a table, the data directory) did not answer or refused a request for reasons of
 * its own: a network failure, throttling, a missing bucket or table, a full disk. Not a problem with the data asked
 * for, and likely to pass; the API answers 503 with Retry-After instead of an internal error.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
