package com.campaignflow.local.template;

/** Thrown when a SAM template is malformed or uses something the local cloud cannot run; the message names where. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
