package com.campaignflow.local.sfn;

import java.util.Set;

/**
 * A validated, compiled state machine: parse once, run many times (paths, templates and
 * Choice rules are compiled here, never per transition).
 */
public final class StateMachineDefinition {

    private final StateGraph graph;
    private final Integer timeoutSeconds;
    private final String json;

    StateMachineDefinition(StateGraph graph, Integer timeoutSeconds, String json) {
        this.graph = graph;
        this.timeoutSeconds = timeoutSeconds;
        this.json = json;
    }

    /** Parses and validates; throws {@link InvalidDefinitionException} listing every problem. */
    public static StateMachineDefinition parse(String json) {
        return definitionOf(DefinitionParser.parse(json, false));
    }

    /**
     * Parses a definition a service accepted before, when some of today's checks did not exist yet: text after its
     * JSON and an Inline Map's failure thresholds (Distributed-only fields, which do nothing inline) are let through,
     * so that its executions still run, resume and redrive. Anything that cannot run is still refused.
     */
    public static StateMachineDefinition parseAcceptedBefore(String json) {
        return definitionOf(DefinitionParser.parse(json, true));
    }

    private static StateMachineDefinition definitionOf(DefinitionParser.Result result) {
        if (!result.problems().isEmpty()) {
            throw new InvalidDefinitionException(result.problems());
        }
        return result.definition();
    }

    StateGraph graph() {
        return graph;
    }

    /** The execution-level TimeoutSeconds, or null when the definition sets none. */
    public Integer timeoutSeconds() {
        return timeoutSeconds;
    }

    /** The definition text as given. */
    public String json() {
        return json;
    }

    public String startAt() {
        return graph.startAt();
    }

    /** Names of the top-level states. */
    public Set<String> stateNames() {
        return graph.states().keySet();
    }

    /** Whether the top level has a state of that name (an execution can start "at" it). */
    public boolean hasState(String name) {
        return graph.states().containsKey(name);
    }
}
