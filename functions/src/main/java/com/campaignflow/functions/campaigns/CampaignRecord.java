package com.campaignflow.functions.campaigns;

import com.campaignflow.functions.domain.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign as stored in the Campaigns table.
 *
 * @param status           the orchestrator's view: accepted, running, completed, completed_degraded, failed, ...
 * @param request          the validated request JSON (snake_case, as in events/create-campaign.json)
 * @param planSummary      what the agent runtime needs of the plan: {@code {"step_count": n, "steps": [{"step_id",
 *                         "agent", "depends_on": [...]}], "strategy": ...}}; null before planning
 * @param degradationLevel none | minimal | moderate | severe | emergency
 * @param idempotencyKey   the client's Idempotency-Key header, if any
 * @param bodyHash         SHA-256 of the request body that came with that key
 * @param progressSequence the last progress sequence given while the campaign record counted them (data directories
 *                         and tables written before the progress log kept its own head); only read as the floor of
 *                         {@link com.campaignflow.functions.progress.ProgressLog#nextSequence}, 0 for newer campaigns
 * @param version          the table's optimistic-lock version (0 for a record not yet stored)
 */
public record CampaignRecord(
        String campaignId,
        String tenant,
        String workflowId,
        String executionArn,
        String status,
        JsonNode request,
        JsonNode planSummary,
        Instant createdAt,
        Instant updatedAt,
        String degradationLevel,
        List<String> limitations,
        String idempotencyKey,
        String bodyHash,
        long progressSequence,
        long version) {

    public CampaignRecord {
        limitations = List.copyOf(limitations == null ? List.of() : limitations);
    }

    public CampaignRecord withStatus(String newStatus) {
        return new CampaignRecord(campaignId, tenant, workflowId, executionArn, newStatus, request, planSummary,
                createdAt, updatedAt, degradationLevel, limitations, idempotencyKey, bodyHash, progressSequence, version);
    }

    public CampaignRecord withRequest(JsonNode newRequest) {
        return new CampaignRecord(campaignId, tenant, workflowId, executionArn, status, newRequest, planSummary,
                createdAt, updatedAt, degradationLevel, limitations, idempotencyKey, bodyHash, progressSequence, version);
    }

    public CampaignRecord withExecution(String newWorkflowId, String newExecutionArn) {
        return new CampaignRecord(campaignId, tenant, newWorkflowId, newExecutionArn, status, request, planSummary,
                createdAt, updatedAt, degradationLevel, limitations, idempotencyKey, bodyHash, progressSequence, version);
    }

    public CampaignRecord withPlanSummary(JsonNode newPlanSummary) {
        return new CampaignRecord(campaignId, tenant, workflowId, executionArn, status, request, newPlanSummary,
                createdAt, updatedAt, degradationLevel, limitations, idempotencyKey, bodyHash, progressSequence, version);
    }

    public CampaignRecord withDegradation(String newLevel, List<String> newLimitations) {
        return new CampaignRecord(campaignId, tenant, workflowId, executionArn, status, request, planSummary,
                createdAt, updatedAt, newLevel, newLimitations, idempotencyKey, bodyHash, progressSequence, version);
    }

    CampaignRecord stored(Instant newUpdatedAt, long newVersion) {
        return new CampaignRecord(campaignId, tenant, workflowId, executionArn, status, request, planSummary,
                createdAt, newUpdatedAt, degradationLevel, limitations, idempotencyKey, bodyHash, progressSequence,
                newVersion);
    }

    /** Number of plan steps, from the plan summary (0 when unknown). */
    public int planStepCount() {
        if (planSummary == null) {
            return 0;
        }
        int count = planSummary.path("step_count").asInt(0);
        return count > 0 ? count : planSummary.path("steps").size();
    }

    ObjectNode toItem() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("pk", campaignId);
        n.put("sk", CampaignRepository.CAMPAIGN_SK);
        n.put("campaign_id", campaignId);
        n.put("tenant", tenant);
        n.put("workflow_id", workflowId);
        n.put("execution_arn", executionArn);
        n.put("status", status);
        n.set("request", request);
        n.set("plan_summary", planSummary);
        n.put("created_at", createdAt.toString());
        n.put("updated_at", updatedAt == null ? createdAt.toString() : updatedAt.toString());
        n.put("degradation_level", degradationLevel);
        limitations.forEach(n.putArray("limitations")::add);
        n.put("idempotency_key", idempotencyKey);
        n.put("body_hash", bodyHash);
        n.put("progress_sequence", progressSequence);
        return n;
    }

    static CampaignRecord fromItem(JsonNode n) {
        List<String> limitations = new ArrayList<>();
        n.path("limitations").forEach(l -> limitations.add(l.asText()));
        return new CampaignRecord(n.path("campaign_id").asText(), n.path("tenant").asText(),
                text(n, "workflow_id"), text(n, "execution_arn"), n.path("status").asText(),
                n.path("request").isMissingNode() || n.path("request").isNull() ? null : n.get("request"),
                n.path("plan_summary").isMissingNode() || n.path("plan_summary").isNull() ? null : n.get("plan_summary"),
                Timestamps.parse(n.path("created_at").asText()), Timestamps.parse(n.path("updated_at").asText()),
                n.path("degradation_level").asText("none"), limitations, text(n, "idempotency_key"),
                text(n, "body_hash"), n.path("progress_sequence").asLong(), n.path("version").asLong());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
