package com.campaignflow.functions.handlers;

/** The editor agent's Lambda ({@code editor} in plans and events). */
public final class EditorHandler extends AgentHandler {

    /** What Lambda calls: services from the function environment, built once per container. */
    public EditorHandler() {
        this(Services.fromEnvironment());
    }

    public EditorHandler(Services services) {
        super("editor", services);
    }
}
