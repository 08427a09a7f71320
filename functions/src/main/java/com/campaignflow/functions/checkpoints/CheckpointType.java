package com.campaignflow.functions.checkpoints;

import java.util.Locale;

/** Why a checkpoint was written: after an agent, on a user's request, or on a failure. */
public enum CheckpointType {
    AUTOMATIC, MANUAL, ERROR_RECOVERY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckpointType fromWireName(String value) {
        for (CheckpointType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("checkpoint type must be one of automatic, manual, error_recovery; got " + value);
    }
}
