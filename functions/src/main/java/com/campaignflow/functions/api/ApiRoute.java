package com.campaignflow.functions.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route of the REST API: method, path template (OpenAPI syntax; a trailing {@code +} marks a greedy
 * parameter that may span '/'), the status of success, the most a body may weigh, and the error statuses the route
 * can answer besides those every route can (401, 405, 500, and 503 when the stores are overloaded; 404 for an
 * unknown path belongs to no route). The OpenAPI document is kept
 * true to this table by a test.
 */
public enum ApiRoute {
    CREATE_CAMPAIGN("POST", "/campaigns", 202, BodyLimits.CAMPAIGN, 400, 409, 413, 415, 503),
    LIST_CAMPAIGNS("GET", "/campaigns", 200, 0, 400),
    GET_CAMPAIGN("GET", "/campaigns/{campaign_id}", 200, 0, 400, 404),
    RERUN_CAMPAIGN("POST", "/campaigns/{campaign_id}/rerun", 202, BodyLimits.SMALL, 400, 404, 409, 410, 413, 415,
            422),
    GET_PERFORMANCE("GET", "/campaigns/{campaign_id}/performance", 200, 0, 400, 404),
    LIST_CHECKPOINTS("GET", "/workflows/{workflow_id}/checkpoints", 200, 0, 400, 404),
    CREATE_MANUAL_CHECKPOINT("POST", "/workflows/{workflow_id}/checkpoints/manual", 201, BodyLimits.SMALL,
            400, 404, 409, 413, 415),
    RESUME_FROM_CHECKPOINT("POST", "/workflows/resume/{checkpoint_id+}", 202, BodyLimits.SMALL,
            400, 404, 409, 410, 413, 415, 422),
    REDRIVE_WORKFLOW("POST", "/workflows/{workflow_id}/redrive", 202, BodyLimits.SMALL, 400, 404, 409, 413, 415),
    HEALTH_STATUS("GET", "/system/health-status", 200, 0),
    DEGRADATION_STATUS("GET", "/system/degradation-status", 200, 0);

    /** Statuses any route can answer. */
    public static final Set<Integer> COMMON_ERRORS = Set.of(401, 405, 500, 503);

    private final String method;
    private final String path;
    private final List<String> segments;
    private final int successStatus;
    private final int maxBodyBytes;
    private final Set<Integer> errorStatuses;

    ApiRoute(String method, String path, int successStatus, int maxBodyBytes, Integer... errorStatuses) {
        this.method = method;
        this.path = path;
        this.segments = List.of(path.substring(1).split("/"));
        this.successStatus = successStatus;
        this.maxBodyBytes = maxBodyBytes;
        this.errorStatuses = Set.of(errorStatuses);
    }

    public String method() {
        return method;
    }

    /** The path template as written in the OpenAPI document ({@code {checkpoint_id}} without the greedy mark). */
    public String openApiPath() {
        return path.replace("+}", "}");
    }

    public int successStatus() {
        return successStatus;
    }

    /** The largest body the route accepts (0: the route takes no body; any body is ignored). */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public boolean takesBody() {
        return maxBodyBytes > 0;
    }

    /** Every status the route can answer, success first. */
    public Set<Integer> statuses() {
        Set<Integer> all = new TreeSet<>(errorStatuses);
        all.addAll(COMMON_ERRORS);
        all.add(successStatus);
        return all;
    }

    /**
     * Matches the raw (still percent-encoded) path segments; returns the raw parameter values by name, or null. A
     * greedy parameter takes the rest of the path, segments joined with '/'.
     */
    List<String[]> match(List<String> rawSegments) {
        List<String[]> parameters = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String template = segments.get(i);
            if (template.startsWith("{") && template.endsWith("+}")) {
                if (i >= rawSegments.size()) {
                    return null;
                }
                String name = template.substring(1, template.length() - 2);
                parameters.add(new String[] {name, String.join("/", rawSegments.subList(i, rawSegments.size()))});
                return parameters;
            }
            if (i >= rawSegments.size()) {
                return null;
            }
            String raw = rawSegments.get(i);
            if (template.startsWith("{")) {
                if (raw.isEmpty()) {
                    return null;
                }
                parameters.add(new String[] {template.substring(1, template.length() - 1), raw});
            } else if (!template.equals(raw)) {
                return null;
            }
        }
        return rawSegments.size() == segments.size() ? parameters : null;
    }

    /** Body limits: the campaign request has its own (the parser's); the other bodies are a few fields. */
    static final class BodyLimits {
        static final int CAMPAIGN = com.campaignflow.functions.planning.CampaignRequestParser.MAX_BODY_BYTES;
        static final int SMALL = 16 * 1024;

        private BodyLimits() {
        }
    }
}
