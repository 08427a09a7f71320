package com.campaignflow.functions.handlers;

/** The basic_research agent's Lambda ({@code basic_research} in plans and events). */
public final class BasicResearchHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public BasicResearchHandler() {
        this(Services.fromEnvironment());
    }

    public BasicResearchHandler(Services services) {
        super("basic_research", services);
    }
}
