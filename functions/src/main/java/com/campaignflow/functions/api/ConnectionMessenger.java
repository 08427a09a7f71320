package com.campaignflow.functions.api;

/** Sends a text message to one WebSocket connection (API Gateway's management API on AWS and locally). */
public interface ConnectionMessenger {

    /** Sends {@code message}; false when the connection is gone (the caller forgets it). Never throws. */
    boolean send(String connectionId, String message);
}
