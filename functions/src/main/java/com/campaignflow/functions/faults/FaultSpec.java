package com.campaignflow.functions.faults;

import java.time.Duration;

/** One injected fault for an agent. */
public sealed interface FaultSpec {

    /** Every run fails. */
    record Always() implements FaultSpec {
    }

    /**
     * The first run of each (workflow, step) that meets this fault fails, later runs (retries, redrives) pass; runs
     * made before it was injected (under another fault, or none) do not count.
     */
    record Once() implements FaultSpec {
    }

    /** Every run is delayed. */
    record Latency(Duration delay) implements FaultSpec {
    }

    /** Each run fails with this probability. */
    record Probability(double failureRate) implements FaultSpec {
    }
}
