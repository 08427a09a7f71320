package com.campaignflow.functions.handlers;

import static com.campaignflow.functions.handlers.ApiTestbed.NORTHWIND_KEY;
import static com.campaignflow.functions.handlers.ApiTestbed.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.exceptions.UnauthorizedException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizerHandlerTest {

    private final AuthorizerHandler handler = new AuthorizerHandler(
            ApiKeys.parse("northwind=" + NORTHWIND_KEY + ",globex=" + GLOBEX_KEY));

    private static APIGatewayCustomAuthorizerEvent restEvent() {
        return ApiTestbed.event("authorizer-rest-request.json", APIGatewayCustomAuthorizerEvent.class);
    }

    /** The sample $connect authorizer event with the api_key query parameter replaced. */
    private static APIGatewayCustomAuthorizerEvent connectEvent(String apiKey) {
        APIGatewayCustomAuthorizerEvent event = ApiTestbed.event("authorizer-websocket-connect.json",
                APIGatewayCustomAuthorizerEvent.class);
        event.setQueryStringParameters(apiKey == null ? null : Map.of("api_key", apiKey));
        return event;
    }

    /** The policy as the Lambda runtime serializes it for API Gateway. */
    private static JsonNode wire(IamPolicyResponseV1 policy) {
        return ApiTestbed.LAMBDA_JSON.valueToTree(policy);
    }

    @Test
    void knownKey_isAllowedOnTheWholeStage_withTheTenantInTheContext() {
        JsonNode policy = wire(handler.handleRequest(restEvent(), null));

        assertThat(policy.path("principalId").asText()).isEqualTo("northwind");
        assertThat(policy.path("context").path("tenant").asText()).isEqualTo("northwind");
        JsonNode statement = policy.path("policyDocument").path("Statement").get(0);
        assertThat(policy.path("policyDocument").path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.path("Action").asText()).isEqualTo("execute-api:Invoke");
        assertThat(statement.path("Resource").get(0).asText())
                .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*");
    }

    @Test
    void headerName_isMatchedInAnyCase() {
        APIGatewayCustomAuthorizerEvent event = restEvent();
        event.setHeaders(Map.of("X-Api-Key", GLOBEX_KEY));

        assertThat(handler.handleRequest(event, null).getPrincipalId()).isEqualTo("globex");
    }

    @Test
    void unknownKey_isDeniedOnTheMethod() {
        APIGatewayCustomAuthorizerEvent event = restEvent();
        event.setHeaders(Map.of("x-api-key", "cf_live_tenant_northwind_3f9a2d"));

        JsonNode policy = wire(handler.handleRequest(event, null));

        JsonNode statement = policy.path("policyDocument").path("Statement").get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Resource").get(0).asText()).isEqualTo(restEvent().getMethodArn());
        assertThat(policy.path("context").path("tenant").isMissingNode()).isTrue();
    }

    @Test
    void missingKey_failsWithUnauthorized_whichApiGatewayAnswers401() {
        APIGatewayCustomAuthorizerEvent event = restEvent();
        event.setHeaders(Map.of("Accept", "application/json"));

        assertThatThrownBy(() -> handler.handleRequest(event, null))
                .isInstanceOf(UnauthorizedException.class).hasMessage("Unauthorized");
    }

    @Test
    void webSocketConnect_usesTheApiKeyQueryParameter() {
        IamPolicyResponseV1 allowed = handler.handleRequest(connectEvent(NORTHWIND_KEY), null);
        IamPolicyResponseV1 denied = handler.handleRequest(connectEvent("wrong-key-0000"), null);

        assertThat(allowed.getPrincipalId()).isEqualTo("northwind");
        assertThat(wire(allowed).path("policyDocument").path("Statement").get(0).path("Resource").get(0).asText())
                .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:w9x8y7z6v5/prod/*");
        assertThat(wire(denied).path("policyDocument").path("Statement").get(0).path("Effect").asText()).isEqualTo("Deny");
        assertThatThrownBy(() -> handler.handleRequest(connectEvent(null), null)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void stageWildcard_keepsApiAndStage() {
        assertThat(AuthorizerHandler.stageWildcard("arn:aws:execute-api:eu-west-1:1:abc/dev/POST/workflows/resume/x/y"))
                .isEqualTo("arn:aws:execute-api:eu-west-1:1:abc/dev/*");
    }
}
