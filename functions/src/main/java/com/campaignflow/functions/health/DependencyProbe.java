package com.campaignflow.functions.health;

/** A cheap round trip to one dependency (blob store, a table); throws when it does not answer correctly. */
@FunctionalInterface
public interface DependencyProbe {

    void probe() throws Exception;
}
