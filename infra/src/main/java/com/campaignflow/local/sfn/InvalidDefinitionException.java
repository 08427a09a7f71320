package com.campaignflow.local.sfn;

import java.util.List;

/**
 * Thrown when a state machine definition is not valid ASL, before anything runs; carries
 * every problem found, each naming the state and field (like CreateStateMachine's
 * InvalidDefinition).
 */
public final class InvalidDefinitionException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidDefinitionException(List<String> problems) {
        super("Invalid State Machine Definition: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
