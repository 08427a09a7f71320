package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.expr.PathWriteException;
import com.campaignflow.local.sfn.expr.ReferencePath;
import com.fasterxml.jackson.databind.JsonNode;

/** ResultPath: combines the state's raw input with its result. */
@FunctionalInterface
interface Placement {

    /** Absent or "$": "the result replaces the input". */
    Placement REPLACE = (rawInput, result) -> result;

    /** null: "the result is discarded and the original input is passed through". */
    Placement DISCARD = (rawInput, result) -> rawInput;

    JsonNode place(JsonNode rawInput, JsonNode result);

    static Placement at(String text, ReferencePath path) {
        return (rawInput, result) -> {
            try {
                // The raw input may be shared (branches, context object): write into a copy.
                return path.write(rawInput.deepCopy(), result);
            } catch (PathWriteException e) {
                throw new StateFailure(StatesError.RESULT_PATH_MATCH_FAILURE,
                        "Unable to apply ResultPath \"" + text + "\" to input " + abbreviate(rawInput) + ": "
                                + e.getMessage());
            }
        };
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
