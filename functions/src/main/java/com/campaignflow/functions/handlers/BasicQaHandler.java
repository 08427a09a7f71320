package com.campaignflow.functions.handlers;

/** The basic_qa agent's Lambda ({@code basic_qa} in plans and events). */
public final class BasicQaHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public BasicQaHandler() {
        this(Services.fromEnvironment());
    }

    public BasicQaHandler(Services services) {
        super("basic_qa", services);
    }
}
