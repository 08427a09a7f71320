package com.campaignflow.functions.api.exceptions;

/** Thrown when a request carries no API key, or one that maps to no tenant. The API answers 401. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
