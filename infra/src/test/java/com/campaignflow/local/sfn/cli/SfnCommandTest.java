package com.campaignflow.local.sfn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code Main} in-process: the last stdout line is the result, exit codes 0 / 2. */
class SfnCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode lastLine() throws IOException {
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return MAPPER.readTree(lines[lines.length - 1]);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private String[] args(String... parts) {
        List<String> list = new ArrayList<>(List.of("sfn", "run"));
        list.addAll(List.of(parts));
        return list.toArray(String[]::new);
    }

    @Test
    void run_succeededExecutionPrintsStatusAndOutput() throws IOException {
        Path definition = file("greet.asl.json", """
                {"StartAt":"G","States":{"G":{"Type":"Pass","Parameters":{"hello.$":"$.who"},"End":true}}}""");
        Path input = file("input.json", "{\"who\":\"world\"}");

        int code = run(args("--definition", definition.toString(), "--input", input.toString()));

        assertThat(code).isZero();
        assertThat(lastLine()).isEqualTo(MAPPER.readTree("{\"status\":\"SUCCEEDED\",\"output\":{\"hello\":\"world\"}}"));
    }

    @Test
    void run_failedExecutionStillExitsZero() throws IOException {
        Path definition = file("f.json", """
                {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Nope","Cause":"because"}}}""");
        Path input = file("input.json", "{}");

        int code = run(args("--definition", definition.toString(), "--input", input.toString()));

        assertThat(code).isZero();
        assertThat(lastLine()).isEqualTo(
                MAPPER.readTree("{\"status\":\"FAILED\",\"error\":\"Nope\",\"cause\":\"because\"}"));
    }

    @Test
    void run_lambdaTaskWithoutMocksFailsAsUnknownFunction() throws IOException {
        Path definition = file("t.json", """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                 "Parameters":{"FunctionName":"WriterFunction","Payload.$":"$"},"End":true}}}""");
        Path input = file("input.json", "{}");

        run(args("--definition", definition.toString(), "--input", input.toString()));

        assertThat(lastLine().get("status").asText()).isEqualTo("FAILED");
        assertThat(lastLine().get("error").asText()).isEqualTo("Lambda.ResourceNotFoundException");
    }

    @Test
    void run_mockConfigTestCaseDrivesTasksUsingFileNameAsMachineName() throws IOException {
        Path definition = file("Campaign.asl.json", """
                {"StartAt":"Write","States":{
                 "Write":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                   "Parameters":{"FunctionName":"WriterFunction","Payload.$":"$"},
                   "Catch":[{"ErrorEquals":["WriterError"],"ResultPath":"$.error","Next":"Fallback"}],"End":true},
                 "Fallback":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                   "Parameters":{"FunctionName":"BasicWriterFunction","Payload.$":"$"},
                   "ResultSelector":{"draft.$":"$.Payload.draft"},"ResultPath":"$.result","End":true}}}""");
        Path input = file("input.json", "{}");
        Path mocks = file("mocks.json", """
                {"StateMachines":{"Campaign":{"TestCases":{"FlakyWriter":{"Write":"Fails","Fallback":"Drafts"}}}},
                 "MockedResponses":{"Fails":{"0":{"Throw":{"Error":"WriterError","Cause":"model busy"}}},
                                    "Drafts":{"0":{"Return":{"StatusCode":200,"Payload":{"draft":"d-1"}}}}}}""");

        int code = run(args("--definition", definition.toString(), "--input", input.toString(),
                "--mock-config", mocks.toString(), "--test-case", "FlakyWriter"));

        assertThat(code).isZero();
        assertThat(lastLine()).isEqualTo(MAPPER.readTree("""
                {"status":"SUCCEEDED","output":{"error":{"Error":"WriterError","Cause":"model busy"},
                 "result":{"draft":"d-1"}}}"""));
    }

    @Test
    void run_nameOptionSelectsMockedMachine() throws IOException {
        Path definition = file("x.json", """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:F",
                 "End":true}}}""");
        Path input = file("input.json", "{}");
        Path mocks = file("mocks.json", """
                {"StateMachines":{"Named":{"TestCases":{"T1":{"T":"R"}}}},
                 "MockedResponses":{"R":{"0":{"Return":{"ok":1}}}}}""");

        run(args("--definition", definition.toString(), "--input", input.toString(), "--name", "Named",
                "--mock-config", mocks.toString(), "--test-case", "T1"));

        assertThat(lastLine()).isEqualTo(MAPPER.readTree("{\"status\":\"SUCCEEDED\",\"output\":{\"ok\":1}}"));
    }

    @Test
    void run_invalidDefinitionExitsTwoNamingTheProblem() throws IOException {
        Path definition = file("bad.json", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}");
        Path input = file("input.json", "{}");

        int code = run(args("--definition", definition.toString(), "--input", input.toString()));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("State \"A\": \"Next\" refers to unknown state \"B\"");
    }

    @Test
    void run_badInputOrMockConfigOrArgumentsExitTwo() throws IOException {
        Path definition = file("ok.json", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}");
        Path badInput = file("bad-input.json", "{not json");
        Path input = file("input.json", "{}");
        Path mocks = file("mocks.json", "{\"StateMachines\":{},\"MockedResponses\":{}}");

        assertThat(run(args("--definition", definition.toString(), "--input", badInput.toString()))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not valid JSON");
        Path trailing = file("trailing-input.json", "{\"a\":1} xx"); // StartExecution refuses it too
        assertThat(run(args("--definition", definition.toString(), "--input", trailing.toString()))).isEqualTo(2);
        assertThat(run(args("--definition", definition.toString(), "--input", input.toString(),
                "--mock-config", mocks.toString(), "--test-case", "X"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no state machine \"ok\"");
        assertThat(run(args("--definition", definition.toString()))).isEqualTo(2);
        assertThat(run(args("--definition", dir.resolve("missing.json").toString(), "--input", input.toString())))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read definition file");
        assertThat(run("nosuch")).isEqualTo(2);
        assertThat(run(args("--definition", definition.toString(), "--input", input.toString(), "--definition",
                definition.toString()))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--definition is given twice");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void run_argumentErrors_printTheUsage() throws IOException {
        Path definition = file("ok.json", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}");

        assertThat(run(args("--definition", definition.toString()))).isEqualTo(2);
        assertThat(run(args("--definition", definition.toString(), "--input", "in.json", "--test-case", "X"))).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsSubsequence(
                "sfn run: --input FILE is required", "usage: sfn run --definition FILE --input FILE [--name NAME]"
                        + " [--mock-config FILE --test-case NAME]",
                "sfn run: --mock-config FILE and --test-case NAME must be given together");
    }

    @Test
    void machineName_stripsAslJsonSuffix() {
        assertThat(SfnCommand.machineName(Path.of("a/b/Campaign.asl.json"))).isEqualTo("Campaign");
        assertThat(SfnCommand.machineName(Path.of("Campaign.json"))).isEqualTo("Campaign");
        assertThat(SfnCommand.machineName(Path.of("Campaign"))).isEqualTo("Campaign");
    }
}
