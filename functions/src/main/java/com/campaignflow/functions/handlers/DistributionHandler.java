package com.campaignflow.functions.handlers;

/** The distribution agent's Lambda ({@code distribution} in plans and events). */
public final class DistributionHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public DistributionHandler() {
        this(Services.fromEnvironment());
    }

    public DistributionHandler(Services services) {
        super("distribution", services);
    }
}
