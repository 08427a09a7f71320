package com.campaignflow.functions.health;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.faults.FaultInjector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Probes every agent and dependency and records the outcome in {@link HealthService}, which closes the circuits
 * of services that recovered. Agents are probed in pipeline order on a tiny built-in campaign ({@link AgentProbe}),
 * each getting the probe outputs of the agents before it, so a writer is judged on research notes, not on an empty
 * input; on AWS each probe goes through the agent's deployed function. A probe
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

    private final HealthService health;
    private final Supplier<Set<String>> agents;
    private final AgentProbe.Runner runner;
    private final Map<String, DependencyProbe> dependencies;

    /**
     * Probes the agents in this process.
     *
     * @param faults the injected faults, which a probe meets as an agent run does (see {@link AgentProbe#run}); null
     *               for none
     */
    public HealthChecker(HealthService health, Supplier<Map<String, Agent>> agents,
                         Map<String, DependencyProbe> dependencies, FaultInjector faults) {
        this(health, () -> agents.get().keySet(), (name, outputs) -> AgentProbe.inProcess(agents.get(), faults)
                .probe(name, outputs), dependencies);
    }

    /**
     * @param agents the agents to probe (those of the pipeline that are named here)
     * @param runner how a probe reaches an agent: in this process, or through its deployed function
     */
    public HealthChecker(HealthService health, Supplier<Set<String>> agents, AgentProbe.Runner runner,
                         Map<String, DependencyProbe> dependencies) {
        this.health = health;
        this.agents = agents;
        this.runner = runner;
        this.dependencies = Map.copyOf(dependencies);
    }

    public List<ProbeResult> check() {
        List<ProbeResult> results = new ArrayList<>();
        new java.util.TreeMap<>(dependencies).forEach((name, probe) -> results.add(probe(name, probe::probe)));
        Set<String> available = agents.get();
        Map<String, JsonNode> outputs = new HashMap<>();
        for (Map.Entry<String, List<List<String>>> step : PIPELINE.entrySet()) {
            String name = step.getKey();
            if (!available.contains(name)) {
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
            JsonNode[] produced = new JsonNode[1];
            Map<String, JsonNode> earlier = Map.copyOf(outputs);
            ProbeResult result = probe(name, () -> produced[0] = runner.probe(name, earlier));
            results.add(result);
            if (result.outcome() == ProbeResult.Outcome.PASSED) {
                outputs.put(name, produced[0]);
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
            return new ProbeResult(name, ProbeResult.Outcome.PASSED, "ok", health.recordCheckPassed(name));
        } catch (Exception e) {
            String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ProbeResult(name, ProbeResult.Outcome.FAILED, detail, health.recordFailure(name, "probe: " + detail));
        }
    }
}
