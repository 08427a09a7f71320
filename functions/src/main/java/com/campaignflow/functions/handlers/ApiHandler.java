package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.campaignflow.functions.api.ApiRequest;
import com.campaignflow.functions.api.ApiResponse;
import com.campaignflow.functions.api.CampaignApi;
import com.campaignflow.functions.api.ErrorMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every REST route (API Gateway REST API, Lambda proxy integration): decode the event, let {@link CampaignApi}
 * route it to one {@code CampaignService} call, encode the answer; any exception becomes a JSON error through
 * {@link ErrorMapper}.
 */
public final class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    /** The response headers of this API beyond the CORS-safelisted ones. */
    static final String EXPOSED_HEADERS = "Retry-After, Location, Idempotent-Replayed, X-Request-Id, Allow";

    private final CampaignApi api;
    private final String corsAllowOrigin;

    public ApiHandler() {
        this(ApiServices.fromEnvironment());
    }

    public ApiHandler(ApiServices services) {
        this.api = services.campaignApi();
        this.corsAllowOrigin = services.corsAllowOrigin();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = context != null && context.getAwsRequestId() != null
                ? context.getAwsRequestId() : UUID.randomUUID().toString();
        long started = System.nanoTime();
        ApiResponse response;
        try {
            ApiRequest request = ApiRequest.from(event, requestId);
            requestId = request.requestId();
            response = api.handle(request);
        } catch (RuntimeException e) {
            response = ErrorMapper.toResponse(e, requestId);
        }
        // one access line per request: never headers or bodies (they carry the API key and the campaign brief)
        LOG.log(System.Logger.Level.INFO, (event == null ? "-" : event.getHttpMethod() + " " + event.getPath()) + " -> "
                + response.status() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms (request " + requestId + ")");
        return encode(response, requestId);
    }

    private APIGatewayProxyResponseEvent encode(ApiResponse response, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Request-Id", requestId);
        if (corsAllowOrigin != null) {
            headers.put("Access-Control-Allow-Origin", corsAllowOrigin);
            headers.put("Vary", "Origin");
            // a page on another origin reads only safelisted headers unless these are exposed (the dashboard tells
            // when to retry a refused campaign from Retry-After)
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        headers.putAll(response.headers());
        String body;
        try {
            body = JSON.writeValueAsString(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response of request " + requestId + " cannot be written as JSON", e);
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(response.status()).withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false);
    }
}
