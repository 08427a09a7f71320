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
        DefinitionParser.Result result = DefinitionParser.parse(json);
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
