package com.campaignflow.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.campaignflow.functions.config.FunctionEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-argument constructors Lambda calls, wired from the environment (local data directory, no network). */
class ApiServicesTest {

    @TempDir
    Path dataDir;

    private Map<String, String> environment() {
        return Map.of(
                "CAMPAIGNFLOW_DATA_DIR", dataDir.toString(),
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:campaignflow-default",
                "STATE_MACHINE_ROLE_ARN", "arn:aws:iam::000000000000:role/campaignflow-states",
                "AGENT_FUNCTION_ARNS", "{\"PlannerFunctionArn\": \"arn:aws:lambda:us-east-1:000000000000:function:PlannerFunction\"}",
                "API_KEYS", "northwind=" + ApiTestbed.NORTHWIND_KEY + ",globex=" + ApiTestbed.GLOBEX_KEY,
                "AWS_REGION", "us-east-1",
                // nothing here may reach a real endpoint
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test");
    }

    @Test
    void handlersBuiltFromTheEnvironment_answerWithTheConfiguredKeysAndStores() throws Exception {
        FunctionEnvironment.runWith(environment(), () -> {
            ApiHandler api = new ApiHandler();
            assertThat(api.handleRequest(ApiTestbed.request("GET", "/system/health-status", null,
                    ApiTestbed.NORTHWIND_KEY), null).getStatusCode()).isEqualTo(200);
            assertThat(api.handleRequest(ApiTestbed.request("GET", "/campaigns", null, "unknown-key-000"), null)
                    .getStatusCode()).isEqualTo(401);

            WebSocketHandler webSocket = new WebSocketHandler();
            assertThat(webSocket.handleRequest(ApiTestbed.event("websocket-connect.json", APIGatewayV2WebSocketEvent.class),
                    null).getStatusCode()).isEqualTo(200);

            AuthorizerHandler authorizer = new AuthorizerHandler();
            assertThat(authorizer.handleRequest(ApiTestbed.event("authorizer-rest-request.json",
                    APIGatewayCustomAuthorizerEvent.class), null).getPrincipalId()).isEqualTo("northwind");
            return null;
        });
        try (var files = Files.walk(dataDir.resolve("tables"))) {
            assertThat(files.map(Path::toString).toList()).anyMatch(p -> p.contains("connections"));
        }
    }

    @Test
    void theSameEnvironment_sharesOneSetOfServices() throws Exception {
        FunctionEnvironment.runWith(environment(), () -> {
            assertThat(ApiServices.fromEnvironment()).isSameAs(ApiServices.fromEnvironment());
            return null;
        });
    }
}
