package com.campaignflow.local.sfn.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** A Reference Path (ASL): {@code $} or {@code $$} followed by names and indexes only. */
public final class ReferencePath {
    public static ReferencePath parse(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    public JsonNode read(JsonNode doc) {
        throw new UnsupportedOperationException("not yet");
    }

    public JsonNode write(JsonNode doc, JsonNode value) {
        throw new UnsupportedOperationException("not yet");
    }
}
