package com.campaignflow.local.sfn.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.VirtualClock;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GetExecutionHistory, as the wire returns it, against golden files holding the event
 * sequence AWS documents (timestamps left out): a Task that is retried and then succeeds
 * (TaskFailed, then TaskScheduled/TaskStarted again, no second TaskStateEntered), and a
 * caught failure (TaskFailed, then the Catch target entered, no TaskStateExited).
 * {@code -Dgolden.update=true} rewrites the files from the current output (review the diff).
 */
class ExecutionHistoryGoldenTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/sfn-history");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"task-retry-then-succeed", "caught-failure"})
    void history_matchesTheGoldenFile(String name) throws Exception {
        Path folder = GOLDEN.resolve(name);
        LocalStepFunctions service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir)
                .withClock(new VirtualClock()).withMocks(MockConfig.parse(Files.readString(folder.resolve("mocks.json")))));
        try (service) {
            StepFunctionsService api = new StepFunctionsService(service);
            ObjectNode create = MAPPER.createObjectNode().put("name", "golden")
                    .put("definition", Files.readString(folder.resolve("definition.asl.json")))
                    .put("roleArn", "arn:aws:iam::123456789012:role/golden");
            String machine = call(api, "CreateStateMachine", create).get("stateMachineArn").asText();
            ObjectNode start = MAPPER.createObjectNode().put("stateMachineArn", machine + "#Case").put("name", "run")
                    .put("input", MAPPER.readTree(folder.resolve("input.json").toFile()).toString());
            String execution = call(api, "StartExecution", start).get("executionArn").asText();
            service.completion(execution).get(10, TimeUnit.SECONDS);

            JsonNode history = call(api, "GetExecutionHistory",
                    MAPPER.createObjectNode().put("executionArn", execution));

            ArrayNode events = (ArrayNode) history.get("events");
            for (JsonNode event : events) {
                assertThat(event.get("timestamp").isNumber()).as("epoch seconds").isTrue();
                ((ObjectNode) event).remove("timestamp");
            }
            if (Boolean.getBoolean("golden.update")) {
                MAPPER.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("history.json").toFile(), events);
            }
            JsonNode expected = MAPPER.readTree(folder.resolve("history.json").toFile());
            assertThat(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(events))
                    .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
        }
    }

    private static JsonNode call(StepFunctionsService api, String action, JsonNode body) throws Exception {
        StepFunctionsService.Response response = api.handle("AWSStepFunctions." + action,
                MAPPER.writeValueAsBytes(body));
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return MAPPER.readTree(new String(response.body(), StandardCharsets.UTF_8));
    }
}
