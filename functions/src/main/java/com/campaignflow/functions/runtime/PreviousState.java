package com.campaignflow.functions.runtime;

import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state a step starts from, read back (claim check) from the checkpoints referenced in the event's results.
 * Each checkpoint's intermediate_data is cumulative, so the union over the referenced checkpoints holds every
 * earlier output, including all branches of a Parallel research phase.
 */
record PreviousState(List<String> completed, List<String> failed, ObjectNode intermediateData) {

    static PreviousState load(CheckpointManager checkpoints, JsonNode results) {
        Set<String> ids = new LinkedHashSet<>();
        collectCheckpointIds(results, ids);
        List<Checkpoint> loaded = new ArrayList<>();
        for (String id : ids) {
            loaded.add(checkpoints.read(id));
        }
        loaded.sort(Comparator.comparing(Checkpoint::createdAt).thenComparing(Checkpoint::checkpointId));
        Set<String> completed = new LinkedHashSet<>();
        Set<String> failed = new LinkedHashSet<>();
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (Checkpoint c : loaded) {
            completed.addAll(c.stateData().completedAgents());
            failed.addAll(c.stateData().failedAgents());
            data.setAll(c.stateData().intermediateData());
        }
        return new PreviousState(List.copyOf(completed), List.copyOf(failed), data);
    }

    /** Outputs by step id for the agent, plus a merged {@code researcher} entry when Researchers A/B/C ran. */
    Map<String, JsonNode> outputsForAgent() {
        Map<String, JsonNode> outputs = new HashMap<>();
        List<JsonNode> research = new ArrayList<>();
        List<String> names = new ArrayList<>();
        intermediateData.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        for (String name : names) {
            outputs.put(name, intermediateData.get(name));
            if (name.startsWith("researcher_")) {
                research.add(intermediateData.get(name));
            }
        }
        if (!research.isEmpty() && !outputs.containsKey("researcher")) {
            outputs.put("researcher", merge(research));
        }
        return outputs;
    }

    /** Deep merge: objects merged key by key, arrays concatenated without duplicates, first scalar wins. */
    static JsonNode merge(List<JsonNode> nodes) {
        JsonNode merged = null;
        for (JsonNode n : nodes) {
            merged = merged == null ? n.deepCopy() : mergeInto(merged, n);
        }
        return merged;
    }

    private static JsonNode mergeInto(JsonNode target, JsonNode source) {
        if (target instanceof ObjectNode t && source.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode existing = t.get(f.getKey());
                t.set(f.getKey(), existing == null ? f.getValue().deepCopy() : mergeInto(existing, f.getValue()));
            }
            return t;
        }
        if (target instanceof ArrayNode t && source.isArray()) {
            for (JsonNode e : source) {
                boolean present = false;
                for (JsonNode x : t) {
                    present |= x.equals(e);
                }
                if (!present) {
                    t.add(e.deepCopy());
                }
            }
            return t;
        }
        return target;
    }

    private static void collectCheckpointIds(JsonNode node, Set<String> ids) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            JsonNode id = node.get("checkpoint_id");
            if (id != null && id.isTextual()) {
                ids.add(id.asText());
            }
            node.forEach(child -> collectCheckpointIds(child, ids));
        } else if (node.isArray()) {
            node.forEach(child -> collectCheckpointIds(child, ids));
        }
    }
}
