package com.campaignflow.functions.agents.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void print() throws Exception {
        var r = Campaigns.sample();
        Map<String, JsonNode> prev = new LinkedHashMap<>();
        for (var a : new com.campaignflow.functions.agents.Agent[]{new PlannerAgent(), new ResearcherAgent(), new WriterAgent()}) {
            var out = a.run(Campaigns.input(r, a.name(), prev));
            prev.put(a.name(), out.data());
            System.out.println("=== " + a.name() + " q=" + out.qualityScore() + " " + out.summary());
            System.out.println(Campaigns.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out.data()));
        }
        System.out.println(prev.get("writer").path("article").path("markdown").asText());
    }
}
