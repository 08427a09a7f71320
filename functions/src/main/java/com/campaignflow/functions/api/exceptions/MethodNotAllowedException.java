package com.campaignflow.functions.api.exceptions;

import java.util.List;

/** Thrown when a route matches the path but not the method. The API answers 405 with an {@code Allow} header. */
public class MethodNotAllowedException extends RuntimeException {

    private final List<String> allowed;

    public MethodNotAllowedException(String method, String path, List<String> allowed) {
        super(method + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed));
        this.allowed = List.copyOf(allowed);
    }

    public List<String> allowed() {
        return allowed;
    }
}
