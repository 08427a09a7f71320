package com.campaignflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void help_listsEveryCommandsUsageOnStdout_andExitsZero(String flag) {
        assertThat(run(flag)).isZero();

        assertThat(out()).contains("run FILE [--data-dir DIR] [--faults SPEC]", "serve [--port 3000]",
                "checkpoints WORKFLOW_ID", "resume CHECKPOINT_ID --action continue|retry|skip", "redrive WORKFLOW_ID",
                "sfn run --definition FILE", "bench <engine|checkpoints|orchestration>");
        assertThat(err.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "serve", "checkpoints", "resume", "redrive", "sfn", "bench"})
    void commandHelp_printsThatCommandsUsage_andRunsNothing(String command) {
        assertThat(run(command, "--help")).isZero();

        assertThat(out()).startsWith("usage: " + command + " ");
        assertThat(out().lines().filter(l -> l.startsWith("usage: "))).hasSize(1);
        assertThat(err.size()).isZero();
    }

    @Test
    void helpAfterOtherArguments_printsTheUsage_insteadOfRunningTheCommand() {
        assertThat(run("bench", "orchestration", "--help")).isZero();
        assertThat(out()).startsWith("usage: bench <engine|checkpoints|orchestration>");

        out.reset();
        assertThat(run("run", "does-not-exist.json", "-h")).isZero();
        assertThat(out()).startsWith("usage: run FILE");
        assertThat(err.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "launch"})
    void missingOrUnknownCommand_isExitTwo_namingTheCommandsOnStderr(String command) {
        assertThat(command.isEmpty() ? run() : run(command)).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("available: run, serve, checkpoints, resume, redrive,"
                + " sfn, bench").contains("--help");
        assertThat(out.size()).isZero();
    }
}
