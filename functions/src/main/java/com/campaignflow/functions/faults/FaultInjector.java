package com.campaignflow.functions.faults;

import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Consulted by the agent runtime before an agent runs. {@code once} faults are remembered in a table (item
 * pk = {@code fault#<workflow_id>}, sk = {@code <step_id>#<agent>}, created with a conditional write) so the
 * "first invocation" is the first across every Lambda container; the marker expires with the workflow's checkpoints.
 */
public final class FaultInjector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<FaultSpec>> faults;
    private final DocumentTable onceTable;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Clock clock;
    private final Duration markerLifetime;

    /** With 'once' markers kept for the default checkpoint retention. */
    public FaultInjector(Map<String, List<FaultSpec>> faults, DocumentTable onceTable, Sleeper sleeper,
                         RandomGenerator random, Clock clock) {
        this(faults, onceTable, sleeper, random, clock, CheckpointPolicy.DEFAULT.retention());
    }

    /** @param markerLifetime how long a 'once' marker is kept: the checkpoints' retention */
    public FaultInjector(Map<String, List<FaultSpec>> faults, DocumentTable onceTable, Sleeper sleeper,
                         RandomGenerator random, Clock clock, Duration markerLifetime) {
        this.faults = Map.copyOf(faults);
        this.onceTable = onceTable;
        this.sleeper = sleeper;
        this.random = random;
        this.clock = clock;
        this.markerLifetime = markerLifetime;
    }

    /** No faults at all. */
    public static FaultInjector none() {
        return new FaultInjector(Map.of(), null, d -> { }, RandomGenerator.getDefault(), Clock.systemUTC());
    }

    public boolean isEmpty() {
        return faults.isEmpty();
    }

    /** Applies the agent's faults: sleeps for latency ones, throws {@link InjectedFaultException} for failing ones. */
    public void beforeRun(String agent, String workflowId, String stepId) {
        apply(agent, workflowId, stepId, true);
    }

    /**
     * Applies the agent's faults to a health probe: latency, {@code always} and {@code fail=}. A {@code once} fault
     * fails the first run of each campaign step; a probe is no campaign step, and a probe failing on it would hold
     * one more failure against an agent the drill meant to fail once.
     */
    public void beforeProbe(String agent) {
        apply(agent, null, null, false);
    }

    private void apply(String agent, String workflowId, String stepId, boolean campaignStep) {
        for (FaultSpec fault : faults.getOrDefault(agent, List.of())) {
            switch (fault) {
                case FaultSpec.Latency latency -> sleep(latency);
                case FaultSpec.Always always -> throw new InjectedFaultException(
                        "injected fault: " + agent + " always fails (CAMPAIGNFLOW_FAULTS)");
                case FaultSpec.Once once -> {
                    if (campaignStep && firstInvocation(agent, workflowId, stepId)) {
                        throw new InjectedFaultException("injected fault: first run of " + agent + " at step "
                                + stepId + " fails (CAMPAIGNFLOW_FAULTS)");
                    }
                }
                case FaultSpec.Probability p -> {
                    if (random.nextDouble() < p.failureRate()) {
                        throw new InjectedFaultException("injected fault: " + agent + " failed with probability "
                                + p.failureRate() + " (CAMPAIGNFLOW_FAULTS)");
                    }
                }
            }
        }
    }

    private void sleep(FaultSpec.Latency latency) {
        try {
            sleeper.sleep(latency.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InjectedFaultException("injected latency interrupted");
        }
    }

    private boolean firstInvocation(String agent, String workflowId, String stepId) {
        if (onceTable == null) {
            throw new IllegalStateException("a 'once' fault needs a table to remember first invocations");
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("pk", "fault#" + workflowId);
        item.put("sk", stepId + "#" + agent);
        item.put("failed_at", clock.instant().toString());
        // kept as long as a checkpoint of the workflow can be resumed from; the table's TTL removes it after
        item.put("expires_at", clock.instant().plus(markerLifetime).getEpochSecond());
        return onceTable.putIfAbsent(item);
    }
}
