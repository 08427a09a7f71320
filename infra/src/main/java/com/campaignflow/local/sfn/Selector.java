package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.expr.ExpressionFailure;
import com.campaignflow.local.sfn.expr.JsonPathExpression;
import com.campaignflow.local.sfn.expr.PathNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** InputPath / OutputPath: picks part of a document. */
@FunctionalInterface
interface Selector {

    /** Absent or "$": the whole document. */
    Selector IDENTITY = (input, context) -> input;

    /** "If the value of InputPath/OutputPath is null, ... an empty object {}." */
    Selector EMPTY = (input, context) -> JsonNodeFactory.instance.objectNode();

    JsonNode select(JsonNode input, JsonNode context);

    static Selector of(String field, JsonPathExpression path) {
        return (input, context) -> read(field, path, input, context);
    }

    /** What {@code path} selects in {@code input}; a States.Runtime failure naming {@code field} when nothing. */
    static JsonNode read(String field, JsonPathExpression path, JsonNode input, JsonNode context) {
        JsonNode value;
        try {
            value = path.evaluate(input, context);
        } catch (PathNotFoundException e) {
            value = null;
        } catch (ExpressionFailure e) {
            throw new StateFailure(StatesError.RUNTIME, field + ": " + e.getMessage());
        }
        if (value == null || value.isMissingNode()) {
            throw new StateFailure(StatesError.RUNTIME, "Invalid path '" + path.text() + "' : No results for path: "
                    + path.text() + " (" + field + ")");
        }
        return value;
    }
}
