package com.campaignflow.functions.handlers;

/** The researcher agent's Lambda ({@code researcher} in plans and events). */
public final class ResearcherHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public ResearcherHandler() {
        this(Services.fromEnvironment());
    }

    public ResearcherHandler(Services services) {
        super("researcher", services);
    }
}
