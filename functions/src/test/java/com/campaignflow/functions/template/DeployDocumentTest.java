package com.campaignflow.functions.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/deploy.md stays true to template.yaml where it quotes it: parameters, defaults, the cost of a campaign. */
class DeployDocumentTest {

    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyTemplateParameter_isInTheParameterTable_withItsDefault() throws IOException {
        List<String> rows = Files.readAllLines(document()).stream().filter(l -> l.startsWith("| `")).toList();
        List<String> problems = new ArrayList<>();
        Map<String, Object> parameters = SamTemplate.map(rootParameters(), "Parameters");
        for (String name : parameters.keySet()) {
            Object fallback = template.parameterDefault(name);
            String expected = fallback == null || fallback.toString().isEmpty() ? "empty" : "`" + fallback + "`";
            String row = rows.stream().filter(r -> r.contains("`" + name + "`")).findFirst().orElse(null);
            if (row == null) {
                problems.add(name + " is not in the parameter table");
            } else if (!row.contains(expected)) {
                problems.add(name + ": the table does not give its default " + expected + ": " + row);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void stateTransitionsOfTheHappyPath_areTheOnesTheCostSectionCounts() throws IOException {
        JsonNode definition = new ObjectMapper().readTree(template.repositoryRoot()
                .resolve((String) template.properties("CampaignStateMachine").get("DefinitionUri")).toFile());
        int entered = 0;
        String state = definition.get("StartAt").asText();
        while (state != null) {
            entered++;
            JsonNode next = definition.get("States").get(state).get("Next");
            state = next == null ? null : next.asText();
        }

        assertThat(Files.readString(document())).contains("**T = " + (entered + 2) + "**");
    }

    private Object rootParameters() throws IOException {
        return CloudFormationYaml.read(template.repositoryRoot().resolve("template.yaml")).get("Parameters");
    }

    private Path document() {
        return template.repositoryRoot().resolve("docs/deploy.md");
    }
}
