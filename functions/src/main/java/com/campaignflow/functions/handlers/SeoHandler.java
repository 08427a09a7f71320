package com.campaignflow.functions.handlers;

/** The seo agent's Lambda ({@code seo} in plans and events). */
public final class SeoHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public SeoHandler() {
        this(Services.fromEnvironment());
    }

    public SeoHandler(Services services) {
        super("seo", services);
    }
}
