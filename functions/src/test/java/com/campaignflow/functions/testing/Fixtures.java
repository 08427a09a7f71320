package com.campaignflow.functions.testing;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.campaigns.CampaignRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Shared test data: the sample request from events/, a plan summary, and scriptable agents. */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** events/create-campaign.json, the request the README and sam local use. */
    public static ObjectNode sampleRequest() {
        try {
            return (ObjectNode) JSON.readTree(Path.of("../events/create-campaign.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sequential plan summary: planner → researcher → writer → editor → seo. */
    public static JsonNode planSummary(int steps) {
        ObjectNode plan = JSON.createObjectNode();
        plan.put("step_count", steps);
        String[][] chain = {{"planner", null}, {"researcher", "planner"}, {"writer", "researcher"},
                {"editor", "writer"}, {"seo", "editor"}};
        for (String[] s : chain) {
            ObjectNode step = plan.withArray("steps").addObject();
            // as in the default plan: the editor and seo steps are optional
            step.put("step_id", s[0]).put("agent", s[0]).put("required", !s[0].equals("editor") && !s[0].equals("seo"));
            if (s[1] != null) {
                step.putArray("depends_on").add(s[1]);
            }
        }
        return plan;
    }

    public static CampaignRecord campaign(String campaignId, int planSteps) {
        ObjectNode request = sampleRequest();
        request.put("campaign_id", campaignId);
        Instant at = Instant.parse("2026-11-26T00:00:00Z");
        return new CampaignRecord(campaignId, "default", "wf-" + campaignId.toLowerCase(), null, "running", request,
                planSteps > 0 ? planSummary(planSteps) : null, at, at, "none", List.of(), null, null, 0, 0);
    }

    /** An agent that runs {@code body} and counts its runs. */
    public static final class ScriptedAgent implements Agent {
        private final String name;
        private final Function<AgentInput, AgentOutput> body;
        public final AtomicInteger runs = new AtomicInteger();
        public volatile AgentInput lastInput;

        public ScriptedAgent(String name, Function<AgentInput, AgentOutput> body) {
            this.name = name;
            this.body = body;
        }

        /** Produces {"by": name, "step": step, "notes": [...]} with quality 0.8. */
        public static ScriptedAgent ok(String name) {
            return new ScriptedAgent(name, in -> {
                ObjectNode data = JSON.createObjectNode().put("by", name).put("step", in.stepId());
                data.putArray("notes").add("note from " + in.stepId());
                return new AgentOutput(data, 0.8, name + " finished " + in.stepId());
            });
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AgentOutput run(AgentInput input) {
            runs.incrementAndGet();
            lastInput = input;
            return body.apply(input);
        }
    }
}
