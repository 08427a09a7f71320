package com.campaignflow.functions.health;

import com.campaignflow.functions.domain.ServiceHealth;

/**
 * The outcome of probing one agent or dependency.
 *
 * @param health the stored health after the probe was recorded (unchanged when skipped)
 */
public record ProbeResult(String service, Outcome outcome, String detail, ServiceHealth health) {

    public enum Outcome { PASSED, FAILED, SKIPPED }
}
