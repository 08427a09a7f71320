package com.campaignflow.local.sfn;

import java.util.concurrent.CompletableFuture;

/** A running execution: its eventual result, and a way to stop it (StopExecution). */
public final class Execution {

    private final Executor executor;
    private final CompletableFuture<ExecutionResult> result;

    Execution(Executor executor, CompletableFuture<ExecutionResult> result) {
        this.executor = executor;
        this.result = result;
    }

    public String executionArn() {
        return executor.executionArn();
    }

    /** Completes with the final result (ABORTED after {@link #stop}). */
    public CompletableFuture<ExecutionResult> result() {
        return result;
    }

    /** Fails the execution at its next state transition (status FAILED); what it waits for now is not cut short. */
    public void failAtNextTransition(String error, String cause) {
        executor.failAtNextTransition(error, cause);
    }

    /** Aborts the execution: waits and in-flight states stop, the status becomes ABORTED. */
    public void stop(String error, String cause) {
        executor.abort(error, cause);
    }
}
