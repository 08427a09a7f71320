package com.campaignflow.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.local.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local commands as a user runs them (in-process through {@link Main#run}): exit codes, the JSON last line of
 * stdout, and messages on stderr.
 */
class CampaignCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("..", "events", "create-campaign.json");

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
        JsonNode lastLine() {
            String[] lines = out.strip().split("\n");
            try {
                return JSON.readTree(lines[lines.length - 1]);
            } catch (IOException e) {
                throw new AssertionError("last stdout line is not JSON: " + lines[lines.length - 1], e);
            }
        }
    }

    @Test
    void run_checkpoints_resume_andReplay_fromTheSampleEvent() {
        String dataDir = dir.resolve("data").toString();

        Outcome run = local("run", SAMPLE.toString(), "--data-dir", dataDir);

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode result = run.lastLine();
        assertThat(result.get("status").asText()).isEqualTo("completed");
        assertThat(result.get("checkpoints_created").asInt()).isEqualTo(6);
        assertThat(run.err()).contains("[100%] distribution");
        String executionArn = result.get("workflow_execution_id").asText();
        String workflowId = executionArn.substring(executionArn.lastIndexOf(':') + 1);

        Outcome checkpoints = local("checkpoints", workflowId, "--data-dir", dataDir);
        assertThat(checkpoints.code()).as(checkpoints.err()).isZero();
        JsonNode list = checkpoints.lastLine();
        assertThat(list).hasSize(6);
        assertThat(list.get(0).get("agent_name").asText()).isEqualTo("planner");
        String second = list.get(1).get("checkpoint_id").asText();

        Outcome refused = local("resume", second, "--action", "skip", "--data-dir", dataDir);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("writer").contains("cannot be skipped");
        assertThat(refused.lastLine().get("error").asText()).isEqualTo("conflict");
        assertThat(refused.lastLine().get("message").asText()).contains("cannot be skipped");

        Outcome retried = local("resume", second, "--action", "retry", "--params", "{\"writer\":{\"tone\":\"formal\"}}",
                "--data-dir", dataDir);
        assertThat(retried.code()).as(retried.err()).isZero();
        assertThat(retried.err()).contains("[ 33%] researcher", "[100%] distribution");
        assertThat(retried.lastLine().get("status").asText()).isEqualTo("completed");
        assertThat(retried.lastLine().get("workflow_execution_id").asText()).isNotEqualTo(executionArn);

        Outcome again = local("run", SAMPLE.toString(), "--data-dir", dataDir);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("replayed");
        assertThat(again.lastLine().get("status").asText()).isEqualTo("completed");
    }

    @Test
    void aCorruptTableLog_isNamedByEveryCommand_withHowToRecover() throws IOException {
        String dataDir = dir.resolve("data").toString();
        Outcome run = local("run", SAMPLE.toString(), "--data-dir", dataDir);
        assertThat(run.code()).as(run.err()).isZero();
        String executionArn = run.lastLine().get("workflow_execution_id").asText();
        Path campaigns = Path.of(dataDir, "tables", "campaigns", "items.log");
        byte[] log = Files.readAllBytes(campaigns);
        int secondLine = indexOf(log, (byte) '\n', 0) + 1;
        log[secondLine + 40] ^= 0x01; // one bit inside the first item's JSON
        Files.write(campaigns, log);

        // a new process, as the next command would be (this JVM keeps the table it has read)
        Outcome checkpoints = inNewProcess("checkpoints", executionArn.substring(executionArn.lastIndexOf(':') + 1),
                "--data-dir", dataDir);

        assertThat(checkpoints.code()).isEqualTo(1);
        assertThat(checkpoints.err()).contains("table log " + campaigns + " is corrupt at offset " + secondLine)
                .contains("restore it from a backup").doesNotContain("internal error");
        assertThat(checkpoints.lastLine().get("success").asBoolean()).isFalse();
        assertThat(checkpoints.lastLine().get("error").asText()).isEqualTo("local_cloud_error");
        assertThat(checkpoints.lastLine().get("message").asText()).contains("table log " + campaigns + " is corrupt");
    }

    @Test
    void aCommandOnADataDirectoryInUse_exitsOne_sayingWhyInItsLastLine_andCreatesNothing() throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        // held as another local cloud (serve) holds it
        try (var channel = java.nio.channels.FileChannel.open(dataDir.resolve(".local-cloud.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var held = channel.lock()) {
            Outcome run = local("run", SAMPLE.toString(), "--data-dir", dataDir.toString());

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("another local cloud").contains(dataDir.toString());
            assertThat(run.lastLine().get("success").asBoolean()).isFalse();
            assertThat(run.lastLine().get("error").asText()).isEqualTo("data_dir_in_use");
            assertThat(run.lastLine().get("message").asText()).contains("give this command its own --data-dir");

            // serve too: a supervisor reading its stdout learns why it did not start
            Outcome serve = local("serve", "--port", "0", "--data-dir", dataDir.toString());

            assertThat(serve.code()).isEqualTo(1);
            assertThat(serve.lastLine().get("error").asText()).isEqualTo("data_dir_in_use");
        }
        assertThat(dataDir.resolve("checkpoints")).doesNotExist();
    }

    private static Outcome inNewProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Outcome(process.exitValue(), out, err.join());
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void failedRun_exitsOne_andRedriveWithoutTheFaultCompletesIt() throws IOException {
        String dataDir = dir.resolve("data").toString();
        Path request = sampleRequest("camp-cli-redrive");

        // written without fsync, read back by the next (fsync'd) session
        Outcome failed = local("run", request.toString(), "--faults", "writer:always", "--data-dir", dataDir,
                "--fsync", "false");

        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        assertThat(failed.lastLine().get("status").asText()).isEqualTo("failed");
        String executionArn = failed.lastLine().get("workflow_execution_id").asText();

        Outcome redriven = local("redrive", executionArn.substring(executionArn.lastIndexOf(':') + 1),
                "--data-dir", dataDir);

        assertThat(redriven.code()).as(redriven.err()).isZero();
        assertThat(redriven.err()).contains("[ 50%] writer");
        assertThat(redriven.lastLine().get("status").asText()).isEqualTo("completed");
        assertThat(redriven.lastLine().get("workflow_execution_id").asText()).isEqualTo(executionArn);
    }

    @Test
    void runKilledMidCampaign_isFinishedByTheSameCommand_withoutRerunningTheCheckpointedAgents() throws Exception {
        String dataDir = dir.resolve("data").toString();
        Path request = sampleRequest("camp-cli-killed");
        // a child JVM runs the campaign; the editor is slow, so the kill lands with the writer's checkpoint written
        // and the editor's run in flight
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "com.campaignflow.local.Main", "run", request.toString(), "--data-dir", dataDir,
                "--faults", "editor:latency=60s")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuffer childErr = new StringBuffer();
        CompletableFuture<Void> writerDone = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> { // reads the child's stderr to its end, so the child never blocks on it
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    childErr.append(line).append('\n');
                    if (line.contains("writer completed")) {
                        writerDone.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the child was killed
            }
            writerDone.completeExceptionally(new AssertionError("the child ended before the writer completed: "
                    + childErr));
        });
        try {
            writerDone.get(90, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL: nothing runs on the way out
        }

        // the same command again: the restarted local cloud continues the execution, the replayed request waits for it
        Outcome again = local("run", request.toString(), "--data-dir", dataDir, "--timeout", "60");

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("replayed").contains("1 execution left running by an earlier command continues now");
        // the agents the restarted cloud ran before the replayed request show as progress too
        assertThat(again.err()).contains("editor completed", "seo completed", "[100%] distribution");
        JsonNode result = again.lastLine();
        assertThat(result.get("status").asText()).isEqualTo("completed");
        assertThat(result.get("agents_executed")).extracting(JsonNode::asText)
                .containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
        String executionArn = result.get("workflow_execution_id").asText();
        Outcome checkpoints = local("checkpoints", executionArn.substring(executionArn.lastIndexOf(':') + 1),
                "--data-dir", dataDir);
        // one automatic checkpoint per agent: the agents checkpointed before the kill did not run again
        assertThat(checkpoints.lastLine()).extracting(c -> c.get("agent_name").asText() + ":" + c.get("type").asText())
                .containsExactly("planner:automatic", "researcher:automatic", "writer:automatic", "editor:automatic",
                        "seo:automatic", "distribution:automatic");
    }

    @Test
    void runThatOutlastsItsTimeout_exitsOne_withTheResultSoFarAsTheLastLine() throws IOException {
        String dataDir = dir.resolve("data").toString();
        Path request = sampleRequest("camp-cli-timeout");

        Outcome slow = local("run", request.toString(), "--faults", "editor:latency=20s", "--timeout", "2",
                "--data-dir", dataDir);

        assertThat(slow.code()).as(slow.err()).isEqualTo(1);
        assertThat(slow.err()).contains("did not finish within 2 s");
        JsonNode result = slow.lastLine();
        assertThat(result.get("status").asText()).isEqualTo("running");
        assertThat(result.get("success").asBoolean()).isFalse();
        assertThat(result.get("campaign_id").asText()).isEqualTo("camp-cli-timeout");
        assertThat(result.get("current_agent").asText()).isEqualTo("writer");
        assertThat(result.get("progress").asInt()).isEqualTo(50);
        assertThat(result.get("workflow_execution_id").asText()).contains(":execution:");
    }

    @Test
    void badInput_exitsTwo_withAMessageNamingWhatIsWrong() throws IOException {
        String dataDir = dir.resolve("data").toString();

        Outcome missing = local("run", dir.resolve("nope.json").toString(), "--data-dir", dataDir);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json").contains("does not exist");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"campaign_id\": ");
        Outcome invalidJson = local("run", broken.toString(), "--data-dir", dataDir);
        assertThat(invalidJson.code()).isEqualTo(2);
        assertThat(invalidJson.err()).contains("body: is not valid JSON").doesNotContain("StreamReadFeature");
        assertThat(invalidJson.lastLine().get("error").asText()).as("what the API answers").isEqualTo("invalid_request");


        Outcome twice = local("run", SAMPLE.toString(), "--data-dir", dataDir, "--data-dir", dir.resolve("b").toString());
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("--data-dir is given twice");

        ObjectNode body = (ObjectNode) JSON.readTree(SAMPLE.toFile());
        body.remove("target_audience");
        body.put("campaign_id", "camp-invalid");
        body.put("strategy", "swarm");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), body.toString());
        Outcome validation = local("run", invalid.toString(), "--data-dir", dataDir);
        assertThat(validation.code()).isEqualTo(2);
        assertThat(validation.err()).contains("invalid_request: target_audience: is required; strategy: must be one of");
        // the last line of stdout is what the API answers
        assertThat(validation.lastLine().get("success").asBoolean()).isFalse();
        assertThat(validation.lastLine().get("error").asText()).isEqualTo("invalid_request");
        assertThat(validation.lastLine().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("target_audience", "strategy");
        assertThat(Path.of(dataDir)).as("nothing started, nothing created").doesNotExist();

        Outcome badOption = local("run", SAMPLE.toString(), "--colour", "red");
        assertThat(badOption.code()).isEqualTo(2);
        assertThat(badOption.err()).contains("--colour").contains("usage:");

        Outcome badFsync = local("run", SAMPLE.toString(), "--fsync", "maybe", "--data-dir", dataDir);
        assertThat(badFsync.code()).isEqualTo(2);
        assertThat(badFsync.err()).contains("--fsync must be true or false");

        Outcome badFaults = local("run", SAMPLE.toString(), "--faults", "writer:sometimes", "--data-dir", dataDir);
        assertThat(badFaults.code()).isEqualTo(2);
        assertThat(badFaults.err()).contains("--faults").contains("writer");

        Outcome malformedWorkflow = local("checkpoints", "../etc", "--data-dir", dataDir);
        assertThat(malformedWorkflow.code()).isEqualTo(2);
        assertThat(malformedWorkflow.err()).contains("workflow");

        Outcome tooLong = local("run", SAMPLE.toString(), "--timeout", "99999999999", "--data-dir", dataDir);
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("--timeout must be a whole number of seconds from 1 to 31536000");

        Outcome emptyDataDir = local("checkpoints", "wf-x", "--data-dir=");
        assertThat(emptyDataDir.code()).isEqualTo(2);
        assertThat(emptyDataDir.err()).contains("--data-dir needs a value");

        // an option's value forgotten before the next option: the message names the option, not the positionals
        Outcome actionForgotten = local("resume", "wf-x/checkpoint_001", "--action", "--data-dir", dataDir);
        assertThat(actionForgotten.code()).isEqualTo(2);
        assertThat(actionForgotten.err()).contains("--action needs a value, got the option --data-dir next")
                .doesNotContain("argument(s)");

        Path large = Files.write(dir.resolve("large.json"), new byte[CampaignRequestParser.MAX_BODY_BYTES + 1]);
        Outcome tooLarge = local("run", large.toString(), "--data-dir", dataDir);
        assertThat(tooLarge.code()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("request body is 65537 bytes; this route accepts at most 65536");
        assertThat(tooLarge.lastLine().get("error").asText()).as("what the API answers").isEqualTo("payload_too_large");

        for (String params : new String[] {"{\"writer\":{\"tone\":\"x\"}} trailing",
                "{\"writer\":{\"tone\":\"x\"},\"writer\":{\"tone\":\"y\"}}"}) {
            Outcome badParams = local("resume", "wf-x/checkpoint_001", "--action", "retry", "--params", params,
                    "--data-dir", dataDir);
            assertThat(badParams.code()).as(params).isEqualTo(2);
            assertThat(badParams.err()).as(params).contains("--params is not valid JSON");
        }
        Outcome unknownAction = local("resume", "wf-x/checkpoint_001", "--action", "jump", "--data-dir", dataDir);
        assertThat(unknownAction.code()).isEqualTo(2);
        assertThat(unknownAction.err()).contains("--action: action must be one of continue, retry, skip; got 'jump'")
                .contains("usage:");
        assertThat(Path.of(dataDir)).as("nothing started, nothing created").doesNotExist();

        Outcome noData = local("checkpoints", "wf-unknown", "--data-dir", dataDir);
        assertThat(noData.code()).as("a mistyped --data-dir").isEqualTo(2);
        assertThat(noData.err()).contains("no local cloud data in " + Path.of(dataDir).toAbsolutePath().normalize());
        assertThat(Path.of(dataDir)).as("and no empty local cloud left behind").doesNotExist();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Outcome fileAsDataDir = local("run", SAMPLE.toString(), "--data-dir", file.toString());
        assertThat(fileAsDataDir.code()).isEqualTo(2);
        assertThat(fileAsDataDir.err()).contains("--data-dir " + file.toAbsolutePath().normalize() + " is not a directory");

        Files.createDirectories(Path.of(dataDir));
        Outcome unknownWorkflow = local("checkpoints", "wf-unknown", "--data-dir", dataDir);
        assertThat(unknownWorkflow.code()).as("an id that names nothing is bad input").isEqualTo(2);
        assertThat(unknownWorkflow.err()).contains("not_found");

        Outcome badAction = local("resume", "wf-x/checkpoint_001", "--data-dir", dataDir);
        assertThat(badAction.code()).isEqualTo(2);
        assertThat(badAction.err()).contains("--action");
    }

    /** The sample request under another campaign id, as a file in the test's directory. */
    private Path sampleRequest(String campaignId) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(SAMPLE.toFile());
        body.put("campaign_id", campaignId);
        return Files.writeString(dir.resolve(campaignId + ".json"), body.toString());
    }

    private static Outcome local(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
