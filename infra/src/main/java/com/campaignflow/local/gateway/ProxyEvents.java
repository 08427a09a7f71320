package com.campaignflow.local.gateway;

import com.campaignflow.local.template.LocalArns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the JSON events API Gateway sends to Lambda: REST proxy (v1), authorizer and WebSocket events. */
final class ProxyEvents {

    static final String REST_API_ID = "local";
    static final String WEBSOCKET_API_ID = "localws";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ProxyEvents() {
    }

    /** The REST API proxy event (payload format 1.0). */
    static ObjectNode restEvent(IncomingRequest request, String resource, Map<String, String> pathParameters,
                                String stage, String requestId, Instant now, JsonNode authorizer, String domainName) {
        ObjectNode event = GatewayJson.object();
        event.put("resource", resource);
        // still percent-encoded, as REST APIs deliver it (pathParameters are decoded): the API decodes it once
        event.put("path", request.rawPath());
        event.put("httpMethod", request.method());
        putRequestParameters(event, request);
        event.set("pathParameters", pathParameters.isEmpty() ? null : GatewayJson.MAPPER.valueToTree(pathParameters));
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", LocalArns.ACCOUNT_ID);
        context.put("apiId", REST_API_ID);
        context.put("resourceId", Integer.toHexString(resource.hashCode()));
        context.put("resourcePath", resource);
        context.put("httpMethod", request.method());
        // the path the client called: on AWS's execute-api domain it starts with the stage; here the API is served
        // at the root, so it does not (the API builds Location headers from it)
        context.put("path", request.rawPath());
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", requestId);
        context.put("extendedRequestId", requestId);
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("stage", stage);
        context.put("domainName", domainName);
        context.set("identity", identity(request));
        if (authorizer != null) {
            context.set("authorizer", authorizer);
        }
        putBody(event, request.body());
        return event;
    }

    /** The REQUEST authorizer event of a REST route. */
    static ObjectNode requestAuthorizerEvent(IncomingRequest request, String resource, Map<String, String> pathParameters,
                                             String stage, String methodArn, String requestId, Instant now, String domainName) {
        ObjectNode event = restEvent(request, resource, pathParameters, stage, requestId, now, null, domainName);
        event.remove("body");
        event.remove("isBase64Encoded");
        ObjectNode ordered = GatewayJson.object().put("type", "REQUEST").put("methodArn", methodArn);
        ordered.setAll(event);
        return ordered;
    }

    /** The TOKEN authorizer event. */
    static ObjectNode tokenAuthorizerEvent(String token, String methodArn) {
        return GatewayJson.object().put("type", "TOKEN").put("authorizationToken", token).put("methodArn", methodArn);
    }

    static String restMethodArn(String stage, String method, String path) {
        return "arn:aws:execute-api:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT_ID + ":" + REST_API_ID + "/" + stage
                + "/" + method + (path.startsWith("/") ? path : "/" + path);
    }

    static String webSocketMethodArn(String stage, String routeKey) {
        return "arn:aws:execute-api:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT_ID + ":" + WEBSOCKET_API_ID + "/" + stage
                + "/" + routeKey;
    }

    /** A WebSocket event; {@code upgrade} is the $connect request (headers and query string go on CONNECT only). */
    static ObjectNode webSocketEvent(String eventType, String routeKey, WebSocketConnection connection, String requestId,
                                     Instant now, IncomingRequest upgrade, String body) {
        ObjectNode event = GatewayJson.object();
        if (upgrade != null) {
            event.set("headers", GatewayJson.MAPPER.valueToTree(upgrade.singleHeaders()));
            event.set("multiValueHeaders", GatewayJson.MAPPER.valueToTree(upgrade.multiHeaders()));
            if ("CONNECT".equals(eventType)) {
                Map<String, List<String>> query = upgrade.multiQuery();
                if (!query.isEmpty()) {
                    event.set("queryStringParameters", GatewayJson.MAPPER.valueToTree(upgrade.singleQuery()));
                    event.set("multiValueQueryStringParameters", GatewayJson.MAPPER.valueToTree(query));
                }
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", routeKey);
        if ("MESSAGE".equals(eventType)) {
            context.put("messageId", requestId.substring(0, 12));
        }
        context.put("eventType", eventType);
        context.put("extendedRequestId", requestId);
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("messageDirection", "IN");
        context.put("stage", connection.stage());
        context.put("connectedAt", connection.connectedAt().toEpochMilli());
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.set("identity", GatewayJson.object().put("sourceIp", connection.sourceIp()).put("userAgent", connection.userAgent()));
        context.put("requestId", requestId);
        context.put("domainName", connection.domainName());
        context.put("connectionId", connection.id());
        context.put("apiId", WEBSOCKET_API_ID);
        if (connection.authorizer() != null) {
            context.set("authorizer", connection.authorizer());
        }
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    private static ObjectNode identity(IncomingRequest request) {
        ObjectNode identity = GatewayJson.object();
        identity.put("sourceIp", request.sourceIp());
        identity.put("userAgent", request.userAgent());
        return identity;
    }

    private static void putRequestParameters(ObjectNode event, IncomingRequest request) {
        event.set("headers", request.headers().isEmpty() ? null : GatewayJson.MAPPER.valueToTree(request.singleHeaders()));
        event.set("multiValueHeaders", request.headers().isEmpty() ? null : GatewayJson.MAPPER.valueToTree(request.multiHeaders()));
        Map<String, List<String>> query = request.multiQuery();
        event.set("queryStringParameters", query.isEmpty() ? null : GatewayJson.MAPPER.valueToTree(request.singleQuery()));
        event.set("multiValueQueryStringParameters", query.isEmpty() ? null : GatewayJson.MAPPER.valueToTree(query));
    }

    /** Text bodies go as they are; a body that is not UTF-8 goes base64 encoded with isBase64Encoded true. */
    private static void putBody(ObjectNode event, byte[] body) {
        if (body.length == 0) {
            event.putNull("body");
            event.put("isBase64Encoded", false);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            event.put("body", text);
            event.put("isBase64Encoded", false);
        } catch (CharacterCodingException e) {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
    }
}
