package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code state_data} of a checkpoint: what a resumed workflow needs.
 *
 * @param completedAgents  step ids completed so far (planner, researcher_a, writer, ...)
 * @param failedAgents     step ids whose agent failed (a fallback may have completed the step since)
 * @param intermediateData every completed step's full output, by step id (cumulative across checkpoints)
 * @param currentProgress  percent of the plan's steps completed, 0..100
 * @param includedCheckpoints ids of the earlier checkpoints this state was built from, directly or through others
 *                         ({@code includes_checkpoints}, left out when empty): their completed and failed steps and
 *                         outputs are all here, so a step handed this checkpoint and one of those needs to read this
 *                         one only. Older checkpoints have none.
 */
public record StateData(List<String> completedAgents, List<String> failedAgents, ObjectNode intermediateData,
                        int currentProgress, List<String> includedCheckpoints) {

    public StateData {
        completedAgents = List.copyOf(completedAgents == null ? List.of() : completedAgents);
        failedAgents = List.copyOf(failedAgents == null ? List.of() : failedAgents);
        intermediateData = intermediateData == null ? JsonNodeFactory.instance.objectNode() : intermediateData;
        if (currentProgress < 0 || currentProgress > 100) {
            throw new IllegalArgumentException("current_progress must be within 0..100: " + currentProgress);
        }
        includedCheckpoints = List.copyOf(includedCheckpoints == null ? List.of() : includedCheckpoints);
    }

    /** A state that names no earlier checkpoints it includes. */
    public StateData(List<String> completedAgents, List<String> failedAgents, ObjectNode intermediateData,
                     int currentProgress) {
        this(completedAgents, failedAgents, intermediateData, currentProgress, List.of());
    }

    /** This state, naming {@code checkpointId} (the checkpoint it is copied from) among those it includes. */
    public StateData including(String checkpointId) {
        List<String> ids = new ArrayList<>(includedCheckpoints);
        if (!ids.contains(checkpointId)) {
            ids.add(checkpointId);
        }
        return new StateData(completedAgents, failedAgents, intermediateData, currentProgress, ids);
    }

    public static StateData empty() {
        return new StateData(List.of(), List.of(), null, 0);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        completedAgents.forEach(node.putArray("completed_agents")::add);
        failedAgents.forEach(node.putArray("failed_agents")::add);
        node.set("intermediate_data", intermediateData);
        node.put("current_progress", currentProgress);
        if (!includedCheckpoints.isEmpty()) {
            // sorts before intermediate_data, which CanonicalState needs last
            includedCheckpoints.forEach(node.putArray("includes_checkpoints")::add);
        }
        return node;
    }

    public static StateData fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("state_data must be an object");
        }
        JsonNode data = node.path("intermediate_data");
        return new StateData(strings(node.path("completed_agents")), strings(node.path("failed_agents")),
                data.isObject() ? (ObjectNode) data : null, node.path("current_progress").asInt(0),
                strings(node.path("includes_checkpoints")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
