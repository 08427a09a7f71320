package com.campaignflow.local.sfn.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled Choice rule condition (the {@code Next} field is ignored here). */
public final class ChoiceRule {
    public static ChoiceRule compile(JsonNode rule) {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean matches(JsonNode input, JsonNode context) {
        throw new UnsupportedOperationException("not yet");
    }
}
