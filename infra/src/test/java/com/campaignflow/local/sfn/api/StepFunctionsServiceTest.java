package com.campaignflow.local.sfn.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.VirtualClock;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport-free handler: AWS JSON 1.0 errors and encodings. */
class StepFunctionsServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private LocalStepFunctions service;
    private StepFunctionsService api;

    @BeforeEach
    void open() {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(new VirtualClock()));
        api = new StepFunctionsService(service);
    }

    @AfterEach
    void close() {
        service.close();
    }

    private JsonNode call(String target, String body, int expectedStatus) throws Exception {
        StepFunctionsService.Response r = api.handle(target, body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.bodyText()).isEqualTo(expectedStatus);
        return MAPPER.readTree(r.body());
    }

    @Test
    void unknownActionAndBadBodiesAreAwsErrors() throws Exception {
        assertThat(call("AWSStepFunctions.Frobnicate", "{}", 400).get("__type").asText())
                .isEqualTo("UnknownOperationException");
        assertThat(call(null, "{}", 400).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(call("AWSStepFunctions.ListStateMachines", "{not json", 400).get("__type").asText())
                .isEqualTo("SerializationException");
        JsonNode missing = call("AWSStepFunctions.DescribeExecution", "{}", 400);
        assertThat(missing.get("__type").asText()).isEqualTo("ValidationException");
        assertThat(missing.get("message").asText()).contains("executionArn");
        assertThat(call("AWSStepFunctions.DescribeExecution", "{\"executionArn\":42}", 400).get("__type").asText())
                .isEqualTo("ValidationException");
        assertThat(call("AWSStepFunctions.ListStateMachines", "{\"maxResults\":5000}", 400).get("__type").asText())
                .isEqualTo("ValidationException");
    }

    @Test
    void timestampsAreEpochSecondsWithAFraction() throws Exception {
        JsonNode created = call("AWSStepFunctions.CreateStateMachine", """
                {"name":"m","roleArn":"arn:aws:iam::123456789012:role/r",
                 "definition":"{\\"StartAt\\":\\"P\\",\\"States\\":{\\"P\\":{\\"Type\\":\\"Pass\\",\\"End\\":true}}}"}""",
                200);
        JsonNode date = created.get("creationDate");
        assertThat(date.isNumber()).isTrue();
        assertThat(date.asDouble()).isEqualTo(1767225600.0); // the VirtualClock's 2026-01-01T00:00:00Z
        assertThat(created.get("stateMachineArn").asText())
                .isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:m");
    }

    @Test
    void stateMachineAlreadyExistsOnlyForADifferentDefinition() throws Exception {
        String body = """
                {"name":"m","roleArn":"arn:aws:iam::123456789012:role/r",
                 "definition":"{\\"StartAt\\":\\"P\\",\\"States\\":{\\"P\\":{\\"Type\\":\\"Pass\\",\\"End\\":true}}}"}""";
        call("AWSStepFunctions.CreateStateMachine", body, 200);
        call("AWSStepFunctions.CreateStateMachine", body, 200);
        assertThat(call("AWSStepFunctions.CreateStateMachine", body.replace("Pass", "Succeed").replace(",\\\"End\\\":true", ""),
                400).get("__type").asText()).isEqualTo("StateMachineAlreadyExists");
    }

    @Test
    void expressStateMachine_reportsItsTypeRunsAndRefusesRedrive() throws Exception {
        String create = """
                {"name":"fast","type":"EXPRESS","roleArn":"arn:aws:iam::123456789012:role/r",
                 "definition":"{\\"StartAt\\":\\"F\\",\\"States\\":{\\"F\\":{\\"Type\\":\\"Fail\\",\\"Error\\":\\"E\\"}}}"}""";
        String machine = call("AWSStepFunctions.CreateStateMachine", create, 200).get("stateMachineArn").asText();
        assertThat(call("AWSStepFunctions.DescribeStateMachine", "{\"stateMachineArn\":\"" + machine + "\"}", 200)
                .get("type").asText()).isEqualTo("EXPRESS");
        assertThat(call("AWSStepFunctions.ListStateMachines", "{}", 200).at("/stateMachines/0/type").asText())
                .isEqualTo("EXPRESS");
        String execution = call("AWSStepFunctions.StartExecution", "{\"stateMachineArn\":\"" + machine
                + "\",\"name\":\"x\"}", 200).get("executionArn").asText();
        service.completion(execution).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(service.describeExecution(execution).status()).isEqualTo("FAILED");

        JsonNode refused = call("AWSStepFunctions.RedriveExecution", "{\"executionArn\":\"" + execution + "\"}", 400);

        assertThat(refused.get("__type").asText()).isEqualTo("ExecutionNotRedrivable");
        assertThat(refused.get("message").asText()).contains("EXPRESS");
        assertThat(refused.size()).as("{__type, message} as every AWS JSON 1.0 error").isEqualTo(2);
        assertThat(service.describeExecution(execution).redriveStatus()).isEqualTo("NOT_REDRIVABLE");
    }
}
