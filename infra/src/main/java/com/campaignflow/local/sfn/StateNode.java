package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.expr.ChoiceRule;
import com.campaignflow.local.sfn.expr.JsonPathExpression;
import com.campaignflow.local.sfn.expr.PayloadTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One compiled state: the fields every state type shares (transition, input/output
 * processing, error handling) plus its type's own {@link Work}. Fields a type does not
 * have keep their neutral value ("$" paths, no templates, no retriers).
 */
final class StateNode {

    enum Type {
        Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map
    }

    final String name;
    final Type type;
    /** Next state, null at End (or for Choice/Succeed/Fail). Linked after all states are parsed. */
    StateNode next;
    String nextName;

    // Input and output processing; see Executor#process for the order.
    Selector inputPath = Selector.IDENTITY;
    PayloadTemplate parameters;
    PayloadTemplate resultSelector;
    Placement resultPath = Placement.REPLACE;
    Selector outputPath = Selector.IDENTITY;

    List<Retrier> retriers = List.of();
    List<Catcher> catchers = List.of();

    Work work;

    StateNode(String name, Type type) {
        this.name = name;
        this.type = type;
    }

    @Override
    public String toString() {
        return type + " state \"" + name + "\"";
    }

    /** A retrier: "ErrorEquals", "IntervalSeconds" (1), "MaxAttempts" (3), "BackoffRate" (2.0) ... */
    record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
            Integer maxDelaySeconds, boolean fullJitter) {
    }

    /** A catcher: on a matching error, place {Error, Cause} at ResultPath of the raw input and go to Next. */
    record Catcher(List<String> errorEquals, Placement resultPath, String nextName, StateNode[] next) {
    }

    /** What a state type does between input and output processing. */
    sealed interface Work {
    }

    /** Pass: "Result" (null = pass the effective input through). */
    record PassWork(JsonNode result) implements Work {
    }

    /** Task: the resource, how to invoke it, and its timeouts (fixed or from a path). */
    record TaskWork(String resource, Resource kind, Integer timeoutSeconds, JsonPathExpression timeoutSecondsPath,
            Integer heartbeatSeconds, JsonPathExpression heartbeatSecondsPath) implements Work {
    }

    enum Resource {
        /** arn:aws:lambda:...:function:NAME — the result is the function's payload. */
        LAMBDA_FUNCTION,
        /** arn:aws:states:::lambda:invoke — the result is the Invoke API response. */
        LAMBDA_INVOKE,
        /** A well-formed ARN of an integration this engine does not run: fails with States.Runtime. */
        UNSUPPORTED
    }

    /** Choice: ordered rules with their Next, and Default. */
    record ChoiceWork(List<ChoiceRule> rules, List<String> nextNames, StateNode[] next, String defaultName,
            StateNode[] defaultNext) implements Work {
    }

    /** Wait: exactly one of the four is set. */
    record WaitWork(Long seconds, Instant timestamp, JsonPathExpression secondsPath,
            JsonPathExpression timestampPath) implements Work {
    }

    /** Fail: Error/Cause, fixed or from a path (paths may be intrinsic functions). */
    record FailWork(String error, String cause, PayloadTemplate errorPath, PayloadTemplate causePath) implements Work {
    }

    record SucceedWork() implements Work {
    }

    record ParallelWork(List<StateGraph> branches) implements Work {
    }

    /** Map (inline): items, per-item selector (ItemSelector or legacy Parameters), processor, limits. */
    record MapWork(JsonPathExpression itemsPath, PayloadTemplate itemSelector, StateGraph processor,
            int maxConcurrency, JsonPathExpression maxConcurrencyPath) implements Work {
    }
}
