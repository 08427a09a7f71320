package com.campaignflow.functions.checkpoints;

import com.campaignflow.functions.store.local.Hashes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** SHA-256 of the canonical JSON of a node: object keys sorted recursively, compact, UTF-8. */
public final class ContentHash {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContentHash() {
    }

    public static String of(JsonNode node) {
        try {
            return Hashes.sha256Hex(JSON.writeValueAsBytes(canonical(node)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON for hashing", e);
        }
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            names.forEach(n -> sorted.set(n, canonical(node.get(n))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> array.add(canonical(e)));
            return array;
        }
        return node;
    }
}
