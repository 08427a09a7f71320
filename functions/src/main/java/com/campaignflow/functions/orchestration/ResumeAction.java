package com.campaignflow.functions.orchestration;

import java.util.Locale;

/**
 * What to do when resuming from a checkpoint.
 * <ul>
 * <li>{@code continue}: run the plan steps not completed as of the checkpoint;</li>
 * <li>{@code retry}: run again the step that wrote the checkpoint (the failed step for an error_recovery
 * checkpoint), then the rest;</li>
 * <li>{@code skip}: skip the next pending step (it must be optional), then run the rest.</li>
 * </ul>
 */
public enum ResumeAction {
    CONTINUE, RETRY, SKIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResumeAction fromWireName(String value) {
        for (ResumeAction a : values()) {
            if (a.wireName().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("action must be one of continue, retry, skip; got '" + value + "'");
    }
}
