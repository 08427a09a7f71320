package com.campaignflow.local.sfn.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** A full JSONPath as Step Functions accepts it. */
public final class JsonPathExpression {
    public static JsonPathExpression parse(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    public JsonNode evaluate(JsonNode input, JsonNode context) {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean isDefinite() {
        throw new UnsupportedOperationException("not yet");
    }
}
