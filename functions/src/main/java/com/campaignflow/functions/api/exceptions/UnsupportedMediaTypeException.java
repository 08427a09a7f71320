package com.campaignflow.functions.api.exceptions;

/** Thrown when a request body is sent with a Content-Type other than JSON. The API answers 415. */
public class UnsupportedMediaTypeException extends RuntimeException {

    public UnsupportedMediaTypeException(String contentType) {
        super("request bodies must be application/json, got "
                + (contentType == null ? "no Content-Type" : "'" + contentType + "'"));
    }
}
