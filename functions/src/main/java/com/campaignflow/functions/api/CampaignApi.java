package com.campaignflow.functions.api;

import com.campaignflow.functions.api.exceptions.PayloadTooLargeException;
import com.campaignflow.functions.api.exceptions.UnauthorizedException;
import com.campaignflow.functions.api.exceptions.UnsupportedMediaTypeException;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.orchestration.CampaignService;
import com.campaignflow.functions.orchestration.CampaignService.CreatedCampaign;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The REST API over {@link CampaignService}: authenticates the caller, routes, checks the body's size and type,
 * makes one service call and encodes its answer. Throws on every error; {@link ErrorMapper} turns that into the
 * response. Every service call names the caller's tenant, so another tenant's resources are "not found".
 *
 * <p>The tenant is the one an API Gateway authorizer put in {@code requestContext.authorizer.tenant} when there is
 * one (on AWS), else the owner of the {@code x-api-key} header (the local gateway, or an API without authorizer).
 *
 * <p>{@code POST /campaigns} answers 202 both for a new campaign and for a replay (the same campaign_id or
 * Idempotency-Key with the same body); the body's {@code replayed} and the {@code Idempotent-Replayed} header tell
 * them apart.
 */
public final class CampaignApi {

    /** No route reads a larger body (the Step Functions payload limit); each route has its own, smaller limit. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1," + MAX_IDEMPOTENCY_KEY_LENGTH + "}");
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CampaignService campaigns;
    private final ApiKeys keys;

    public CampaignApi(CampaignService campaigns, ApiKeys keys) {
        this.campaigns = campaigns;
        this.keys = keys;
    }

    /** Campaigns per page of {@code GET /campaigns} when the request names no {@code limit}, and the most it may. */
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int MAX_LIST_LIMIT = 100;

        public ApiResponse handle(ApiRequest request) {
        String tenant = tenantOf(request);
        Router.Match match = Router.route(request.method(), request.path());
        ApiRoute route = match.route();
        byte[] body = route.takesBody() ? body(route, request) : new byte[0];
        return switch (route) {
            case CREATE_CAMPAIGN -> {
                String key = idempotencyKey(request);
                CreatedCampaign created = campaigns.create(tenant, body, key);
                yield ApiResponse.of(route.successStatus(), created(created))
                        .withHeader("Location", request.publicPath("/campaigns/" + created.campaignId()))
                        .withHeader("Idempotent-Replayed", Boolean.toString(created.replayed()));
            }
            case LIST_CAMPAIGNS -> ApiResponse.of(200, campaigns.overview(tenant, listLimit(request),
                    request.queryParameter("next_token").orElse(null)));
            case GET_CAMPAIGN -> ApiResponse.of(200, ResponseSize.fit(campaigns.status(tenant, campaignId(match))));
            case RERUN_CAMPAIGN -> {
                RequestBodies.Rerun rerun = RequestBodies.rerun(body);
                yield ApiResponse.of(route.successStatus(),
                        created(campaigns.rerun(tenant, campaignId(match), rerun.agents(), rerun.parameters())));
            }
            case GET_PERFORMANCE -> {
                String id = campaignId(match);
                ObjectNode json = JSON.objectNode();
                json.put("campaign_id", id);
                ArrayNode runs = json.putArray("runs");
                campaigns.performance(tenant, id).forEach(p -> runs.add(performance(p)));
                yield ApiResponse.of(200, json);
            }
            case LIST_CHECKPOINTS -> {
                ArrayNode json = JSON.arrayNode();
                campaigns.checkpoints(tenant, match.parameter("workflow_id")).stream()
                        .map(CheckpointEntry::toListingJson).forEach(json::add);
                yield ApiResponse.of(200, json);
            }
            case CREATE_MANUAL_CHECKPOINT -> {
                RequestBodies.Manual manual = RequestBodies.manual(body);
                CheckpointEntry entry = campaigns.manualCheckpoint(tenant, match.parameter("workflow_id"), manual.note());
                yield ApiResponse.of(route.successStatus(), entry.toListingJson());
            }
            case RESUME_FROM_CHECKPOINT -> {
                RequestBodies.Resume resume = RequestBodies.resume(body);
                yield ApiResponse.of(route.successStatus(), created(campaigns.resume(tenant,
                        match.parameter("checkpoint_id"), resume.action(), resume.parameters())));
            }
            case REDRIVE_WORKFLOW -> {
                RequestBodies.redrive(body);
                yield ApiResponse.of(route.successStatus(), created(campaigns.redrive(tenant, match.parameter("workflow_id"))));
            }
            case HEALTH_STATUS -> ApiResponse.of(200, campaigns.healthStatus());
            case DEGRADATION_STATUS -> ApiResponse.of(200, campaigns.degradationStatus());
        };
    }

    private String tenantOf(ApiRequest request) {
        if (request.authorizedTenant() != null) {
            return request.authorizedTenant();
        }
        String key = request.header("x-api-key")
                .orElseThrow(() -> new UnauthorizedException("an x-api-key header is required"));
        return keys.tenantOf(key).orElseThrow(() -> new UnauthorizedException("the x-api-key is not valid"));
    }

    /** The body of a route that takes one, after the size and Content-Type checks; a route without one ignores it. */
    private static byte[] body(ApiRoute route, ApiRequest request) {
        byte[] body = request.body();
        int limit = Math.min(route.maxBodyBytes(), MAX_BODY_BYTES);
        if (body.length > limit) {
            throw new PayloadTooLargeException(body.length, limit);
        }
        if (body.length > 0) {
            String contentType = request.header("content-type").orElse(null);
            if (!isJson(contentType)) {
                throw new UnsupportedMediaTypeException(contentType);
            }
        }
        return body;
    }

    /** {@code application/json}, optionally with parameters ({@code ; charset=utf-8}); nothing else. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            return false;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].strip().split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2
                    && !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static String idempotencyKey(ApiRequest request) {
        String key = request.headerAsSent("idempotency-key").orElse(null); // sent empty: refused, not ignored
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new InvalidRequestException("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters without spaces");
        }
        return key;
    }

    private static String campaignId(Router.Match match) {
        String id = match.parameter("campaign_id");
        if (!CAMPAIGN_ID.matcher(id).matches()) {
            throw new InvalidRequestException("campaign_id", "must be 1 to 64 letters, digits, '_' or '-'");
        }
        return id;
    }

    static ObjectNode created(CreatedCampaign c) {
        ObjectNode json = JSON.objectNode();
        json.put("campaign_id", c.campaignId());
        json.put("workflow_id", c.workflowId());
        json.put("workflow_execution_id", c.workflowExecutionId());
        json.put("status", c.status());
        json.put("degradation_level", c.degradationLevel());
        c.limitations().forEach(json.putArray("limitations")::add);
        json.put("replayed", c.replayed());
        return json;
    }

    private static ObjectNode performance(AgentPerformance p) {
        ObjectNode json = JSON.objectNode();
        json.put("execution_id", p.executionId());
        json.put("agent_name", p.agentName());
        json.put("step_id", p.stepId());
        json.put("execution_time", p.executionTimeMillis() / 1000.0);
        json.put("success_status", p.successStatus());
        json.put("checkpoint_id", p.checkpointId());
        json.put("quality_score", p.qualityScore());
        json.put("checkpoint_size", p.checkpointSizeBytes());
        json.put("recorded_at", p.recordedAt() == null ? null : p.recordedAt().toString());
        return json;
    }

    private static int listLimit(ApiRequest request) {
        String limit = request.queryParameter("limit").orElse(null);
        if (limit == null) {
            return DEFAULT_LIST_LIMIT;
        }
        if (limit.matches("[0-9]{1,3}")) {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIST_LIMIT) {
                return value;
            }
        }
        throw new InvalidRequestException("limit", "must be a whole number from 1 to " + MAX_LIST_LIMIT + ", got '"
                + (limit.length() > 20 ? limit.substring(0, 20) + "..." : limit) + "'");
    }
}
