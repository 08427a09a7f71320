package com.campaignflow.local.sfn.expr;

import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers on JSON values shared by paths, intrinsics and Choice rules. */
final class JsonValues {
    private JsonValues() {
    }

    static BigDecimal decimal(JsonNode n) {
        return n.isBigDecimal() ? n.decimalValue() : (n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : new BigDecimal(n.asText()));
    }

    /** JSON equality where numbers compare by value (1 == 1.0), recursively. */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !jsonEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A short type name for messages. */
    static String typeName(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT -> "object";
            case STRING -> "string";
            case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase();
        };
    }

    /** Compact JSON text, truncated for error messages. */
    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }
}
