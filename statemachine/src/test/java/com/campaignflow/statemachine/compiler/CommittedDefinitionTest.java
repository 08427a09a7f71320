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
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .withFailMessage("statemachine/campaign-workflow.asl.json differs from PlanCompiler's output for"
                        + " DefaultPlans.defaultPlan(); review the compiler change, then regenerate it with:%n  %s",
                        REGENERATE)
                .isEqualTo(compiled);
    }
}
