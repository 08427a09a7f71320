package com.campaignflow.local.gateway;

import com.campaignflow.local.lambda.InvocationResult;
import com.campaignflow.local.lambda.LocalLambdaRuntime;
import com.campaignflow.local.template.Authorizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs a Lambda authorizer as API Gateway does: a missing identity source is 401 without invoking it; the function
 * failing with "Unauthorized" is 401; any other failure or a malformed policy is 500; an IAM policy whose statements do
 * not Allow {@code execute-api:Invoke} on the method ARN (or explicitly Deny it) is 403; otherwise the request goes on
 * with {@code requestContext.authorizer} = the policy's {@code context} plus {@code principalId}.
 */
final class LambdaAuthorizers {

    sealed interface Decision {
    }

    record Allowed(ObjectNode context) implements Decision {
    }

    /**
     * @param type    the gateway response type ({@code UNAUTHORIZED}, {@code ACCESS_DENIED}, {@code AUTHORIZER_FAILURE},
     *                {@code AUTHORIZER_CONFIGURATION_ERROR}) a template's GatewayResponses may restyle
     * @param message {@code $context.error.message}
     * @param body    API Gateway's own body for it
     */
    record Refused(int status, String type, String message, String body) implements Decision {
        static Refused unauthorized() {
            return new Refused(401, "UNAUTHORIZED", "Unauthorized", GatewayJson.message("Unauthorized"));
        }

        static Refused failed(String type) {
            return new Refused(500, type, "", GatewayJson.object().putNull("message").toString());
        }

        static Refused denied(String message) {
            return new Refused(403, "ACCESS_DENIED", message, GatewayJson.object().put("Message", message).toString());
        }
    }

    private LambdaAuthorizers() {
    }

    static Decision authorize(LocalLambdaRuntime runtime, Authorizer authorizer, IncomingRequest request,
                              Supplier<ObjectNode> requestEvent, String methodArn) {
        List<String> identity = new ArrayList<>();
        for (String source : authorizer.identitySources()) {
            Optional<String> value = request.identitySource(source);
            if (value.isEmpty()) {
                return Refused.unauthorized();
            }
            identity.add(value.get());
        }
        ObjectNode event = authorizer.payloadType() == Authorizer.PayloadType.TOKEN
                ? ProxyEvents.tokenAuthorizerEvent(identity.getFirst(), methodArn)
                : requestEvent.get();
        InvocationResult result = runtime.invoke(authorizer.functionLogicalId(), event.toString());
        if (result instanceof InvocationResult.FunctionError error) {
            return "Unauthorized".equals(error.errorMessage()) ? Refused.unauthorized() : Refused.failed("AUTHORIZER_FAILURE");
        }
        JsonNode policy;
        try {
            policy = GatewayJson.MAPPER.readTree(result.payload());
        } catch (IOException e) {
            return Refused.failed("AUTHORIZER_CONFIGURATION_ERROR");
        }
        JsonNode statements = policy.path("policyDocument").path("Statement");
        if (!policy.hasNonNull("principalId") || statements.isMissingNode()) {
            return Refused.failed("AUTHORIZER_CONFIGURATION_ERROR");
        }
        boolean allowed = false;
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            if (!coversInvoke(statement.path("Action")) || !covers(statement.path("Resource"), methodArn)) {
                continue;
            }
            String effect = statement.path("Effect").asText();
            if ("Deny".equalsIgnoreCase(effect)) {
                return Refused.denied("User is not authorized to access this resource with an explicit deny");
            }
            allowed |= "Allow".equalsIgnoreCase(effect);
        }
        if (!allowed) {
            return Refused.denied("User is not authorized to access this resource");
        }
        ObjectNode context = GatewayJson.object();
        if (policy.path("context").isObject()) {
            context.setAll((ObjectNode) policy.get("context"));
        }
        context.put("principalId", policy.get("principalId").asText());
        return new Allowed(context);
    }

    private static boolean coversInvoke(JsonNode action) {
        for (JsonNode value : action.isArray() ? action : List.of(action)) {
            if (matches(value.asText(), "execute-api:Invoke")) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(JsonNode resource, String methodArn) {
        for (JsonNode value : resource.isArray() ? resource : List.of(resource)) {
            if (matches(value.asText(), methodArn)) {
                return true;
            }
        }
        return false;
    }

    /** IAM wildcard matching: {@code *} any run of characters, {@code ?} one character. */
    static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
