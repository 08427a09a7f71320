package com.campaignflow.functions.health;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.config.SideBySide;
import com.campaignflow.functions.faults.FaultInjector;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Probes every agent and dependency and records the outcome in {@link HealthService}, which closes the circuits
 * of services that recovered. Agents are probed in pipeline order on a tiny built-in campaign ({@link AgentProbe}),
 * each getting the probe outputs of the agents before it, so a writer is judged on research notes, not on an empty
 * input; on AWS each probe goes through the agent's deployed function. When an earlier agent's probe failed, a later
 * one gets that agent's reference output instead (its rule-based implementation's output on the probe campaign, made
 * in this process without faults), so a failing writer does not leave the editor, SEO and distribution agents
 * unprobed, and their circuits open after they recovered. A probe is skipped while its circuit is open (the
 * recovery time has not come) or when no input could be produced. Called every minute by the scheduled
 * HealthCheckHandler (and by the local cloud's timer).
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

    /**
     * A circuit whose recovery time falls within this much of the check is probed now: the checks come a period apart
     * and the recovery time was set at the last probe, so a check reaching the service a moment earlier in its run
     * than last time would otherwise leave the circuit open for one more period.
     */
    static final Duration DUE_WITHIN = Duration.ofSeconds(5);

    private final HealthService health;
    private final Supplier<Set<String>> agents;
    private final AgentProbe.Runner runner;
    private final Map<String, DependencyProbe> dependencies;
    private final Supplier<Map<String, Agent>> referenceAgents;
    /** The reference outputs made so far (the probe campaign is fixed, so each is made once). */
    private final Map<String, JsonNode> referenceOutputs = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Probes the agents in this process.
     *
     * @param faults the injected faults, which a probe meets as an agent run does (see {@link AgentProbe#run}); null
     *               for none
     */
    public HealthChecker(HealthService health, Supplier<Map<String, Agent>> agents,
                         Map<String, DependencyProbe> dependencies, FaultInjector faults) {
        this(health, () -> agents.get().keySet(), (name, outputs) -> AgentProbe.inProcess(agents.get(), faults)
                .probe(name, outputs), dependencies, agents);
    }

    /**
     * @param agents the agents to probe (those of the pipeline that are named here)
     * @param runner how a probe reaches an agent: in this process, or through its deployed function
     * @param referenceAgents the agents whose fault-free outputs stand in for a failed earlier probe's
     */
    public HealthChecker(HealthService health, Supplier<Set<String>> agents, AgentProbe.Runner runner,
                         Map<String, DependencyProbe> dependencies, Supplier<Map<String, Agent>> referenceAgents) {
        this.health = health;
        this.agents = agents;
        this.runner = runner;
        this.dependencies = Map.copyOf(dependencies);
        this.referenceAgents = referenceAgents;
    }

    public List<ProbeResult> check() {
        List<ProbeResult> results = probeDependencies();
        Set<String> available = agents.get();
        Map<String, JsonNode> outputs = new HashMap<>();
        for (Map.Entry<String, List<List<String>>> step : PIPELINE.entrySet()) {
            String name = step.getKey();
            if (!available.contains(name)) {
                continue;
            }
            Map<String, JsonNode> earlier = new HashMap<>(outputs);
            List<String> standIns = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (List<String> group : step.getValue()) {
                if (group.stream().anyMatch(outputs::containsKey)) {
                    continue;
                }
                Optional<String> standIn = group.stream().filter(a -> referenceOutput(a) != null).findFirst();
                standIn.ifPresentOrElse(a -> {
                    earlier.put(a, referenceOutput(a));
                    standIns.add(a);
                }, () -> missing.add(String.join(" or ", group)));
            }
            if (!missing.isEmpty()) {
                results.add(new ProbeResult(name, ProbeResult.Outcome.SKIPPED,
                        "no probe output from " + String.join(", ", missing), health.get(name)));
                continue;
            }
            JsonNode[] produced = new JsonNode[1];
            ProbeResult result = probe(name, () -> produced[0] = runner.probe(name, Map.copyOf(earlier)));
            if (result.outcome() == ProbeResult.Outcome.PASSED) {
                outputs.put(name, produced[0]);
                if (!standIns.isEmpty()) {
                    result = new ProbeResult(name, result.outcome(), "ok (on the reference output of "
                            + String.join(", ", standIns) + ", whose probe did not pass)", result.health());
                }
            }
            results.add(result);
        }
        return results;
    }

    /**
     * The dependencies, probed side by side (results in name order): a store that does not answer costs the check one
     * call timeout, not one per store, and leaves it the time to probe the agents before its function times out.
     */
    private List<ProbeResult> probeDependencies() {
        List<Map.Entry<String, DependencyProbe>> inNameOrder = List.copyOf(new TreeMap<>(dependencies).entrySet());
        // a probe that could not record its outcome (the health table failing) fails the check, as when probed in order
        return SideBySide.map(inNameOrder, inNameOrder.size(), d -> probe(d.getKey(), d.getValue()::probe, false));
    }

    /**
     * The agent's output on the probe campaign from its implementation in this process, without faults, made from
     * the reference outputs of the agents before it; null when it cannot be made.
     */
    private JsonNode referenceOutput(String agent) {
        JsonNode kept = referenceOutputs.get(agent);
        if (kept != null) {
            return kept;
        }
        Agent implementation = referenceAgents == null ? null : referenceAgents.get().get(agent);
        List<List<String>> needs = PIPELINE.get(agent);
        if (implementation == null || needs == null) {
            return null;
        }
        Map<String, JsonNode> inputs = new HashMap<>();
        for (List<String> group : needs) {
            Optional<String> made = group.stream().filter(a -> referenceOutput(a) != null).findFirst();
            if (made.isEmpty()) {
                return null;
            }
            inputs.put(made.get(), referenceOutput(made.get()));
        }
        try {
            JsonNode output = AgentProbe.run(implementation, null, inputs);
            referenceOutputs.put(agent, output);
            return output;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private interface ProbeBody {
        void run() throws Exception;
    }

    private ProbeResult probe(String name, ProbeBody body) {
        return probe(name, body, true);
    }

    /**
     * @param untilRecoveryTime false for a store: probed even while its circuit is open, so that it closes at the first
     *                          check after the store is back (a probe is one small read and write; a step retried through
     *                          a short outage counts several failures, and the backoff they reach would otherwise refuse
     *                          every campaign for up to ten minutes after the store recovered)
     */
    private ProbeResult probe(String name, ProbeBody body, boolean untilRecoveryTime) {
        if (untilRecoveryTime && !health.isAvailable(name, DUE_WITHIN)) {
            return new ProbeResult(name, ProbeResult.Outcome.SKIPPED, "circuit open until recovery time", health.get(name));
        }
        try {
            body.run();
            return new ProbeResult(name, ProbeResult.Outcome.PASSED, "ok", health.recordCheckPassed(name));
        } catch (AgentProbe.NoAnswerInTimeException slow) {
            // a slow agent that its campaigns wait for (their runs have the function's whole timeout) is not failing;
            // a hanging one fails its campaign runs, which count against it
            return new ProbeResult(name, ProbeResult.Outcome.SKIPPED, slow.getMessage() + "; not counted as a failure",
                    health.get(name));
        } catch (Exception e) {
            String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ProbeResult(name, ProbeResult.Outcome.FAILED, detail, health.recordFailure(name, "probe: " + detail));
        }
    }
}
