package com.campaignflow.functions.runtime;

import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.statemachine.compiler.PlanCompiler;
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
 *
 * <p>A checkpoint names the earlier ones it was built from ({@link StateData#includedCheckpoints}); a referenced
 * checkpoint that one already read includes is not read: after a sequential run of k steps only the last of the
 * k references is read, not all k (on S3, one GET instead of k). The union is the same: a checkpoint includes every
 * completed and failed step and output of the ones it was built from, and was written after them, so its outputs
 * are the ones the union in creation order keeps.
 *
 * <p>A result with status {@code skipped} (a Parallel branch whose optional step failed, or the step a resume with
 * skip left out) adds its step to the failed ones: the workflow went on without it, and the checkpoints after it say so.
 *
 * @param includedCheckpoints every checkpoint this state includes: the ones read and the ones they include
 */
record PreviousState(List<String> completed, List<String> failed, ObjectNode intermediateData,
                     List<String> includedCheckpoints) {

    /**
     * At most this many included ids are passed on, the newest: a workflow resumed again and again does not grow every
     * checkpoint without end, and an id left out only means that checkpoint is read if a step is handed it.
     */
    static final int MAX_INCLUDED = 100;

    static PreviousState load(CheckpointManager checkpoints, JsonNode results) {
        Set<String> ids = new LinkedHashSet<>();
        collectCheckpointIds(results, ids);
        List<Checkpoint> loaded = new ArrayList<>();
        Set<String> included = new LinkedHashSet<>();
        for (String id : newestFirst(ids)) {
            if (included.contains(id)) {
                continue;
            }
            Checkpoint c = checkpoints.read(id);
            loaded.add(c);
            included.add(c.checkpointId());
            included.addAll(c.stateData().includedCheckpoints());
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
        if (results != null) {
            results.properties().forEach(result -> {
                if (PlanCompiler.SKIPPED_STATUS.equals(result.getValue().path("status").asText(null))
                        && !completed.contains(result.getKey())) {
                    failed.add(result.getKey());
                }
            });
        }
        List<String> includedInOrder = new ArrayList<>(included);
        includedInOrder.sort(Comparator.comparing(PreviousState::numberOrZero).thenComparing(Comparator.naturalOrder()));
        List<String> kept = includedInOrder.subList(Math.max(0, includedInOrder.size() - MAX_INCLUDED),
                includedInOrder.size());
        return new PreviousState(List.copyOf(completed), List.copyOf(failed), data, List.copyOf(kept));
    }

    /**
     * The ids by checkpoint number, highest first (numbers grow with creation within a workflow), so the checkpoints
     * that include others are read before those; ids that do not parse come last and fail when read.
     */
    private static List<String> newestFirst(Set<String> ids) {
        List<String> ordered = new ArrayList<>(ids);
        ordered.sort(Comparator.comparing(PreviousState::numberOrZero).reversed());
        return ordered;
    }

    private static int numberOrZero(String id) {
        try {
            return CheckpointIds.parse(id).number();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * The steps the workflow is past: completed ones and failed ones (a failed step it went on from was skipped; one
     * that a fallback or a retry ran is also completed).
     */
    Set<String> settledSteps() {
        Set<String> settled = new LinkedHashSet<>(completed);
        settled.addAll(failed);
        return settled;
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
