package com.campaignflow.statemachine.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.statemachine.plan.DefaultPlans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The deployed definition (template.yaml's DefinitionUri) must be exactly what the compiler makes of the default plan.
 * Regenerate it after a compiler change with:
 * {@code ./mvnw -q -pl statemachine test -Dtest=CommittedDefinitionTest -Dcampaignflow.regenerate=true}
 */
class CommittedDefinitionTest {

    static final String REGENERATE = "./mvnw -q -pl statemachine test -Dtest=CommittedDefinitionTest"
            + " -Dcampaignflow.regenerate=true";

    private final Path committed = Path.of(System.getProperty("basedir", "."), "campaign-workflow.asl.json");

    @Test
    void committedDefinition_isTheCompiledDefaultPlan() throws IOException {
        String compiled = new PlanCompiler().compile(DefaultPlans.defaultPlan());
        if (Boolean.getBoolean("campaignflow.regenerate")) {
            Files.writeString(committed, compiled, StandardCharsets.UTF_8);
        }

        assertThat(committed)
                .withFailMessage("statemachine/campaign-workflow.asl.json is missing; create it with:%n  %s", REGENERATE)
                .exists();
        String onDisk = Files.readString(committed, StandardCharsets.UTF_8);
        assertThat(onDisk)
                .withFailMessage("statemachine/campaign-workflow.asl.json differs from PlanCompiler's output for"
                        + " DefaultPlans.defaultPlan() (%s); review the compiler change, then regenerate it with:%n  %s",
                        firstDifference(onDisk, compiled), REGENERATE)
                .isEqualTo(compiled);
    }

    private static String firstDifference(String committed, String compiled) {
        String[] a = committed.split("\n", -1);
        String[] b = compiled.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String left = i < a.length ? a[i].strip() : "<end of file>";
            String right = i < b.length ? b[i].strip() : "<end of file>";
            if (!left.equals(right)) {
                return "line " + (i + 1) + ": committed `" + left + "`, compiled `" + right + "`";
            }
        }
        return "whitespace only";
    }
}
