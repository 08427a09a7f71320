package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every definition the compiler generates passes the npm {@code asl-validator} (installed under infra/tools). */
class AslValidatorTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireValidator() {
        NodeTools.require("asl-validator");
    }

    static Stream<Arguments> plans() {
        return TestPlans.all().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} plan")
    @MethodSource("plans")
    void generatedDefinition_passesAslValidator(String name, ExecutionPlan plan) throws Exception {
        NodeTools.Result result = validate(dir.resolve(name + ".asl.json"), new PlanCompiler().compile(plan));

        assertThat(result.exitCode()).as("asl-validator exit code; output:%n%s", result.output()).isZero();
    }

    @Test
    void validator_rejectsADefinitionWithADanglingTransition() throws Exception {
        // Guards against a validator run that accepts anything.
        String broken = new PlanCompiler().compile(DefaultPlans.defaultPlan())
                .replaceFirst("\"Next\": \"researcher\"", "\"Next\": \"nowhere\"");

        NodeTools.Result result = validate(dir.resolve("broken.asl.json"), broken);

        assertThat(result.exitCode()).as("asl-validator exit code; output:%n%s", result.output()).isEqualTo(1);
        assertThat(result.output()).contains("nowhere");
    }

    private static NodeTools.Result validate(Path file, String definition) throws IOException, InterruptedException {
        Files.writeString(file, definition, StandardCharsets.UTF_8);
        return NodeTools.run("asl-validator", "--json-path", file.toString());
    }
}
