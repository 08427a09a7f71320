package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The Node tools under infra/tools (asl-validator, aws-local-stepfunctions and the Node 22 they run on). */
final class NodeTools {

    static final Path DIR = Path.of(System.getProperty("basedir", "."), "..", "infra", "tools").toAbsolutePath().normalize();
    static final Path BIN = DIR.resolve("node_modules").resolve(".bin");
    private static final String INSTALL_HINT = "the Node tools are not installed: run `npm install --prefix infra/tools`";

    record Result(int exitCode, String output) {
    }

    private NodeTools() {
    }

    /** Fails on CI (environment variable CI set) when the tools are missing, skips the test elsewhere. */
    static void require(String bin) {
        Path tool = BIN.resolve(bin);
        if (Files.isExecutable(tool)) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(INSTALL_HINT + " (looked for " + tool + ")");
        }
        Assumptions.abort(INSTALL_HINT);
    }

    /** Runs a tool of node_modules/.bin with that directory first on the PATH (so its own node is used). */
    static Result run(String bin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve(bin).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().merge("PATH", BIN.toString(), (path, own) -> own + File.pathSeparator + path);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", bin).isTrue();
        return new Result(process.exitValue(), output);
    }
}
