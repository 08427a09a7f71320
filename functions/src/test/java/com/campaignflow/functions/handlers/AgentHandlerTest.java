package com.campaignflow.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.runtime.InvalidAgentTaskException;
import com.campaignflow.functions.testing.Fixtures;
import com.campaignflow.functions.testing.Fixtures.ScriptedAgent;
import com.campaignflow.functions.testing.MutableClock;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private Services services;

    @BeforeEach
    void services() {
        Map<String, Agent> agents = Map.of("planner", ScriptedAgent.ok("planner"), "researcher", ScriptedAgent.ok("researcher"));
        services = Services.local(dataDir, agents, null, d -> { }, MutableClock.at("2026-11-26T01:00:00Z"));
        services.campaigns().create(Fixtures.campaign("camp-1", 5));
    }

    private static String event(String step, String agent, String results) {
        return """
                {"workflow_id":"wf-camp-1","campaign_id":"camp-1","execution_id":"exec-1","step_id":"%s",
                 "agent":"%s","replaces":null,"parameters":{"focus":"market"},"results":%s,"error":null}
                """.formatted(step, agent, results);
    }

    private static JsonNode invoke(AgentHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void roundTrip_onFiles_writesCheckpointTablesAndProgressAndReturnsTheContractResult() throws Exception {
        JsonNode planner = invoke(new PlannerHandler(services), event("planner", "planner", "{}"));
        JsonNode researcher = invoke(new ResearcherHandler(services),
                event("researcher", "researcher", "{\"planner\":" + planner + "}"));

        assertThat(researcher.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "step_id", "agent", "status", "checkpoint_id", "quality_score", "summary");
        assertThat(researcher.path("checkpoint_id").asText()).isEqualTo("wf-camp-1/checkpoint_002");
        assertThat(researcher.path("status").asText()).isEqualTo("completed");
        assertThat(dataDir.resolve("checkpoints/wf-camp-1/checkpoint_002.json.gz")).isRegularFile();
        assertThat(dataDir.resolve("checkpoints/wf-camp-1/metadata.json")).isRegularFile();
        assertThat(Files.readAllLines(dataDir.resolve("progress/camp-1.jsonl"))).hasSize(2)
                .last().satisfies(line -> assertThat(JSON.readTree(line).path("type").asText()).isEqualTo("agent_progress"));
        assertThat(services.checkpoints().read("wf-camp-1/checkpoint_002").stateData().completedAgents())
                .containsExactly("planner", "researcher");
        assertThat(services.performance().forCampaign("camp-1")).hasSize(2);
        assertThat(dataDir.resolve("tables/agent_performance")).isDirectory();
    }

    @Test
    void agentFailure_reachesTheRuntimeWithItsTypeAndMessageButNoStackTrace() {
        IllegalStateException cause = new IllegalStateException("model endpoint refused the call");
        Map<String, Agent> agents = Map.of("planner", new ScriptedAgent("planner", in -> {
            throw new IllegalArgumentException("planner could not plan", cause);
        }));
        Services failing = Services.local(dataDir.resolve("failing"), agents, null, d -> { },
                MutableClock.at("2026-11-26T01:00:00Z"));
        failing.campaigns().create(Fixtures.campaign("camp-1", 5));

        assertThatThrownBy(() -> invoke(new PlannerHandler(failing), event("planner", "planner", "{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("planner could not plan")
                .satisfies(e -> {
                    assertThat(e.getStackTrace()).isEmpty();
                    assertThat(e.getCause()).isSameAs(cause);
                    assertThat(cause.getStackTrace()).isEmpty();
                });
    }

    @Test
    void aCheckpointStoreThatCannotTakeTheCheckpoint_failsTheStepWithTheErrorTheStateMachineRetries() throws Exception {
        Files.createDirectories(dataDir.resolve("checkpoints"));
        Files.writeString(dataDir.resolve("checkpoints/wf-camp-1"), "not a directory"); // the workflow's folder

        assertThatThrownBy(() -> invoke(new PlannerHandler(services), event("planner", "planner", "{}")))
                .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(PlanCompiler.STORE_UNAVAILABLE_ERROR))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("checkpoints/wf-camp-1");
        assertThat(services.health().get("planner").failureCount()).as("not the agent's failure").isZero();
    }

    @Test
    void healthProbeEvent_runsTheAgentOnTheProbeCampaign_andWritesNothing() throws Exception {
        JsonNode answer = invoke(new ResearcherHandler(services),
                "{\"health_probe\":{\"outputs\":{\"planner\":{\"outline\":[\"a\"]}}}}");

        assertThat(answer.path("data").isObject()).isTrue();
        assertThat(answer.path("data").size()).isPositive();
        assertThat(dataDir.resolve("checkpoints/health-probe")).doesNotExist();
        assertThat(services.performance().forCampaign("health-probe")).isEmpty();
        assertThatThrownBy(() -> invoke(new ResearcherHandler(services), "{\"health_probe\":{\"outputs\":[1]}}"))
                .isInstanceOf(InvalidAgentTaskException.class).hasMessageContaining("health_probe");
    }

    @Test
    void eventForAnotherAgent_isRefused() {
        assertThatThrownBy(() -> invoke(new ResearcherHandler(services), event("planner", "planner", "{}")))
                .isInstanceOf(InvalidAgentTaskException.class)
                .hasMessageContaining("the researcher function got an event for agent 'planner'");
    }

    @Test
    void malformedJson_isRefusedWithAClearMessage() {
        assertThatThrownBy(() -> invoke(new PlannerHandler(services), "{\"workflow_id\": [1,"))
                .isInstanceOf(InvalidAgentTaskException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void healthCheckHandler_reportsEveryProbedService() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HealthCheckHandler(services).handleRequest(new ByteArrayInputStream(
                "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\"}".getBytes(StandardCharsets.UTF_8)), out, null);

        JsonNode report = JSON.readTree(out.toByteArray());
        assertThat(report.path("services")).extracting(s -> s.path("service_name").asText() + "=" + s.path("probe").asText())
                .contains("checkpoint_store=passed", "campaigns_table=passed", "planner=passed", "researcher=passed");
        assertThat(services.health().snapshot()).containsKeys("checkpoint_store", "planner", "researcher");
    }
}
