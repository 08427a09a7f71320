package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every definition the compiler generates passes the npm {@code asl-validator} (installed under infra/tools). */
class AslValidatorTest {

    private static final String INSTALL_HINT = "asl-validator is not installed: run `npm install --prefix infra/tools`";
    private static final Path TOOLS_BIN =
            Path.of(System.getProperty("basedir", "."), "..", "infra", "tools", "node_modules", ".bin").normalize();
    private static final Path VALIDATOR = TOOLS_BIN.resolve("asl-validator");

    @TempDir
    Path dir;

    @BeforeAll
    static void requireValidator() {
        if (Files.isExecutable(VALIDATOR)) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(INSTALL_HINT + " (looked for " + VALIDATOR + ")");
        }
        Assumptions.abort(INSTALL_HINT);
    }

    static Stream<Arguments> plans() {
        return TestPlans.all().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} plan")
    @MethodSource("plans")
    void generatedDefinition_passesAslValidator(String name, ExecutionPlan plan) throws Exception {
        Validation result = validate(dir.resolve(name + ".asl.json"), new PlanCompiler().compile(plan));

        assertThat(result.exitCode()).as("asl-validator exit code; output:%n%s", result.output()).isZero();
    }

    @Test
    void validator_rejectsADefinitionWithADanglingTransition() throws Exception {
        // Guards against a validator run that accepts anything.
        String broken = new PlanCompiler().compile(DefaultPlans.defaultPlan())
                .replaceFirst("\"Next\": \"researcher\"", "\"Next\": \"nowhere\"");

        Validation result = validate(dir.resolve("broken.asl.json"), broken);

        assertThat(result.exitCode()).as("asl-validator exit code; output:%n%s", result.output()).isEqualTo(1);
        assertThat(result.output()).contains("nowhere");
    }

    private record Validation(int exitCode, String output) {
    }

    private static Validation validate(Path file, String definition) throws IOException, InterruptedException {
        Files.writeString(file, definition, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(VALIDATOR.toString(), "--json-path", file.toString())
                .redirectErrorStream(true);
        // The tools directory ships its own node; prefer it over whatever is on the PATH.
        builder.environment().merge("PATH", TOOLS_BIN.toString(), (path, bin) -> bin + File.pathSeparator + path);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("asl-validator finished").isTrue();
        return new Validation(process.exitValue(), output);
    }
}
