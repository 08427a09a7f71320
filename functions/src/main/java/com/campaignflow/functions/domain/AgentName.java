package com.campaignflow.functions.domain;

import java.util.Locale;

/** The agents of a campaign, with the names used in plans, checkpoints, results and function names. */
public enum AgentName {
    PLANNER, RESEARCHER, WRITER, EDITOR, SEO, DISTRIBUTION, BASIC_RESEARCH, BASIC_QA;

    /** The name on the wire: {@code planner}, {@code basic_research}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentName fromWireName(String value) {
        for (AgentName a : values()) {
            if (a.wireName().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown agent: " + value);
    }
}
