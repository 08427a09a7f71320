package com.campaignflow.functions.campaigns;

import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The execution plan as stored in the campaign record (snake_case JSON), and back. */
public final class PlanSummaries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanSummaries() {
    }

    /**
     * {@code {"content_type","strategy","degradation_level","quality_threshold","step_count","steps":[{"step_id",
     * "agent","depends_on","fallback","required","parallel_group","parameters","replaces"}],"limitations"}}
     */
    public static ObjectNode of(ExecutionPlan plan) {
        ObjectNode json = JSON.createObjectNode();
        json.put("content_type", plan.contentType());
        json.put("strategy", plan.strategy().wireName());
        json.put("degradation_level", plan.degradationLevel());
        json.put("quality_threshold", plan.qualityThreshold());
        json.put("step_count", plan.steps().size());
        ArrayNode steps = json.putArray("steps");
        for (PlanStep s : plan.steps()) {
            ObjectNode step = steps.addObject();
            step.put("step_id", s.stepId());
            step.put("agent", s.agent());
            step.set("depends_on", JSON.valueToTree(s.dependsOn()));
            step.put("fallback", s.fallback());
            step.put("required", s.required());
            step.put("parallel_group", s.parallelGroup());
            step.set("parameters", JSON.valueToTree(s.parameters()));
            step.put("replaces", s.replaces());
        }
        json.set("limitations", JSON.valueToTree(plan.limitations()));
        return json;
    }

    /** The plan stored by {@link #of}, for resuming the remaining steps. */
    public static ExecutionPlan toPlan(JsonNode json) {
        List<PlanStep> steps = steps(json);
        List<String> limitations = new ArrayList<>();
        json.path("limitations").forEach(l -> limitations.add(l.asText()));
        return new ExecutionPlan(json.path("content_type").asText(), Strategy.fromWireName(json.path("strategy").asText()),
                steps, json.path("degradation_level").asText("none"), json.path("quality_threshold").asDouble(),
                limitations);
    }

    /** The stored plan's steps, in plan order. */
    public static List<PlanStep> steps(JsonNode json) {
        List<PlanStep> steps = new ArrayList<>();
        for (JsonNode s : json.path("steps")) {
            List<String> dependsOn = new ArrayList<>();
            s.path("depends_on").forEach(d -> dependsOn.add(d.asText()));
            steps.add(new PlanStep(s.path("step_id").asText(), s.path("agent").asText(), dependsOn,
                    text(s, "fallback"), s.path("required").asBoolean(), text(s, "parallel_group"),
                    parameters(s.path("parameters")), text(s, "replaces")));
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(JsonNode parameters) {
        // most steps have none, and every agent run reads the plan's steps (its checkpoint's resume actions)
        return parameters.isEmpty() ? Map.of() : JSON.convertValue(parameters, Map.class);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
