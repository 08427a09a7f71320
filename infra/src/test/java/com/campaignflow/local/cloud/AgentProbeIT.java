package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.aws.LambdaAgentProbe;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The health check's agent probes as on AWS: HealthCheckFunction sends each probe to the agent's function through the
 * Lambda Invoke API (the local cloud serves it, as it serves the Step Functions API), read here with the AWS SDK.
 */
class AgentProbeIT {

    private static final List<String> AGENT_FUNCTIONS = List.of("PlannerFunction", "ResearcherFunction",
            "BasicResearchFunction", "WriterFunction", "EditorFunction", "SeoFunction", "BasicQaFunction",
            "DistributionFunction");

    @TempDir
    Path dataDir;

    @Test
    void healthCheck_probesEveryAgentThroughItsOwnFunction() throws Exception {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null); LambdaClient lambda = lambda(bed)) {
            AGENT_FUNCTIONS.forEach(f -> assertThat(bed.cloud.runtime().warmEnvironments(f)).as(f).isZero());

            JsonNode report = healthCheck(lambda);

            assertThat(probes(report)).containsEntry("planner", "passed").containsEntry("writer", "passed")
                    .containsEntry("basic_qa", "passed").containsEntry("distribution", "passed").hasSize(8 + 6);
            // each agent function ran (its environment is now warm): the probes did not run inside the health check
            AGENT_FUNCTIONS.forEach(f -> assertThat(bed.cloud.runtime().warmEnvironments(f)).as(f).isPositive());
        }
    }

    @Test
    void agentFunctionFailingUnderAGameDayFault_failsItsProbe_andTheAgentsAfterItAreProbedOnItsReferenceOutput()
            throws Exception {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "writer:always"); LambdaClient lambda = lambda(bed)) {
            JsonNode report = healthCheck(lambda);

            Map<String, String> probes = probes(report);
            assertThat(probes).containsEntry("researcher", "passed").containsEntry("writer", "failed")
                    .containsEntry("editor", "passed").containsEntry("seo", "passed")
                    .containsEntry("basic_qa", "passed").containsEntry("distribution", "passed");
            assertThat(service(report, "editor").get("detail").asText()).contains("reference output of writer");
            JsonNode writer = service(report, "writer");
            assertThat(writer.get("detail").asText()).contains("WriterFunction").contains("injected fault");
            assertThat(writer.get("failure_count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void lambdaAgentProbe_returnsTheAgentsOutput_andTheInvokeApiRefusesWhatItCannotServe() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null); LambdaClient lambda = lambda(bed)) {
            LambdaAgentProbe probe = new LambdaAgentProbe(lambda, Map.of("planner", "PlannerFunction",
                    "researcher", "arn:aws:lambda:us-east-1:000000000000:function:NoSuchFunction"));

            JsonNode plan = probe.probe("planner", Map.of());

            assertThat(plan.isObject()).isTrue();
            assertThat(plan.size()).isPositive();
            assertThatThrownBy(() -> probe.probe("researcher", Map.of("planner", plan)))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("NoSuchFunction");
            assertThatThrownBy(() -> lambda.invoke(i -> i.functionName("PlannerFunction").invocationType("Event")
                    .payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("RequestResponse");
        }
    }

    @Test
    void aProbeThatOutlastsItsBound_saysTheAgentDidNotAnswerInTime_notThatItFailed() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, "seo:latency=3s");
             LambdaClient lambda = LambdaClient.builder().endpointOverride(bed.cloud.endpoint()).region(Region.US_EAST_1)
                     .httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(bed.awsCredentials())
                     .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(1)))
                     .build()) {
            LambdaAgentProbe probe = new LambdaAgentProbe(lambda, Map.of("seo", "SeoFunction"));

            assertThatThrownBy(() -> probe.probe("seo", Map.of()))
                    .isInstanceOf(com.campaignflow.functions.health.AgentProbe.NoAnswerInTimeException.class)
                    .hasMessageContaining("SeoFunction did not answer the probe within the probe's bound");
        }
    }

    private static JsonNode healthCheck(LambdaClient lambda) throws Exception {
        InvokeResponse response = lambda.invoke(i -> i.functionName("HealthCheckFunction")
                .payload(SdkBytes.fromUtf8String("{\"source\":\"aws.events\"}")));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return CloudTestbed.JSON.readTree(response.payload().asString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> probes(JsonNode report) {
        Map<String, String> probes = new LinkedHashMap<>();
        report.get("services").forEach(s -> probes.put(s.get("service_name").asText(), s.get("probe").asText()));
        return probes;
    }

    private static JsonNode service(JsonNode report, String name) {
        for (JsonNode s : report.get("services")) {
            if (s.get("service_name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + report);
    }

    private static LambdaClient lambda(CloudTestbed bed) {
        return LambdaClient.builder().endpointOverride(bed.cloud.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(bed.awsCredentials())
                .build();
    }
}
