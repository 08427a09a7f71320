package com.campaignflow.functions.faults;

import java.time.Duration;

/** Waits; injected so tests never sleep for real. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
