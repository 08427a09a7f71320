package com.campaignflow.local.sfn.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed intrinsic function call such as {@code States.Format('Hello {}', $.name)}. */
public final class IntrinsicFunction {
    public static IntrinsicFunction parse(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    public JsonNode evaluate(JsonNode input, JsonNode context) {
        throw new UnsupportedOperationException("not yet");
    }
}
