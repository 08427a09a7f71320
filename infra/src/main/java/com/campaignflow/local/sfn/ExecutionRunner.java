package com.campaignflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Runs executions of compiled definitions. */
public final class ExecutionRunner {

    private ExecutionRunner() {
    }

    /** Runs an execution to its end on the calling thread. */
    public static ExecutionResult run(StateMachineDefinition definition, JsonNode input, ExecutionOptions options) {
        requireArguments(definition, input, options);
        return new Executor(definition, input, options).run();
    }

    /** Starts an execution on a virtual thread; the returned handle can stop it. */
    public static Execution start(StateMachineDefinition definition, JsonNode input, ExecutionOptions options) {
        return start(definition, input, options, execution -> { });
    }

    /** As {@link #start(StateMachineDefinition, JsonNode, ExecutionOptions)}, handing the execution to {@code beforeRun} first. */
    public static Execution start(StateMachineDefinition definition, JsonNode input, ExecutionOptions options,
            Consumer<Execution> beforeRun) {
        requireArguments(definition, input, options);
        return launch(new Executor(definition, input, options), options, beforeRun);
    }

    /**
     * Continues an execution as the plan says (crash recovery or redrive) on a virtual thread.
     * No ExecutionStarted event is emitted; event ids continue after the plan's last one.
     */
    public static Execution resume(StateMachineDefinition definition, JsonNode input, ExecutionOptions options,
            ResumePlan plan) {
        return resume(definition, input, options, plan, execution -> { });
    }

    /** As {@link #resume(StateMachineDefinition, JsonNode, ExecutionOptions, ResumePlan)}, with {@code beforeRun}. */
    public static Execution resume(StateMachineDefinition definition, JsonNode input, ExecutionOptions options,
            ResumePlan plan, Consumer<Execution> beforeRun) {
        requireArguments(definition, input, options);
        return launch(new Executor(definition, input, options, plan), options, beforeRun);
    }

    /** {@code beforeRun} gets the execution before its thread starts (e.g. to fail it at its first transition). */
    private static Execution launch(Executor executor, ExecutionOptions options, Consumer<Execution> beforeRun) {
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        Execution execution = new Execution(executor, result);
        beforeRun.accept(execution);
        Thread.ofVirtual().name("sfn-" + options.name()).start(() -> {
            try {
                result.complete(executor.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return execution;
    }

    private static void requireArguments(StateMachineDefinition definition, JsonNode input, ExecutionOptions options) {
        if (definition == null || input == null || input.isMissingNode() || options == null) {
            throw new IllegalArgumentException("an execution needs a definition, a JSON input and options");
        }
        if (options.startAt() != null && !definition.hasState(options.startAt())) {
            throw new IllegalArgumentException("cannot start at \"" + options.startAt()
                    + "\": no such top-level state; states are " + definition.stateNames());
        }
    }
}
