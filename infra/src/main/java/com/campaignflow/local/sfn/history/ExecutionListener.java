package com.campaignflow.local.sfn.history;

/**
 * Receives every history event of an execution, in order per branch (branches of a
 * Parallel or Map interleave). Called on the executing thread: keep it quick.
 */
@FunctionalInterface
public interface ExecutionListener {

    ExecutionListener NONE = event -> { };

    void onEvent(HistoryEvent event);
}
