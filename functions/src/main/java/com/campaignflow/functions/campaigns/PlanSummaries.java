package com.campaignflow.functions.campaigns;

import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The plan summary kept on a {@link CampaignRecord}: what the agent runtime needs for progress percentages and
 * resume instructions, without the request-sized parts of the plan.
 */
public final class PlanSummaries {

    private PlanSummaries() {
    }

    /** {@code {"content_type","strategy","degradation_level","step_count","steps":[{"step_id","agent","depends_on","fallback","required"}]}} */
    public static ObjectNode of(ExecutionPlan plan) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("content_type", plan.contentType());
        summary.put("strategy", plan.strategy().wireName());
        summary.put("degradation_level", plan.degradationLevel());
        summary.put("step_count", plan.steps().size());
        var steps = summary.putArray("steps");
        for (PlanStep step : plan.steps()) {
            ObjectNode s = steps.addObject();
            s.put("step_id", step.stepId());
            s.put("agent", step.agent());
            step.dependsOn().forEach(s.putArray("depends_on")::add);
            s.put("fallback", step.fallback());
            s.put("required", step.required());
        }
        return summary;
    }
}
