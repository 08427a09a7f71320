package com.campaignflow.local.sfn.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.VirtualClock;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport-free handler: AWS JSON 1.0 errors and encodings. */
class StepFunctionsServiceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private LocalStepFunctions service;
    private StepFunctionsService api;

    @BeforeEach
    void open() {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withClock(clock));
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
    void jsonWithSomethingAfterIt_isRefused_notReadUpToItsFirstValue() throws Exception {
        String valid = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}";
        String role = "arn:aws:iam::123456789012:role/r";
        JsonNode created = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "m")
                .put("definition", valid + " xx").put("roleArn", role).toString(), 400);
        assertThat(created.get("__type").asText()).isEqualTo("InvalidDefinition");
        assertThat(call("AWSStepFunctions.ValidateStateMachineDefinition",
                MAPPER.createObjectNode().put("definition", valid + " }").toString(), 200).get("result").asText())
                .isEqualTo("FAIL");
        String arn = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "m")
                .put("definition", valid).put("roleArn", role).toString(), 200).get("stateMachineArn").asText();
        JsonNode started = call("AWSStepFunctions.StartExecution", MAPPER.createObjectNode().put("stateMachineArn", arn)
                .put("name", "e").put("input", "{\"a\":1} xx").toString(), 400);
        assertThat(started.get("__type").asText()).isEqualTo("InvalidExecutionInput");
        assertThat(call("AWSStepFunctions.ListStateMachines", "{} {}", 400).get("__type").asText())
                .isEqualTo("SerializationException");
        assertThat(service.listExecutions(arn, null)).as("nothing started").isEmpty();
    }

    @Test
    void publishingAVersion_isRefused_ratherThanAnsweredWithoutOne() throws Exception {
        String valid = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}";
        String role = "arn:aws:iam::123456789012:role/r";
        JsonNode published = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "m")
                .put("definition", valid).put("roleArn", role).put("publish", true).toString(), 400);
        assertThat(published.get("__type").asText()).isEqualTo("ValidationException");
        assertThat(published.get("message").asText()).contains("versions");
        assertThat(call("AWSStepFunctions.ListStateMachines", "{}", 200).get("stateMachines")).as("nothing created")
                .isEmpty();
    }

    @Test
    void namesWithANoBreakSpaceOrALoneSurrogate_areInvalid() throws Exception {
        String valid = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}";
        for (String name : List.of("a\u00a0b", "a\u2003b", "a\ud800b", "a\udc00")) {
            JsonNode created = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", name)
                    .put("definition", valid).put("roleArn", "arn:aws:iam::123456789012:role/r").toString(), 400);
            assertThat(created.get("__type").asText()).as(name).isEqualTo("InvalidName");
        }
        assertThat(call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "caf\u00e9-\ud83d\ude80")
                .put("definition", valid).put("roleArn", "arn:aws:iam::123456789012:role/r").toString(), 200)
                .get("stateMachineArn").asText()).as("letters and emoji are fine").endsWith(":caf\u00e9-\ud83d\ude80");
    }

    @Test
    void stateNamesRepeatedAnywhereInTheMachine_areAnInvalidDefinition() throws Exception {
        List<String> repeated = List.of(
                // two Parallel branches both define X
                """
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},
                  {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}]}}}""",
                // a Map iterator reuses a top-level name
                """
                {"StartAt":"X","States":{"X":{"Type":"Pass","Next":"M"},"M":{"Type":"Map","End":true,
                  "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}}}}""",
                // a branch state named like its enclosing Parallel
                """
                {"StartAt":"X","States":{"X":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}]}}}""");
        String valid = "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}";
        String arn = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "m")
                .put("definition", valid).put("roleArn", "arn:aws:iam::123456789012:role/r").toString(), 200)
                .get("stateMachineArn").asText();
        for (String definition : repeated) {
            JsonNode created = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "d")
                    .put("definition", definition).put("roleArn", "arn:aws:iam::123456789012:role/r").toString(), 400);
            assertThat(created.get("__type").asText()).isEqualTo("InvalidDefinition");
            assertThat(created.get("message").asText()).contains("\"X\"").contains("unique");
            JsonNode updated = call("AWSStepFunctions.UpdateStateMachine", MAPPER.createObjectNode()
                    .put("stateMachineArn", arn).put("definition", definition).toString(), 400);
            assertThat(updated.get("__type").asText()).isEqualTo("InvalidDefinition");
            JsonNode validated = call("AWSStepFunctions.ValidateStateMachineDefinition",
                    MAPPER.createObjectNode().put("definition", definition).toString(), 200);
            assertThat(validated.get("result").asText()).isEqualTo("FAIL");
            assertThat(validated.get("diagnostics").get(0).get("message").asText()).contains("State \"X\"")
                    .contains("unique");
        }
    }

    @Test
    void startExecution_inputLimitCountsUtf8Bytes_notCharacters() throws Exception {
        String arn = call("AWSStepFunctions.CreateStateMachine", MAPPER.createObjectNode().put("name", "m")
                .put("definition", "{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"End\":true}}}")
                .put("roleArn", "arn:aws:iam::123456789012:role/r").toString(), 200).get("stateMachineArn").asText();
        // 140,002 characters, 280,002 bytes
        String tooLarge = "\"" + "é".repeat(140_000) + "\"";
        JsonNode refused = call("AWSStepFunctions.StartExecution", MAPPER.createObjectNode()
                .put("stateMachineArn", arn).put("input", tooLarge).toString(), 400);
        assertThat(refused.get("__type").asText()).isEqualTo("ValidationException");
        assertThat(refused.get("message").asText()).contains("'input'").contains("262144");
        assertThat(call("AWSStepFunctions.ListExecutions", MAPPER.createObjectNode().put("stateMachineArn", arn)
                .toString(), 200).get("executions")).isEmpty();

        String atTheLimit = "\"" + "é".repeat(131_071) + "\""; // 262,144 bytes
        call("AWSStepFunctions.StartExecution", MAPPER.createObjectNode().put("stateMachineArn", arn)
                .put("input", atTheLimit).toString(), 200);
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
        // another role is ignored, as by Step Functions: the same machine, its role unchanged
        call("AWSStepFunctions.CreateStateMachine", body.replace("role/r", "role/other"), 200);
        assertThat(call("AWSStepFunctions.DescribeStateMachine",
                "{\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:m\"}", 200)
                .get("roleArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/r");
    }

    @Test
    void listExecutions_pagesAreACursor_executionsStartedBetweenPagesNeitherRepeatNorShiftThem() throws Exception {
        call("AWSStepFunctions.CreateStateMachine", """
                {"name":"m","roleArn":"arn:aws:iam::123456789012:role/r",
                 "definition":"{\\"StartAt\\":\\"W\\",\\"States\\":{\\"W\\":{\\"Type\\":\\"Wait\\",\\"Seconds\\":3600,\\"End\\":true}}}"}""", 200);
        String machine = "{\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:m\"";
        for (String name : List.of("a0", "a1", "a2", "a3")) {
            clock.advance(Duration.ofSeconds(1));
            call("AWSStepFunctions.StartExecution", machine + ",\"name\":\"" + name + "\"}", 200);
        }
        JsonNode first = call("AWSStepFunctions.ListExecutions", machine + ",\"maxResults\":2}", 200);
        for (String name : List.of("b0", "b1")) {
            clock.advance(Duration.ofSeconds(1));
            call("AWSStepFunctions.StartExecution", machine + ",\"name\":\"" + name + "\"}", 200);
        }
        JsonNode second = call("AWSStepFunctions.ListExecutions", machine + ",\"maxResults\":2,\"nextToken\":\""
                + first.get("nextToken").asText() + "\"}", 200);

        List<String> names = new java.util.ArrayList<>();
        first.get("executions").forEach(e -> names.add(e.get("name").asText()));
        second.get("executions").forEach(e -> names.add(e.get("name").asText()));
        assertThat(names).containsExactly("a3", "a2", "a1", "a0");
        assertThat(second.has("nextToken")).isFalse();
        assertThat(call("AWSStepFunctions.ListStateMachines", "{\"nextToken\":\"" + first.get("nextToken").asText()
                + "\"}", 400).get("__type").asText()).as("a token of another listing").isEqualTo("InvalidToken");
        assertThat(call("AWSStepFunctions.StopExecution", "{\"executionArn\":\"arn:aws:states:us-east-1:123456789012:"
                + "execution:m:a0\",\"error\":\"" + "E".repeat(257) + "\"}", 400).get("__type").asText())
                .isEqualTo("ValidationException");
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
