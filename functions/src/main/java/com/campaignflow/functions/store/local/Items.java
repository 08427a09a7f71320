package com.campaignflow.functions.store.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Key handling shared by the local {@link com.campaignflow.functions.ports.DocumentTable} adapters. */
final class Items {

    private Items() {
    }

    static String pk(ObjectNode item) {
        return key(item, "pk");
    }

    static String sk(ObjectNode item) {
        return key(item, "sk");
    }

    static long version(ObjectNode item) {
        JsonNode v = item.get("version");
        return v == null || !v.canConvertToLong() ? 0 : v.asLong();
    }

    private static String key(ObjectNode item, String name) {
        JsonNode value = item.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("item needs a non-empty string attribute '" + name + "'");
        }
        return value.asText();
    }

    static ObjectNode withVersion(ObjectNode item, long version) {
        ObjectNode copy = item.deepCopy();
        copy.put("version", version);
        return copy;
    }
}
