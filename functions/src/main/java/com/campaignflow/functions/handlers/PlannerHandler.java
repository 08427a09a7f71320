package com.campaignflow.functions.handlers;

/** The planner agent's Lambda ({@code planner} in plans and events). */
public final class PlannerHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public PlannerHandler() {
        this(Services.fromEnvironment());
    }

    public PlannerHandler(Services services) {
        super("planner", services);
    }
}
