package com.campaignflow.functions.api.exceptions;

/** Thrown when no route of the API matches the request path. The API answers 404. */
public class RouteNotFoundException extends RuntimeException {

    public RouteNotFoundException(String method, String path) {
        super("no route for " + method + " " + path);
    }
}
