package com.campaignflow.local.gateway;

import java.util.Map;

/**
 * A service speaking the AWS JSON 1.0/1.1 protocol mounted on the gateway port: requests are {@code POST} with an
 * {@code X-Amz-Target: <Prefix>.<Operation>} header (for example {@code AWSStepFunctions.StartExecution}).
 */
@FunctionalInterface
public interface AwsJsonService {

    /**
     * @param target  the whole X-Amz-Target value
     * @param body    the request body (JSON)
     * @param headers request headers, names lower-cased
     */
    Response handle(String target, byte[] body, Map<String, String> headers);

    /** The response: status and JSON body; errors use {@code {"__type": "...", "message": "..."}}. */
    record Response(int status, String body) {

        public static Response ok(String json) {
            return new Response(200, json);
        }

        public static Response error(int status, String type, String message) {
            return new Response(status, GatewayJson.object().put("__type", type).put("message", message).toString());
        }
    }
}
