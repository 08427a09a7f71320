package com.campaignflow.local.template;

import java.util.List;

/**
 * A Lambda authorizer of the REST API or of the WebSocket {@code $connect} route.
 *
 * @param identitySources where the caller identity must be present, in API Gateway notation
 *                        ({@code method.request.header.X}, {@code method.request.querystring.x},
 *                        {@code route.request.querystring.x}); a request missing one is refused with 401
 *                        without invoking the authorizer, as API Gateway does
 */
public record Authorizer(String name, String functionLogicalId, PayloadType payloadType, List<String> identitySources) {

    public Authorizer {
        identitySources = List.copyOf(identitySources);
    }

    public enum PayloadType { TOKEN, REQUEST }
}
