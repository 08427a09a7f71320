package com.campaignflow.functions.health;

/** Thrown when a conditional update kept losing to concurrent writers and gave up. */
public class ConcurrentUpdateException extends RuntimeException {

    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
