package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test campaigns: the sample event parsed with Jackson, and a second, unrelated campaign. */
final class Campaigns {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Campaigns() {
    }

    /** events/create-campaign.json (the module's tests run in functions/, the events live next to it). */
    static CampaignRequest sample() {
        Path file = Path.of("..", "events", "create-campaign.json");
        try {
            return JSON.readValue(Files.readString(file), CampaignRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    static CampaignRequest bakery() {
        return new CampaignRequest("camp-bakery-2026",
                "Crumb & Co is a neighbourhood bakery in Leeds that bakes sourdough with flour from Yorkshire mills. "
                        + "It now delivers fresh loaves to offices before 8 am and offers a weekly subscription.",
                "Office managers in Leeds who order breakfast for teams of 10 to 50 people and struggle with late deliveries",
                "Show office managers how a weekly bread subscription saves time on ordering, and increase subscription sign-ups",
                "normal", "blog_post", "sequential",
                List.of("bread subscription", "office breakfast", "sourdough delivery"),
                Map.of("writer", Map.of("tone", "friendly", "target_words", 600)));
    }

    static CampaignRequest withType(CampaignRequest r, String contentType) {
        return new CampaignRequest(r.campaignId(), r.companyContext(), r.targetAudience(), r.contentObjective(),
                r.priority(), contentType, r.strategy(), r.keywords(), r.agentParameters());
    }

    static AgentInput input(CampaignRequest r, String step, Map<String, JsonNode> previous) {
        return new AgentInput(r, step, r.agentParameters().getOrDefault(step, Map.of()), previous);
    }
}
