package com.campaignflow.local.sfn.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled Parameters / ItemSelector / ResultSelector payload template. */
public final class PayloadTemplate {
    public static PayloadTemplate compile(JsonNode template) {
        throw new UnsupportedOperationException("not yet");
    }

    public JsonNode render(JsonNode input, JsonNode context) {
        throw new UnsupportedOperationException("not yet");
    }
}
