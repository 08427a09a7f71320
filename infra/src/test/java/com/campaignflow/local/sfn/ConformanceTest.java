package com.campaignflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.sfn.mock.MockConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files under src/test/resources/conformance/SECTION/CASE/: definition.asl.json,
 * input.json, expected.json and optionally mocks.json (test case "Default" of state machine
 * "Conformance"). expected.json is either the execution result
 * ({"status":"SUCCEEDED","output":...} / {"status":"FAILED","error":...,"cause":...}; a
 * missing "cause" is not compared) or {"problems":[substrings]} for a definition that must be
 * rejected, each substring appearing in some problem.
 */
class ConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path root = Path.of(ConformanceTest.class.getResource("/conformance").toURI());
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> sections = Files.list(root)) {
            for (Path section : sections.sorted().toList()) {
                try (Stream<Path> dirs = Files.list(section)) {
                    for (Path dir : dirs.sorted().toList()) {
                        cases.add(Arguments.of(section.getFileName() + "/" + dir.getFileName(), dir));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void executionMatchesGoldenFile(String name, Path dir) throws IOException {
        String definitionJson = Files.readString(dir.resolve("definition.asl.json"));
        JsonNode expected = MAPPER.readTree(dir.resolve("expected.json").toFile());

        if (expected.has("problems")) {
            List<String> problems = DefinitionValidator.problems(definitionJson);
            assertThat(problems).as("problems of " + name).isNotEmpty();
            for (JsonNode fragment : expected.get("problems")) {
                assertThat(problems).as("problems of " + name).anySatisfy(p -> assertThat(p).contains(fragment.asText()));
            }
            return;
        }

        StateMachineDefinition definition = StateMachineDefinition.parse(definitionJson);
        JsonNode input = MAPPER.readTree(dir.resolve("input.json").toFile());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ExecutionOptions.Builder options = ExecutionOptions.builder()
                .name("golden")
                .stateMachineName("Conformance")
                .accountId("123456789012")
                .clock(clock)
                .invoker(TestFunctions.create(clock));
        Path mocks = dir.resolve("mocks.json");
        if (Files.exists(mocks)) {
            options.mocks(MockConfig.parse(Files.readString(mocks)).testCase("Conformance", "Default"));
        }

        ExecutionResult result = ExecutionRunner.run(definition, input, options.build());

        JsonNode actual = result.toJson();
        if (!expected.has("cause") && actual.has("cause")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) actual).remove("cause");
        }
        assertThat(actual).as(name + "\nactual:   " + actual + "\nexpected: " + expected).isEqualTo(expected);
    }
}
