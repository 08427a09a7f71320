package com.campaignflow.functions.checkpoints;

import java.util.Locale;

/** Lifecycle of a checkpoint. {@code expired} is reported for any checkpoint past its expires_at. */
public enum CheckpointStatus {
    ACTIVE, COMPLETED, FAILED, EXPIRED, RECOVERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckpointStatus fromWireName(String value) {
        for (CheckpointStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "checkpoint status must be one of active, completed, failed, expired, recovered; got " + value);
    }
}
