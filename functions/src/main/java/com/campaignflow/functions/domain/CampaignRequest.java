package com.campaignflow.functions.domain;

import java.util.List;
import java.util.Map;

/**
 * A validated campaign request (the body of {@code POST /campaigns}, the file given to {@code local run}).
 * Wire names are snake_case: campaign_id, company_context, target_audience, content_objective, priority,
 * content_type, strategy, keywords, agent_parameters.
 *
 * @param priority        low | normal | high | urgent
 * @param contentType     blog_post | social_media | email | landing_page | press_release
 * @param strategy        sequential | parallel
 * @param agentParameters per agent wire name, small parameter maps (e.g. {@code writer: {tone, target_words}})
 */
public record CampaignRequest(
        String campaignId,
        String companyContext,
        String targetAudience,
        String contentObjective,
        String priority,
        String contentType,
        String strategy,
        List<String> keywords,
        Map<String, Map<String, Object>> agentParameters) {

    public CampaignRequest {
        keywords = List.copyOf(keywords == null ? List.of() : keywords);
        agentParameters = agentParameters == null ? Map.of() : Map.copyOf(agentParameters);
    }
}
