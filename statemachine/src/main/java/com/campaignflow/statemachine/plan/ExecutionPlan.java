package com.campaignflow.statemachine.plan;

import java.util.List;

/**
 * What the Master Planner decides for one campaign and what the plan compiler turns into ASL.
 *
 * @param contentType      the campaign's content type (blog_post, social_media, email, ...)
 * @param strategy         sequential or parallel research
 * @param steps            the agent runs in dependency order
 * @param degradationLevel none | minimal | moderate | severe | emergency, at planning time
 * @param qualityThreshold the minimum quality score the minimal viable workflow promises, in (0, 1]
 * @param limitations      what the user is told about degraded or skipped parts
 */
public record ExecutionPlan(
        String contentType,
        Strategy strategy,
        List<PlanStep> steps,
        String degradationLevel,
        double qualityThreshold,
        List<String> limitations) {

    public ExecutionPlan {
        steps = List.copyOf(steps);
        limitations = List.copyOf(limitations == null ? List.of() : limitations);
    }
}
