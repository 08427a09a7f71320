package com.campaignflow.functions.domain;

import java.util.Locale;

/** System-wide degradation, set by health assessment before planning. Ordered from none to emergency. */
public enum DegradationLevel {
    NONE, MINIMAL, MODERATE, SEVERE, EMERGENCY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DegradationLevel fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
