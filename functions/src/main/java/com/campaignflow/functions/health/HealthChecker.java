package com.campaignflow.functions.health;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.faults.FaultInjector;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Probes every agent and dependency and records the outcome in {@link HealthService}, which closes the circuits
 * of services that recovered. Agents are probed in pipeline order on a tiny built-in campaign, each getting the
 * probe outputs of the agents before it, so a writer is judged on research notes, not on an empty input. A probe
 * is skipped while its circuit is open (the recovery time has not come) or when its input could not be produced.
 * Called every minute by the scheduled HealthCheckHandler (and by the local cloud's timer).
 */
public final class HealthChecker {

    /** Probe order, with the earlier outputs each agent needs (any one of a group is enough). */
    private static final Map<String, List<List<String>>> PIPELINE = new LinkedHashMap<>();

    static {
        PIPELINE.put("planner", List.of());
        PIPELINE.put("researcher", List.of());
        PIPELINE.put("basic_research", List.of());
        PIPELINE.put("writer", List.of(List.of("researcher", "basic_research")));
        PIPELINE.put("editor", List.of(List.of("writer")));
        PIPELINE.put("seo", List.of(List.of("editor", "writer")));
        PIPELINE.put("basic_qa", List.of(List.of("writer")));
        PIPELINE.put("distribution", List.of(List.of("writer"), List.of("seo", "basic_qa")));
    }

    static final CampaignRequest PROBE_REQUEST = new CampaignRequest(
            "health-probe",
            "Campaignflow health probe: a small analytics company that helps product teams understand how customers use their software.",
            "Product managers at small software companies",
            "Explain in a short article how product analytics helps teams decide what to build next",
            "low", "blog_post", "sequential",
            List.of("product analytics", "product decisions"),
            Map.of("writer", Map.of("target_words", 150)));

    private final HealthService health;
    private final Supplier<Map<String, Agent>> agents;
    private final Map<String, DependencyProbe> dependencies;
    private final FaultInjector faults;
    private final Clock clock;

    public HealthChecker(HealthService health, Supplier<Map<String, Agent>> agents,
                         Map<String, DependencyProbe> dependencies, Clock clock) {
        this(health, agents, dependencies, null, clock);
    }

    /**
     * @param faults the injected faults, which a probe meets as an agent run does (a game day's {@code writer:always}
     *               keeps the writer's circuit open instead of a passing probe closing it); null for none
     */
    public HealthChecker(HealthService health, Supplier<Map<String, Agent>> agents,
                         Map<String, DependencyProbe> dependencies, FaultInjector faults, Clock clock) {
        this.health = health;
        this.agents = agents;
        this.dependencies = Map.copyOf(dependencies);
        this.faults = faults;
        this.clock = clock;
    }

    public List<ProbeResult> check() {
        List<ProbeResult> results = new ArrayList<>();
        new java.util.TreeMap<>(dependencies).forEach((name, probe) -> results.add(probe(name, probe::probe)));
        Map<String, Agent> available = agents.get();
        Map<String, JsonNode> outputs = new HashMap<>();
        for (Map.Entry<String, List<List<String>>> step : PIPELINE.entrySet()) {
            String name = step.getKey();
            Agent agent = available.get(name);
            if (agent == null) {
                continue;
            }
            List<String> missing = step.getValue().stream()
                    .filter(group -> group.stream().noneMatch(outputs::containsKey))
                    .map(group -> String.join(" or ", group))
                    .toList();
            if (!missing.isEmpty()) {
                results.add(new ProbeResult(name, ProbeResult.Outcome.SKIPPED,
                        "no probe output from " + String.join(", ", missing), health.get(name)));
                continue;
            }
            Map<String, Object> params = new HashMap<>(PROBE_REQUEST.agentParameters().getOrDefault(name, Map.of()));
            AgentInput input = new AgentInput(PROBE_REQUEST, name, params, outputs);
            AgentOutput[] produced = new AgentOutput[1];
            ProbeResult result = probe(name, () -> {
                if (faults != null) {
                    faults.beforeRun(name, PROBE_REQUEST.campaignId(), name);
                }
                AgentOutput output = agent.run(input);
                if (output == null || output.data() == null) {
                    throw new IllegalStateException("agent returned no data");
                }
                produced[0] = output;
            });
            results.add(result);
            if (result.outcome() == ProbeResult.Outcome.PASSED) {
                outputs.put(name, produced[0].data());
            }
        }
        return results;
    }

    private interface ProbeBody {
        void run() throws Exception;
    }

    private ProbeResult probe(String name, ProbeBody body) {
        if (!health.isAvailable(name)) {
            return new ProbeResult(name, ProbeResult.Outcome.SKIPPED, "circuit open until recovery time", health.get(name));
        }
        try {
            body.run();
            return new ProbeResult(name, ProbeResult.Outcome.PASSED, "ok", health.recordSuccess(name));
        } catch (Exception e) {
            String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ProbeResult(name, ProbeResult.Outcome.FAILED, detail, health.recordFailure(name, "probe: " + detail));
        }
    }
}
