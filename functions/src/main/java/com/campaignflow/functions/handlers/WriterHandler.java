package com.campaignflow.functions.handlers;

/** The writer agent's Lambda ({@code writer} in plans and events). */
public final class WriterHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public WriterHandler() {
        this(Services.fromEnvironment());
    }

    public WriterHandler(Services services) {
        super("writer", services);
    }
}
