package com.campaignflow.functions.api;

import com.campaignflow.functions.api.exceptions.MethodNotAllowedException;
import com.campaignflow.functions.api.exceptions.PayloadTooLargeException;
import com.campaignflow.functions.api.exceptions.RouteNotFoundException;
import com.campaignflow.functions.api.exceptions.UnauthorizedException;
import com.campaignflow.functions.api.exceptions.UnsupportedMediaTypeException;
import com.campaignflow.functions.campaigns.CampaignNotFoundException;
import com.campaignflow.functions.checkpoints.CheckpointExpiredException;
import com.campaignflow.functions.checkpoints.CheckpointNotFoundException;
import com.campaignflow.functions.checkpoints.CorruptCheckpointException;
import com.campaignflow.functions.checkpoints.InvalidCheckpointIdException;
import com.campaignflow.functions.checkpoints.InvalidWorkflowIdException;
import com.campaignflow.functions.health.ConcurrentUpdateException;
import com.campaignflow.functions.orchestration.CampaignConflictException;
import com.campaignflow.functions.planning.CampaignRefusedException;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;

/**
 * The one place exceptions become HTTP responses: {@code {"error": <code>, "message": <text>}} with the status
 * below, plus a few fields where the client can act on them. A campaign, workflow or checkpoint of another tenant is
 * "not found" (404), never "forbidden", so its existence does not leak. Anything unexpected is a 500 carrying only
 * the request id; the exception is logged with that id, never sent.
 *
 * <pre>
 * 400 invalid_request, invalid_checkpoint_id, invalid_workflow_id     401 unauthorized
 * 404 not_found, checkpoint_not_found          405 method_not_allowed (Allow header)     409 conflict
 * 410 checkpoint_expired (latest_unexpired_checkpoint_id)               413 payload_too_large
 * 415 unsupported_media_type                   422 corrupt_checkpoint (previous_valid_checkpoint_id)
 * 503 campaign_refused, busy, store_unavailable (Retry-After)          500 internal_error (request_id)
 * </pre>
 */
public final class ErrorMapper {

    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());
    /** Seconds a client should wait after a write that lost to concurrent updates too many times. */
    private static final long BUSY_RETRY_AFTER_SECONDS = 1;
    /** Seconds a client should wait after a store failed to answer (its circuit opens after a few failures). */
    private static final long STORE_RETRY_AFTER_SECONDS = 30;

    private ErrorMapper() {
    }

    public static ApiResponse toResponse(Throwable error, String requestId) {
        return switch (error) {
            case InvalidRequestException e -> {
                ObjectNode json = json(InvalidRequestException.ERROR_CODE, e.getMessage());
                var errors = json.putArray("errors");
                e.problems().forEach(p -> errors.addObject().put("field", p.field()).put("message", p.message()));
                yield ApiResponse.of(400, json);
            }
            case InvalidWorkflowIdException e -> body(400, "invalid_workflow_id", e.getMessage());
            case InvalidCheckpointIdException e -> body(400, "invalid_checkpoint_id", e.getMessage());
            case UnauthorizedException e -> body(401, "unauthorized", e.getMessage());
            case RouteNotFoundException e -> body(404, "not_found", e.getMessage());
            case CampaignNotFoundException e -> body(404, "not_found", e.getMessage());
            case CheckpointNotFoundException e -> body(404, "checkpoint_not_found", e.getMessage());
            case MethodNotAllowedException e -> body(405, "method_not_allowed", e.getMessage())
                    .withHeader("Allow", String.join(", ", e.allowed()));
            case CampaignConflictException e -> body(409, "conflict", e.getMessage());
            case PayloadTooLargeException e -> body(413, "payload_too_large", e.getMessage());
            case UnsupportedMediaTypeException e -> body(415, "unsupported_media_type", e.getMessage());
            case CheckpointExpiredException e -> {
                ObjectNode json = json("checkpoint_expired", e.getMessage());
                json.put("checkpoint_id", e.checkpointId());
                json.put("expired_at", e.expiredAt().toString());
                json.put("latest_unexpired_checkpoint_id", e.latestUnexpiredCheckpointId().orElse(null));
                yield ApiResponse.of(410, json);
            }
            case CorruptCheckpointException e -> {
                ObjectNode json = json("corrupt_checkpoint", e.getMessage());
                json.put("checkpoint_id", e.checkpointId());
                json.put("previous_valid_checkpoint_id", e.previousValidCheckpointId().orElse(null));
                yield ApiResponse.of(422, json);
            }
            case CampaignRefusedException e -> {
                ObjectNode json = json("campaign_refused", e.reason());
                json.put("retry_after_seconds", e.retryAfterSeconds());
                e.unavailableAgents().forEach(json.putArray("unavailable_agents")::add);
                yield ApiResponse.of(503, json).withHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            case ConcurrentUpdateException e -> body(503, "busy", "the campaign is being updated concurrently; retry")
                    .withHeader("Retry-After", Long.toString(BUSY_RETRY_AFTER_SECONDS));
            case StoreUnavailableException e -> {
                // which bucket or table, and why, is for the logs; the client learns it may retry
                LOG.log(Level.WARNING, "request " + requestId + ": a store is unavailable", error);
                ObjectNode json = json("store_unavailable", "a checkpoint or record store did not answer; retry in "
                        + STORE_RETRY_AFTER_SECONDS + " s (request id " + requestId + ")");
                json.put("request_id", requestId);
                yield ApiResponse.of(503, json).withHeader("Retry-After", Long.toString(STORE_RETRY_AFTER_SECONDS));
            }
            default -> {
                LOG.log(Level.ERROR, "request " + requestId + " failed unexpectedly", error);
                ObjectNode json = json("internal_error", "internal error; quote request id " + requestId);
                json.put("request_id", requestId);
                yield ApiResponse.of(500, json);
            }
        };
    }

    private static ApiResponse body(int status, String code, String message) {
        return ApiResponse.of(status, json(code, message));
    }

    private static ObjectNode json(String code, String message) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("error", code);
        json.put("message", message);
        return json;
    }
}
