package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.exceptions.UnauthorizedException;
import com.campaignflow.functions.config.FunctionEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda REQUEST authorizer of the REST API (key in the {@code x-api-key} header) and of WebSocket
 * {@code $connect} (key in the {@code api_key} query parameter). A known key gets an Allow policy with
 * {@code principalId} and {@code context.tenant} = its tenant; an unknown key an explicit Deny (API Gateway answers
 * 403); no key at all fails with "Unauthorized" (API Gateway answers 401).
 *
 * <p>The Allow covers every method and path of the API stage, not just the method ARN of this request: API Gateway
 * caches the policy per key ({@code ReauthorizeEvery}), and a policy naming one method would deny the same caller
 * the next route. Deny names only the method ARN.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {

    private final ApiKeys keys;

    public AuthorizerHandler() {
        this(ApiKeys.parse(FunctionEnvironment.require(ApiKeys.VARIABLE)));
    }

    public AuthorizerHandler(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String methodArn = event.getMethodArn();
        if (methodArn == null || !methodArn.startsWith("arn:")) {
            throw new IllegalArgumentException("authorizer event has no methodArn");
        }
        String key = apiKey(event).orElseThrow(() -> new UnauthorizedException("Unauthorized"));
        Optional<String> tenant = keys.tenantOf(key);
        if (tenant.isEmpty()) {
            return policy("anonymous", IamPolicyResponseV1.denyStatement(methodArn), Map.of());
        }
        return policy(tenant.get(), IamPolicyResponseV1.allowStatement(stageWildcard(methodArn)),
                Map.of("tenant", tenant.get()));
    }

    private static Optional<String> apiKey(APIGatewayCustomAuthorizerEvent event) {
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
                if ("x-api-key".equalsIgnoreCase(header.getKey()) && header.getValue() != null
                        && !header.getValue().isEmpty()) {
                    return Optional.of(header.getValue());
                }
            }
        }
        if (event.getQueryStringParameters() != null) {
            return Optional.ofNullable(event.getQueryStringParameters().get("api_key")).filter(k -> !k.isEmpty());
        }
        return Optional.empty();
    }

    /**
     * {@code arn:aws:execute-api:region:account:api/stage/METHOD/path} (REST) or {@code .../stage/$connect}
     * (WebSocket) → {@code arn:aws:execute-api:region:account:api/stage/*}.
     */
    static String stageWildcard(String methodArn) {
        int apiStart = methodArn.lastIndexOf(':') + 1;
        String[] path = methodArn.substring(apiStart).split("/", 3);
        if (path.length < 2) {
            throw new IllegalArgumentException("not an execute-api method ARN: " + methodArn);
        }
        return methodArn.substring(0, apiStart) + path[0] + "/" + path[1] + "/*";
    }

    private static IamPolicyResponseV1 policy(String principal, IamPolicyResponseV1.Statement statement,
                                              Map<String, Object> context) {
        IamPolicyResponseV1 response = new IamPolicyResponseV1();
        response.setPrincipalId(principal);
        response.setPolicyDocument(new IamPolicyResponseV1.PolicyDocument(IamPolicyResponseV1.VERSION_2012_10_17,
                List.of(statement)));
        response.setContext(context);
        return response;
    }
}
