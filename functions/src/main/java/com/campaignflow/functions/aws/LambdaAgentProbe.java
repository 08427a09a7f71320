package com.campaignflow.functions.aws;

import com.campaignflow.functions.health.AgentProbe;
import com.campaignflow.functions.runtime.ErrorCauses;
import com.campaignflow.functions.runtime.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The health check's probes on AWS: each goes to the agent's deployed function (Lambda Invoke, RequestResponse) as
 * {@code {"health_probe": {"outputs": ...}}}, so a probe passes only if a campaign's step could run there too.
 */
public final class LambdaAgentProbe implements AgentProbe.Runner {

    private final LambdaClient lambda;
    private final Map<String, String> functionByAgent;

    /** @param functionByAgent agent wire name → function name or ARN (an alias ARN: what the state machine invokes) */
    public LambdaAgentProbe(LambdaClient lambda, Map<String, String> functionByAgent) {
        this.lambda = lambda;
        this.functionByAgent = Map.copyOf(functionByAgent);
    }

    @Override
    public JsonNode probe(String agent, Map<String, JsonNode> earlierOutputs) {
        String function = functionByAgent.get(agent);
        if (function == null) {
            throw new IllegalArgumentException("no function for agent " + agent);
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode outputs = event.putObject("health_probe").putObject("outputs");
        earlierOutputs.forEach(outputs::set);
        InvokeResponse response;
        try {
            response = lambda.invoke(i -> i.functionName(function).payload(SdkBytes.fromByteArrayUnsafe(bytes(event))));
        } catch (ApiCallTimeoutException e) {
            throw new AgentProbe.NoAnswerInTimeException(agent + " function " + function
                    + " did not answer the probe within the probe's bound (" + e.getMessage() + ")", e);
        }
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new AgentProbeFailedException(agent + " function " + function + " failed: "
                    + ErrorCauses.forUsers(payload));
        }
        JsonNode data = parse(payload).path("data");
        if (!data.isObject()) {
            throw new AgentProbeFailedException(agent + " function " + function + " answered the probe without data");
        }
        return data;
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String payload) {
        try {
            JsonNode node = Json.MAPPER.readTree(payload);
            return node == null ? Json.MAPPER.missingNode() : node;
        } catch (IOException e) {
            throw new AgentProbeFailedException("the probe's answer is not JSON: " + e.getMessage());
        }
    }

    /** The agent's function failed the probe (or answered something else than a probe answer). */
    public static final class AgentProbeFailedException extends RuntimeException {
        public AgentProbeFailedException(String message) {
            super(message);
        }
    }
}
