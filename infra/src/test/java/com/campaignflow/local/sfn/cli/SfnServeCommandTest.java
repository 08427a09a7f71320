package com.campaignflow.local.sfn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SfnServeCommandTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void missingPortOrDataDirIsAUsageError() {
        assertThat(run("sfn", "serve", "--port", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data-dir").contains("usage: sfn serve");
    }

    @Test
    void badPortUnknownOptionAndUnreadableMockConfigAreUsageErrors() {
        assertThat(run("sfn", "serve", "--port", "http", "--data-dir", "x")).isEqualTo(2);
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--verbose", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option \"--verbose\"");
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--mock-config", "/nonexistent/m.json"))
                .isEqualTo(2);
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--lambda-invoker", "no.such.Invoker"))
                .isEqualTo(2);
        // the second --data-dir silently winning would serve a directory the user did not mean
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--data-dir", "y")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--data-dir is given twice");
    }

    @Test
    void aBadOptionValue_isNamedWithWhatIsWrong_andTheUsage() {
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--lambda-invoker", "no.such.Invoker")).isEqualTo(2);
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--lambda-invoker", "java.lang.String")).isEqualTo(2);
        assertThat(run("sfn", "serve", "--port", "0", "--data-dir", "x", "--journal-segment-bytes", "abc")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("usage: ")).toList())
                .containsExactly("sfn serve: --lambda-invoker: no class no.such.Invoker on the classpath",
                        "sfn serve: --lambda-invoker: java.lang.String does not implement "
                                + "com.campaignflow.local.sfn.lambda.LambdaInvoker",
                        "sfn serve: --journal-segment-bytes: must be a whole number of bytes, got 'abc'");
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("usage: sfn serve"))).hasSize(3);
    }
}
