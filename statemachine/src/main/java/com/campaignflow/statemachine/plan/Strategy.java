package com.campaignflow.statemachine.plan;

/** How the research phase of a plan runs: one Researcher, or Researchers A/B/C fanned out in a Parallel state. */
public enum Strategy {
    SEQUENTIAL, PARALLEL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Strategy fromWireName(String value) {
        for (Strategy s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy must be one of sequential, parallel; got " + value);
    }
}
