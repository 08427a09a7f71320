package com.campaignflow.local.sfn;

import java.util.List;

/** Checks an ASL definition without running it. */
public final class DefinitionValidator {

    private DefinitionValidator() {
    }

    /** Every problem in the definition, each naming the state and field; empty when valid. */
    public static List<String> problems(String json) {
        return DefinitionParser.parse(json).problems();
    }

    /** Throws {@link InvalidDefinitionException} listing every problem, if there is any. */
    public static void validate(String json) {
        List<String> problems = problems(json);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }
}
