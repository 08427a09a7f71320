package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.StateNode.Catcher;
import com.campaignflow.local.sfn.StateNode.ChoiceWork;
import com.campaignflow.local.sfn.StateNode.FailWork;
import com.campaignflow.local.sfn.StateNode.MapWork;
import com.campaignflow.local.sfn.StateNode.ParallelWork;
import com.campaignflow.local.sfn.StateNode.PassWork;
import com.campaignflow.local.sfn.StateNode.Resource;
import com.campaignflow.local.sfn.StateNode.Retrier;
import com.campaignflow.local.sfn.StateNode.SucceedWork;
import com.campaignflow.local.sfn.StateNode.TaskWork;
import com.campaignflow.local.sfn.StateNode.WaitWork;
import com.campaignflow.local.sfn.expr.ChoiceRule;
import com.campaignflow.local.sfn.expr.ExpressionFailure;
import com.campaignflow.local.sfn.expr.JsonPathExpression;
import com.campaignflow.local.sfn.expr.PayloadTemplate;
import com.campaignflow.local.sfn.history.ExecutionListener;
import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.history.HistoryEventType;
import com.campaignflow.local.sfn.lambda.InvocationResult;
import com.campaignflow.local.sfn.lambda.LambdaServiceException;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * One execution. Every state goes through one lifecycle ({@link #runState}): entered event,
 * input processing, the state's work, output processing, size check, exited event, next
 * state — with Retry and Catch around it. Parallel branches and Map iterations run the same
 * loop ({@link #runGraph}), each as a {@link Branch}, through one {@link FanOut}: on the calling
 * thread while they finish at once, on virtual threads as soon as they take time.
 */
final class Executor {

    static final int PAYLOAD_LIMIT_BYTES = 262_144;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final StateMachineDefinition definition;
    private final JsonNode input;
    private final ExecutionOptions options;
    private final EngineClock clock;
    private final ExecutionListener listener;
    private final boolean recording;
    private final MockConfig.TestCase mocks;
    private final AtomicLong eventIds = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicInteger> invocationCounts = new ConcurrentHashMap<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ExecutionResult> abortedWith = new AtomicReference<>();
    /** Set by {@link #failAtNextTransition}: the end at the next transition, unless a StopExecution comes first. */
    private final AtomicReference<ExecutionResult> failAtTransition = new AtomicReference<>();
    private ObjectNode executionContext;
    private ObjectNode stateMachineContext;
    private Instant deadline;
    /** Resume (crash) or redrive plan; null for a fresh start. */
    private final ResumePlan plan;

    Executor(StateMachineDefinition definition, JsonNode input, ExecutionOptions options) {
        this(definition, input, options, null);
    }

    Executor(StateMachineDefinition definition, JsonNode input, ExecutionOptions options, ResumePlan plan) {
        this.plan = plan;
        if (plan != null) {
            eventIds.set(plan.lastEventId());
        }
        this.definition = definition;
        this.input = input;
        this.options = options;
        this.clock = options.clock();
        this.listener = options.listener();
        this.recording = listener != ExecutionListener.NONE;
        this.mocks = options.mocks();
        options.mockInvocationsSoFar().forEach((state, count) -> invocationCounts.put(state, new AtomicInteger(count)));
    }

    String executionArn() {
        return options.executionArn();
    }

    // ---------------------------------------------------------------- execution

    ExecutionResult run() {
        Instant start = plan != null ? plan.startTime() : clock.now();
        Integer timeout = definition.timeoutSeconds();
        Instant deadlineBase = plan != null ? plan.deadlineBase() : start;
        deadline = timeout == null ? null : deadlineBase.plusSeconds(timeout);
        executionContext = NODES.objectNode();
        executionContext.put("Id", options.executionArn());
        executionContext.set("Input", input);
        executionContext.put("Name", options.name());
        executionContext.put("RoleArn", options.roleArn());
        executionContext.put("StartTime", timestamp(start));
        executionContext.put("RedriveCount", options.redriveCount());
        if (options.redriveTime() != null) {
            executionContext.put("RedriveTime", timestamp(options.redriveTime()));
        }
        stateMachineContext = NODES.objectNode();
        stateMachineContext.put("Id", options.stateMachineArn());
        stateMachineContext.put("Name", options.stateMachineName());

        Branch top = new Branch(null, "");
        if (recording && plan == null) {
            ObjectNode d = NODES.objectNode();
            ObjectNode details = d.putObject("executionStartedEventDetails");
            details.put("input", input.toString());
            details.put("roleArn", options.roleArn());
            emit(top, HistoryEventType.ExecutionStarted, 0, d);
        }
        threads.add(Thread.currentThread());
        ExecutionResult result;
        try {
            checkSize(input, "the execution input");
            StateGraph graph = definition.graph();
            String startAt = options.startAt() != null ? options.startAt() : graph.startAt();
            if (graph.state(startAt) == null) {
                throw new IllegalArgumentException("no top-level state \"" + startAt + "\" to start at");
            }
            JsonNode output = runBranch(graph, startAt, input, top, take(top));
            result = ExecutionResult.succeeded(output);
        } catch (StateFailure f) {
            result = ExecutionResult.ended(ExecutionStatus.FAILED, f.error(), f.cause());
        } catch (Stopped s) {
            result = s.result;
        } catch (Cancelled c) {
            // interrupted by someone other than stop(): the engine cannot go on
            result = ExecutionResult.ended(ExecutionStatus.FAILED, StatesError.RUNTIME.code(),
                    "The execution thread was interrupted");
        } finally {
            threads.remove(Thread.currentThread());
            Thread.interrupted(); // clear an abort interrupt that arrived after the last check
        }
        if (recording) {
            emitEnd(top, result);
        }
        return result;
    }

    private void emitEnd(Branch top, ExecutionResult result) {
        ObjectNode d = NODES.objectNode();
        HistoryEventType type = switch (result.status()) {
            case SUCCEEDED -> {
                d.putObject("executionSucceededEventDetails").put("output", result.output().toString());
                yield HistoryEventType.ExecutionSucceeded;
            }
            case FAILED -> {
                errorDetails(d.putObject("executionFailedEventDetails"), result.error(), result.cause());
                yield HistoryEventType.ExecutionFailed;
            }
            case TIMED_OUT -> {
                errorDetails(d.putObject("executionTimedOutEventDetails"), result.error(), result.cause());
                yield HistoryEventType.ExecutionTimedOut;
            }
            case ABORTED -> {
                errorDetails(d.putObject("executionAbortedEventDetails"), result.error(), result.cause());
                yield HistoryEventType.ExecutionAborted;
            }
        };
        emit(top, type, 0, d);
    }

    void abort(String error, String cause) {
        if (abortedWith.compareAndSet(null, ExecutionResult.ended(ExecutionStatus.ABORTED, error, cause))) {
            threads.forEach(Thread::interrupt);
        }
    }

    /**
     * Fails the execution when it next makes a state transition, without interrupting what it waits for (a task's
     * answer, a Wait): what DeleteStateMachine does to the executions of the machine. Not catchable.
     */
    void failAtNextTransition(String error, String cause) {
        failAtTransition.compareAndSet(null, ExecutionResult.ended(ExecutionStatus.FAILED, error, cause));
    }

    /** Ends the execution early: aborted, timed out. Not catchable by Retry/Catch. */
    private static final class Stopped extends RuntimeException {
        final ExecutionResult result;

        Stopped(ExecutionResult result) {
            super(result.status().name(), null, false, false);
            this.result = result;
        }
    }

    /** A sibling branch failed: this branch stops quietly. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /** One path of execution: the top level, a Parallel branch or a Map iteration. */
    private static final class Branch {
        final Branch parent;
        final String path;
        volatile boolean cancelled;
        long lastEventId;

        Branch(Branch parent, String path) {
            this.parent = parent;
            this.path = path;
        }

        boolean isCancelled() {
            for (Branch b = this; b != null; b = b.parent) {
                if (b.cancelled) {
                    return true;
                }
            }
            return false;
        }
    }

    private void checkActive(Branch branch) {
        checkActive(branch, true);
    }

    /** @param transition false where the execution does not move to a new state (a state resumed after a restart) */
    private void checkActive(Branch branch, boolean transition) {
        ExecutionResult aborted = abortedWith.get();
        if (aborted != null) {
            throw new Stopped(aborted);
        }
        if (deadline != null && clock.now().isAfter(deadline)) {
            throw new Stopped(ExecutionResult.ended(ExecutionStatus.TIMED_OUT, StatesError.TIMEOUT.code(),
                    "The execution ran longer than its TimeoutSeconds (" + definition.timeoutSeconds() + " s)"));
        }
        ExecutionResult failed = transition ? failAtTransition.get() : null;
        if (failed != null) {
            throw new Stopped(failed);
        }
        if (branch.isCancelled()) {
            throw new Cancelled();
        }
    }

    /** Sleeps on the clock, never past the execution deadline; stops promptly on abort. */
    private void sleep(Duration duration, Branch branch) {
        Duration d = duration;
        if (deadline != null) {
            Duration left = Duration.between(clock.now(), deadline).plusNanos(1);
            if (left.compareTo(d) < 0) {
                d = left.isNegative() ? Duration.ZERO : left;
            }
        }
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            checkActive(branch);
            throw new Cancelled();
        }
        checkActive(branch);
    }

    // ---------------------------------------------------------------- state lifecycle

    private record Step(StateNode next, JsonNode output) {
    }

    private ResumePlan.Resume take(Branch branch) {
        return plan == null ? null : plan.take(branch.path);
    }

    /** Runs a branch from its start, or as the resume plan says (finished already, or at a state). */
    private JsonNode runBranch(StateGraph graph, String startAt, JsonNode stateInput, Branch branch,
            ResumePlan.Resume resume) {
        if (resume instanceof ResumePlan.Completed done) {
            branch.lastEventId = done.lastEventId();
            return done.output();
        }
        if (resume instanceof ResumePlan.Failed failed) {
            branch.lastEventId = failed.lastEventId();
            throw new StateFailure(failed.failure().error(), failed.failure().cause());
        }
        if (resume instanceof ResumePlan.Aborted aborted) {
            branch.lastEventId = aborted.lastEventId();
            return runGraph(graph.state(startAt), stateInput, branch, null);
        }
        if (resume instanceof ResumePlan.Begun begun) {
            branch.lastEventId = begun.lastEventId();
            return runGraph(graph.state(startAt), stateInput, branch, null);
        }
        if (resume instanceof ResumePlan.At at) {
            StateNode state = graph.state(at.state());
            if (state == null) {
                throw new StateFailure(StatesError.RUNTIME, "cannot resume at unknown state \"" + at.state() + "\"");
            }
            branch.lastEventId = at.lastEventId();
            return runGraph(state, at.input(), branch, at);
        }
        return runGraph(graph.state(startAt), stateInput, branch, null);
    }

    /** Runs states from {@code state} until an End; a failure escapes as {@link StateFailure}. */
    private JsonNode runGraph(StateNode state, JsonNode stateInput, Branch branch, ResumePlan.At resumeFirst) {
        StateNode current = state;
        JsonNode in = stateInput;
        ResumePlan.At resume = resumeFirst;
        while (true) {
            // a state resumed in flight after a restart goes on: the restart is not a transition
            checkActive(branch, resume == null);
            Step step = runState(current, in, branch, resume);
            resume = null;
            if (step.next == null) {
                return step.output;
            }
            current = step.next;
            in = step.output;
        }
    }

    private Step runState(StateNode state, JsonNode raw, Branch branch, ResumePlan.At resume) {
        try {
            return visit(state, raw, branch, resume);
        } catch (Stopped stopped) {
            // StopExecution: the state in flight is aborted, not failed (a Task, Wait, Parallel or Map has work
            // that can be in flight; the other types finish at once)
            HistoryEventType aborted = abortedEvent(state.type);
            if (aborted != null && stoppedByStopExecution(stopped)) {
                emit(branch, aborted, 0, NODES.objectNode());
            }
            throw stopped;
        }
    }

    private static boolean stoppedByStopExecution(Stopped stopped) {
        return stopped.result.status() == ExecutionStatus.ABORTED;
    }

    private static HistoryEventType abortedEvent(StateNode.Type type) {
        return switch (type) {
            case Task -> HistoryEventType.TaskStateAborted;
            case Wait -> HistoryEventType.WaitStateAborted;
            case Parallel -> HistoryEventType.ParallelStateAborted;
            case Map -> HistoryEventType.MapStateAborted;
            default -> null;
        };
    }

    private Step visit(StateNode state, JsonNode raw, Branch branch, ResumePlan.At resume) {
        Instant entered = resume != null && resume.enteredTime() != null ? resume.enteredTime() : clock.now();
        // A resumed visit that was already entered continues quietly: no second Entered event.
        boolean resumedVisit = resume != null;
        if (recording && (resume == null || resume.reenter())) {
            ObjectNode d = NODES.objectNode();
            ObjectNode details = d.putObject("stateEnteredEventDetails");
            details.put("name", state.name);
            details.put("input", raw.toString());
            emit(branch, entered(state.type), 0, d);
        }
        int retryCount = resume != null ? resume.retryCount() : 0;
        int resumedRetries = retryCount;
        int[] attempts = null;
        retry:
        while (true) {
            try {
                ResumePlan.At resumedAttempt = resumedVisit ? resume : null;
                resumedVisit = false;
                if (resumedAttempt != null && resumedAttempt.failure() != null) {
                    // the attempt's failure is journaled: Retry and Catch decide on it, it is not run again
                    throw new StateFailure(resumedAttempt.failure().error(), resumedAttempt.failure().cause());
                }
                Step step = process(state, raw, branch, entered, retryCount, resumedAttempt);
                boolean exitJournaled = resumedAttempt != null
                        && resumedAttempt.progress() == ResumePlan.Progress.EXITED;
                if (recording && state.type != StateNode.Type.Fail && !exitJournaled) {
                    ObjectNode d = NODES.objectNode();
                    ObjectNode details = d.putObject("stateExitedEventDetails");
                    details.put("name", state.name);
                    details.put("output", step.output.toString());
                    emit(branch, exited(state.type), retryCount, d);
                }
                return step;
            } catch (StateFailure failure) {
                ExecutionResult aborted = abortedWith.get();
                if (aborted != null) {
                    throw new Stopped(aborted); // the failure was caused by the abort interrupting the work
                }
                if (branch.isCancelled()) {
                    throw new Cancelled(); // a sibling failed and interrupted this branch's work
                }
                if (StatesError.isTerminal(failure.error()) || state.type == StateNode.Type.Fail) {
                    throw failure;
                }
                // The first retrier whose ErrorEquals matches decides; once spent, Catch applies.
                for (int i = 0; i < state.retriers.size(); i++) {
                    Retrier r = state.retriers.get(i);
                    if (StatesError.matches(r.errorEquals(), failure.error())) {
                        if (attempts == null) {
                            attempts = new int[state.retriers.size()];
                            attempts[i] = resumedRetries; // retries spent before a crash count
                        }
                        if (attempts[i] < r.maxAttempts()) {
                            sleep(retryDelay(r, attempts[i]), branch);
                            attempts[i]++;
                            retryCount++;
                            continue retry;
                        }
                        break;
                    }
                }
                for (Catcher c : state.catchers) {
                    if (StatesError.matches(c.errorEquals(), failure.error())) {
                        ObjectNode error = NODES.objectNode();
                        error.put("Error", failure.error());
                        error.put("Cause", failure.cause());
                        return new Step(c.next()[0], c.resultPath().place(raw, error));
                    }
                }
                throw failure;
            }
        }
    }

    /** IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds; FULL jitter picks in [0, delay]. */
    static Duration retryDelay(Retrier r, int attemptsSoFar) {
        double seconds = r.intervalSeconds() * Math.pow(r.backoffRate(), attemptsSoFar);
        if (r.maxDelaySeconds() != null) {
            seconds = Math.min(seconds, r.maxDelaySeconds());
        }
        if (r.fullJitter()) {
            seconds = ThreadLocalRandom.current().nextDouble() * seconds;
        }
        return Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }

    /**
     * The data flow, in the specification's order: InputPath → Parameters → the state's work
     * → ResultSelector → ResultPath → OutputPath. Fields a state type lacks are neutral.
     */
    private Step process(StateNode state, JsonNode raw, Branch branch, Instant entered, int retryCount,
            ResumePlan.At resumed) {
        ObjectNode context = context(state, entered, retryCount);
        JsonNode effective = state.inputPath.select(raw, context);
        if (state.parameters != null) {
            effective = render(state.parameters, effective, context);
        }
        StateNode next = state.next;
        JsonNode result;
        switch (state.work) {
            case PassWork pass -> result = pass.result() != null ? pass.result() : effective;
            case TaskWork task -> result = resumed != null && resumed.taskResult() != null ? resumed.taskResult()
                    : invokeTask(state, task, effective, context, branch, retryCount);
            case ChoiceWork choice -> {
                next = choose(state, choice, effective, context);
                result = effective;
            }
            case WaitWork wait -> {
                waitFor(state, wait, effective, context, branch, entered);
                result = effective;
            }
            case SucceedWork succeed -> result = effective;
            case FailWork fail -> throw fail(state, fail, raw, context, branch);
            case ParallelWork parallel -> result = runParallel(state, parallel, effective, branch, retryCount,
                    progress(resumed));
            case MapWork map -> result = runMap(state, map, effective, context, branch, retryCount, progress(resumed));
        }
        if (state.resultSelector != null) {
            result = render(state.resultSelector, result, context);
        }
        JsonNode output = state.resultPath.place(raw, result);
        output = state.outputPath.select(output, context);
        checkSize(output, "the output of state \"" + state.name + "\"");
        return new Step(next, output);
    }

    private static ResumePlan.Progress progress(ResumePlan.At resumed) {
        return resumed == null ? ResumePlan.Progress.NONE : resumed.progress();
    }

    private ObjectNode context(StateNode state, Instant entered, int retryCount) {
        ObjectNode context = NODES.objectNode();
        context.set("Execution", executionContext);
        ObjectNode st = context.putObject("State");
        st.put("EnteredTime", timestamp(entered));
        st.put("Name", state.name);
        st.put("RetryCount", retryCount);
        context.set("StateMachine", stateMachineContext);
        return context;
    }

    private static JsonNode render(PayloadTemplate template, JsonNode input, JsonNode context) {
        try {
            return template.render(input, context);
        } catch (ExpressionFailure e) {
            throw new StateFailure(e.errorName(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- Choice, Wait, Fail

    private StateNode choose(StateNode state, ChoiceWork choice, JsonNode input, JsonNode context) {
        for (int i = 0; i < choice.rules().size(); i++) {
            ChoiceRule rule = choice.rules().get(i);
            boolean matched;
            try {
                matched = rule.matches(input, context);
            } catch (ExpressionFailure e) {
                throw new StateFailure(e.errorName(), e.getMessage());
            }
            if (matched) {
                return choice.next()[i];
            }
        }
        if (choice.defaultNext()[0] != null) {
            return choice.defaultNext()[0];
        }
        throw new StateFailure(StatesError.NO_CHOICE_MATCHED,
                "No Matches! (state \"" + state.name + "\" has no matching choice and no Default)");
    }

    private void waitFor(StateNode state, WaitWork wait, JsonNode input, JsonNode context, Branch branch,
            Instant entered) {
        Instant now = clock.now();
        Duration duration;
        // Seconds count from entering the state, so a resumed Wait waits only for what remained.
        if (wait.seconds() != null) {
            duration = Duration.between(now, entered.plusSeconds(wait.seconds()));
        } else if (wait.timestamp() != null) {
            duration = Duration.between(now, wait.timestamp());
        } else if (wait.secondsPath() != null) {
            JsonNode v = Selector.read("SecondsPath", wait.secondsPath(), input, context);
            if (!v.isIntegralNumber() || v.asLong() < 0) {
                throw new StateFailure(StatesError.RUNTIME, "The SecondsPath parameter of state \"" + state.name
                        + "\" does not reference a non-negative integer: " + v);
            }
            duration = Duration.between(now, entered.plusSeconds(v.asLong()));
        } else {
            JsonNode v = Selector.read("TimestampPath", wait.timestampPath(), input, context);
            Instant at = DefinitionParser.timestamp(v);
            if (at == null) {
                throw new StateFailure(StatesError.RUNTIME, "The TimestampPath parameter of state \"" + state.name
                        + "\" does not reference a valid ISO-8601 timestamp: " + v);
            }
            duration = Duration.between(now, at);
        }
        if (!duration.isNegative() && !duration.isZero()) {
            sleep(duration, branch);
        }
    }

    private StateFailure fail(StateNode state, FailWork fail, JsonNode raw, JsonNode context, Branch branch) {
        String error = fail.error();
        String cause = fail.cause();
        if (fail.errorPath() != null) {
            error = pathText(fail.errorPath(), raw, context, state, "ErrorPath");
        }
        if (fail.causePath() != null) {
            cause = pathText(fail.causePath(), raw, context, state, "CausePath");
        }
        return new StateFailure(error, cause);
    }

    private static String pathText(PayloadTemplate template, JsonNode raw, JsonNode context, StateNode state,
            String field) {
        JsonNode value;
        try {
            value = render(template, raw, context).get("value");
        } catch (StateFailure f) {
            if (!f.error().equals(StatesError.PARAMETER_PATH_FAILURE.code())) {
                throw f; // an intrinsic function's failure keeps its own error
            }
            // a Fail state has no Parameters: a path that selects nothing is a runtime error of the field itself
            throw new StateFailure(StatesError.RUNTIME, "The " + field + " of state \"" + state.name + "\" could not"
                    + " be resolved: " + f.cause().replace("for the field 'value.$'", "in " + field));
        }
        if (value == null || !value.isTextual()) {
            throw new StateFailure(StatesError.RUNTIME, "The " + field + " of state \"" + state.name
                    + "\" must resolve to a string, got " + value);
        }
        return value.asText();
    }

    // ---------------------------------------------------------------- Task

    private JsonNode invokeTask(StateNode state, TaskWork task, JsonNode effective, JsonNode context, Branch branch,
            int retryCount) {
        if (task.kind() == Resource.UNSUPPORTED) {
            throw new StateFailure(StatesError.RUNTIME, "Resource " + task.resource()
                    + " is not supported by this engine (Lambda function ARNs and arn:aws:states:::lambda:invoke are)");
        }
        boolean invokeApi = task.kind() == Resource.LAMBDA_INVOKE;
        String functionArn;
        JsonNode payload;
        if (invokeApi) {
            JsonNode fn = effective.get("FunctionName");
            if (fn == null || !fn.isTextual()) {
                throw new StateFailure(StatesError.RUNTIME, "State \"" + state.name
                        + "\": Parameters.FunctionName must be a string, got " + fn);
            }
            functionArn = options.functionArn(fn.asText());
            JsonNode qualifier = effective.get("Qualifier");
            if (qualifier != null && qualifier.isTextual()) {
                functionArn = functionArn + ":" + qualifier.asText();
            }
            payload = effective.has("Payload") ? effective.get("Payload") : NODES.objectNode();
        } else {
            functionArn = task.resource();
            payload = effective;
        }
        Integer timeout = task.timeoutSeconds();
        if (task.timeoutSecondsPath() != null) {
            JsonNode v = Selector.read("TimeoutSecondsPath", task.timeoutSecondsPath(), effective, context);
            timeout = positiveSeconds(v, state, "TimeoutSecondsPath");
        }
        Integer heartbeat = task.heartbeatSeconds();
        if (task.heartbeatSecondsPath() != null) {
            JsonNode v = Selector.read("HeartbeatSecondsPath", task.heartbeatSecondsPath(), effective, context);
            heartbeat = positiveSeconds(v, state, "HeartbeatSecondsPath");
        }
        // A Lambda invocation sends no heartbeats, so HeartbeatSeconds bounds it like a timeout.
        Integer limit = timeout;
        boolean heartbeatLimited = heartbeat != null && (timeout == null || heartbeat < timeout);
        if (heartbeatLimited) {
            limit = heartbeat;
        }

        checkSize(payload, "the input of task \"" + state.name + "\"");
        if (recording) {
            emitTaskScheduled(branch, retryCount, invokeApi, functionArn, payload, limit, state);
        }
        JsonNode result;
        try {
            result = mocks != null && mocks.mocks(state.name)
                    ? mocked(state, invokeApi)
                    : invokeLambda(functionArn, payload, limit, heartbeatLimited, invokeApi);
        } catch (StateFailure failure) {
            ExecutionResult aborted = abortedWith.get();
            if (aborted != null) {
                throw new Stopped(aborted); // the abort interrupted the call: the task did not fail
            }
            if (recording) {
                emitTaskFailed(branch, retryCount, invokeApi, failure);
            }
            throw failure;
        }
        if (recording) {
            ObjectNode d = NODES.objectNode();
            ObjectNode details = d.putObject(invokeApi ? "taskSucceededEventDetails" : "lambdaFunctionSucceededEventDetails");
            if (invokeApi) {
                details.put("resourceType", "lambda");
                details.put("resource", "invoke");
            }
            details.put("output", result.toString());
            emit(branch, invokeApi ? HistoryEventType.TaskSucceeded : HistoryEventType.LambdaFunctionSucceeded,
                    retryCount, d);
        }
        return result;
    }

    private static Integer positiveSeconds(JsonNode v, StateNode state, String field) {
        if (!v.isIntegralNumber() || v.asLong() <= 0 || v.asLong() > 99_999_999) {
            throw new StateFailure(StatesError.RUNTIME, "The " + field + " of state \"" + state.name
                    + "\" does not reference a positive integer: " + v);
        }
        return v.asInt();
    }

    private JsonNode mocked(StateNode state, boolean invokeApi) {
        int index = invocationCounts.computeIfAbsent(state.name, k -> new AtomicInteger()).getAndIncrement();
        MockConfig.MockedResponse response = mocks.response(state.name, index);
        if (response.isThrow()) {
            throw new StateFailure(response.error(), response.cause());
        }
        return response.returnValue();
    }

    private JsonNode invokeLambda(String functionArn, JsonNode event, Integer limitSeconds, boolean heartbeatLimited,
            boolean invokeApi) {
        InvocationResult invocation;
        try {
            invocation = limitSeconds == null
                    ? options.invoker().invokeTree(functionArn, event)
                    : clock.callWithTimeout(() -> options.invoker().invokeTree(functionArn, event),
                            Duration.ofSeconds(limitSeconds));
        } catch (TimeoutException e) {
            // A Lambda invocation sends no heartbeats: past HeartbeatSeconds it is a heartbeat timeout.
            throw new StateFailure(heartbeatLimited ? StatesError.HEARTBEAT_TIMEOUT : StatesError.TIMEOUT, "");
        } catch (LambdaServiceException e) {
            throw new StateFailure(e.errorName(), e.getMessage());
        } catch (InterruptedException e) {
            throw new Cancelled();
        } catch (RuntimeException e) {
            throw new StateFailure(StatesError.LAMBDA_SDK_CLIENT_EXCEPTION, String.valueOf(e.getMessage()));
        } catch (Exception e) {
            throw new StateFailure(StatesError.LAMBDA_SERVICE_EXCEPTION, String.valueOf(e.getMessage()));
        }
        if (invocation.failed()) {
            String text = invocation.payloadJson();
            String errorType = StatesError.LAMBDA_UNKNOWN.code();
            try {
                JsonNode error = MAPPER.readTree(text);
                if (error != null && error.path("errorType").isTextual()) {
                    errorType = error.get("errorType").asText();
                }
            } catch (JsonProcessingException e) {
                // not JSON: keep Lambda.Unknown, the text is still the cause
            }
            throw new StateFailure(errorType, text);
        }
        JsonNode payload = invocation.payloadTree();
        if (payload != null) {
            if (estimate(payload, 0) > PAYLOAD_LIMIT_BYTES && serializedSize(payload) > PAYLOAD_LIMIT_BYTES) {
                throw resultTooLarge(functionArn);
            }
        } else {
            String text = invocation.payload() == null ? "null" : invocation.payload();
            if (utf8Length(text) > PAYLOAD_LIMIT_BYTES) {
                throw resultTooLarge(functionArn);
            }
            try {
                payload = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new StateFailure(StatesError.RUNTIME, "The function " + functionArn + " returned invalid JSON: "
                        + e.getOriginalMessage());
            }
        }
        if (!invokeApi) {
            return payload;
        }
        ObjectNode response = NODES.objectNode();
        response.put("ExecutedVersion", invocation.executedVersion() == null ? "$LATEST" : invocation.executedVersion());
        response.set("Payload", payload);
        String requestId = invocation.requestId() == null ? InvocationResult.newRequestId() : invocation.requestId();
        ObjectNode http = response.putObject("SdkHttpMetadata");
        ObjectNode headers = NODES.objectNode();
        headers.put("Connection", "keep-alive");
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", response.get("ExecutedVersion").asText());
        headers.put("x-amzn-RequestId", requestId);
        http.set("AllHttpHeaders", headers.deepCopy());
        http.set("HttpHeaders", headers);
        http.put("HttpStatusCode", 200);
        response.putObject("SdkResponseMetadata").put("RequestId", requestId);
        response.put("StatusCode", 200);
        return response;
    }

    private static StateFailure resultTooLarge(String functionArn) {
        return new StateFailure(StatesError.DATA_LIMIT_EXCEEDED, "The task result of function " + functionArn
                + " is larger than " + PAYLOAD_LIMIT_BYTES + " bytes");
    }

    private void emitTaskScheduled(Branch branch, int retryCount, boolean invokeApi, String functionArn,
            JsonNode payload, Integer limit, StateNode state) {
        ObjectNode d = NODES.objectNode();
        if (invokeApi) {
            ObjectNode details = d.putObject("taskScheduledEventDetails");
            details.put("resourceType", "lambda");
            details.put("resource", "invoke");
            details.put("region", options.region());
            ObjectNode params = NODES.objectNode();
            params.put("FunctionName", functionArn);
            params.set("Payload", payload); // serialised right away: later changes to the payload do not show
            details.put("parameters", params.toString());
            if (limit != null) {
                details.put("timeoutInSeconds", limit);
            }
            emit(branch, HistoryEventType.TaskScheduled, retryCount, d);
            ObjectNode s = NODES.objectNode();
            ObjectNode started = s.putObject("taskStartedEventDetails");
            started.put("resourceType", "lambda");
            started.put("resource", "invoke");
            emit(branch, HistoryEventType.TaskStarted, retryCount, s);
        } else {
            ObjectNode details = d.putObject("lambdaFunctionScheduledEventDetails");
            details.put("resource", functionArn);
            details.put("input", payload.toString());
            if (limit != null) {
                details.put("timeoutInSeconds", limit);
            }
            emit(branch, HistoryEventType.LambdaFunctionScheduled, retryCount, d);
            emit(branch, HistoryEventType.LambdaFunctionStarted, retryCount, NODES.objectNode());
        }
    }

    private void emitTaskFailed(Branch branch, int retryCount, boolean invokeApi, StateFailure failure) {
        boolean timedOut = StatesError.TIMEOUT.code().equals(failure.error())
                || StatesError.HEARTBEAT_TIMEOUT.code().equals(failure.error());
        ObjectNode d = NODES.objectNode();
        HistoryEventType type;
        ObjectNode details;
        if (invokeApi) {
            details = d.putObject(timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails");
            details.put("resourceType", "lambda");
            details.put("resource", "invoke");
            type = timedOut ? HistoryEventType.TaskTimedOut : HistoryEventType.TaskFailed;
        } else {
            details = d.putObject(timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails");
            type = timedOut ? HistoryEventType.LambdaFunctionTimedOut : HistoryEventType.LambdaFunctionFailed;
        }
        errorDetails(details, failure.error(), failure.cause());
        emit(branch, type, retryCount, d);
    }

    // ---------------------------------------------------------------- Parallel and Map

    private JsonNode runParallel(StateNode state, ParallelWork parallel, JsonNode effective, Branch branch,
            int retryCount, ResumePlan.Progress progress) {
        if (!started(progress)) {
            emit(branch, HistoryEventType.ParallelStateStarted, retryCount, NODES.objectNode());
        }
        // Every branch gets the same input: it is never modified, so it is not copied.
        return fanOut(state, branch, retryCount, parallel.branches().size(), 0, (index, child, resume) -> {
            StateGraph graph = parallel.branches().get(index);
            return runBranch(graph, graph.startAt(), effective, child, resume);
        }, null, HistoryEventType.ParallelStateFailed, progress == ResumePlan.Progress.SUCCEEDED ? null
                : HistoryEventType.ParallelStateSucceeded);
    }

    /** The Started event of a Parallel or Map visit is journaled already. */
    private static boolean started(ResumePlan.Progress progress) {
        return progress == ResumePlan.Progress.STARTED || progress == ResumePlan.Progress.SUCCEEDED;
    }

    private JsonNode runMap(StateNode state, MapWork map, JsonNode effective, JsonNode context, Branch branch,
            int retryCount, ResumePlan.Progress progress) {
        JsonNode items = map.itemsPath() == null ? effective
                : Selector.read("ItemsPath", map.itemsPath(), effective, context);
        if (!items.isArray()) {
            throw new StateFailure(StatesError.RUNTIME, "Map state \"" + state.name
                    + "\": ItemsPath must select an array, got " + items.getNodeType());
        }
        int maxConcurrency = map.maxConcurrency();
        if (map.maxConcurrencyPath() != null) {
            JsonNode v = Selector.read("MaxConcurrencyPath", map.maxConcurrencyPath(), effective, context);
            if (!v.isIntegralNumber() || v.asInt() < 0) {
                throw new StateFailure(StatesError.RUNTIME, "MaxConcurrencyPath of state \"" + state.name
                        + "\" must reference a non-negative integer, got " + v);
            }
            maxConcurrency = v.asInt();
        }
        int n = items.size();
        if (recording && !started(progress)) {
            ObjectNode d = NODES.objectNode();
            d.putObject("mapStateStartedEventDetails").put("length", n);
            emit(branch, HistoryEventType.MapStateStarted, retryCount, d);
        }
        StateGraph processor = map.processor();
        Child iteration = (index, child, resume) -> {
            boolean running = false;
            try {
                checkActive(child);
                // After a crash an iteration the plan names has begun: its MapIterationStarted is journaled.
                boolean begun = resume instanceof ResumePlan.Begun || resume instanceof ResumePlan.Failed
                        || resume instanceof ResumePlan.Completed || resume instanceof ResumePlan.At && !plan.redriven(child.path);
                if (!begun) {
                    iterationEvent(child, HistoryEventType.MapIterationStarted, state, index, null);
                }
                running = true;
                JsonNode item = items.get(index);
                JsonNode itemInput = item;
                if (map.itemSelector() != null) {
                    ObjectNode itemContext = NODES.objectNode();
                    itemContext.setAll((ObjectNode) context); // shallow: the parts are never modified
                    ObjectNode mapItem = itemContext.putObject("Map").putObject("Item");
                    mapItem.put("Index", index);
                    mapItem.set("Value", item);
                    mapItem.put("Source", "STATE_DATA"); // items from the state input (no ItemReader here)
                    itemInput = render(map.itemSelector(), effective, itemContext);
                }
                JsonNode output = runBranch(processor, processor.startAt(), itemInput, child, resume);
                iterationEvent(child, HistoryEventType.MapIterationSucceeded, state, index, null);
                return output;
            } catch (StateFailure e) {
                if (!(resume instanceof ResumePlan.Failed)) { // a journaled failure is not recorded twice
                    iterationEvent(child, HistoryEventType.MapIterationFailed, state, index, failureJson(e));
                }
                throw e; // an Inline Map fails with its first failed iteration
            } catch (Cancelled e) {
                iterationEvent(child, HistoryEventType.MapIterationAborted, state, index, null);
                throw e;
            } catch (Stopped e) {
                if (running && stoppedByStopExecution(e)) {
                    iterationEvent(child, HistoryEventType.MapIterationAborted, state, index, null);
                }
                throw e;
            }
        };
        IntConsumer neverStarted = index -> iterationEvent(new Branch(branch, childPath(branch, state, index)),
                HistoryEventType.MapIterationAborted, state, index, null);
        return fanOut(state, branch, retryCount, n, maxConcurrency, iteration, neverStarted,
                HistoryEventType.MapStateFailed,
                progress == ResumePlan.Progress.SUCCEEDED ? null : HistoryEventType.MapStateSucceeded);
    }

    /** The work of one Parallel branch or Map iteration: its output, or StateFailure / Stopped / Cancelled. */
    @FunctionalInterface
    private interface Child {
        JsonNode run(int index, Branch child, ResumePlan.Resume resume);
    }

    private static String childPath(Branch branch, StateNode state, int index) {
        return branch.path + state.name + "/" + index + "/";
    }

    /**
     * Runs the {@code n} branches or iterations of a Parallel or Map state through a {@link FanOut}
     * and collects their outputs in order. The first failure (or abort) cancels the others and
     * fails the state; a branch or iteration finished before a crash or redrive is not run again.
     *
     * @param neverStarted called for each child that never started because the state failed (Map
     *                     reports them as aborted iterations); null for none
     * @param succeededEvent null when it is journaled already (a crash after it)
     */
    private ArrayNode fanOut(StateNode state, Branch branch, int retryCount, int n, int maxConcurrency, Child work,
            IntConsumer neverStarted, HistoryEventType failedEvent, HistoryEventType succeededEvent) {
        JsonNode[] outputs = new JsonNode[n];
        Branch group = new Branch(branch, branch.path + state.name);
        ResumePlan.Resume[] resumes = null;
        int[] pending = null; // the children to run, when a plan says some are finished; null = all
        if (plan != null) {
            resumes = new ResumePlan.Resume[n];
            int[] todo = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                ResumePlan.Resume resume = plan.take(childPath(branch, state, i));
                if (resume instanceof ResumePlan.Completed done && done.endJournaled()) {
                    outputs[i] = done.output(); // finished before the crash / redrive: not run again
                } else {
                    resumes[i] = resume;
                    todo[count++] = i;
                }
            }
            pending = Arrays.copyOf(todo, count);
        }
        int jobs = pending == null ? n : pending.length;
        int[] indexes = pending;
        ResumePlan.Resume[] plans = resumes;
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        FanOut fan = new FanOut(jobs, maxConcurrency, threads);
        fan.run(job -> {
            int index = indexes == null ? job : indexes[job];
            Branch child = new Branch(group, childPath(branch, state, index));
            try {
                outputs[index] = work.run(index, child, plans == null ? null : plans[index]);
            } catch (StateFailure | Stopped e) {
                if (firstFailure.compareAndSet(null, e)) {
                    group.cancelled = true;
                    fan.stop(); // the siblings stop now, even mid-Wait or mid-invocation
                }
            } catch (Cancelled e) {
                fan.stop(); // cancelled by a sibling's failure or from above: start no more children
            }
        });
        RuntimeException failure = firstFailure.get();
        if (fan.stopped() && !(failure instanceof Stopped) && abortedWith.get() == null) {
            if (failure == null) {
                branch.cancelled = true; // interrupted by someone other than stop(): this branch cannot go on
            }
            if (neverStarted != null) {
                for (int job = fan.started(); job < jobs; job++) {
                    int index = indexes == null ? job : indexes[job];
                    if (plans == null || !(plans[index] instanceof ResumePlan.Aborted)) { // not reported twice
                        neverStarted.accept(index);
                    }
                }
            }
        }
        if (failure != null) {
            // stopped by StopExecution: the state records its Aborted event instead (see runState)
            if (!(failure instanceof Stopped stopped && stoppedByStopExecution(stopped))) {
                emit(branch, failedEvent, retryCount, NODES.objectNode(),
                        failure instanceof StateFailure f ? failureJson(f) : null);
            }
            throw failure;
        }
        checkActive(branch);
        if (succeededEvent != null) {
            emit(branch, succeededEvent, retryCount, NODES.objectNode());
        }
        ArrayNode result = NODES.arrayNode(n);
        for (JsonNode output : outputs) {
            result.add(output);
        }
        return result;
    }

    /** A failure as journaled with a MapIterationFailed, ParallelStateFailed or MapStateFailed event. */
    private static ObjectNode failureJson(StateFailure failure) {
        return NODES.objectNode().put("error", failure.error()).put("cause", failure.cause());
    }

    private void iterationEvent(Branch child, HistoryEventType type, StateNode state, int index,
            ObjectNode failure) {
        if (recording) {
            ObjectNode d = NODES.objectNode();
            String key = Character.toLowerCase(type.name().charAt(0)) + type.name().substring(1) + "EventDetails";
            ObjectNode details = d.putObject(key);
            details.put("name", state.name);
            details.put("index", index);
            emit(child, type, 0, d, failure);
        }
    }

    // ---------------------------------------------------------------- events and limits

    private void emit(Branch branch, HistoryEventType type, int retryCount, ObjectNode details) {
        emit(branch, type, retryCount, details, null);
    }

    private void emit(Branch branch, HistoryEventType type, int retryCount, ObjectNode details, ObjectNode failure) {
        if (!recording) {
            return;
        }
        long id = nextEventId(type);
        long previous = branch.lastEventId;
        if (previous == 0 && branch.parent != null) {
            previous = lastEventOf(branch.parent);
        }
        branch.lastEventId = id;
        listener.onEvent(new HistoryEvent(id, previous, clock.now(), type, branch.path, retryCount, details, failure));
    }

    /**
     * The next event's id. The history's last place is kept for the execution's end: an event that would take it
     * fails the execution (States.Runtime) instead, stopping its work, as AWS does at 25,000 events.
     */
    private long nextEventId(HistoryEventType type) {
        boolean end = type == HistoryEventType.ExecutionSucceeded || type == HistoryEventType.ExecutionFailed
                || type == HistoryEventType.ExecutionTimedOut || type == HistoryEventType.ExecutionAborted;
        int max = options.maxHistoryEvents();
        while (true) {
            long last = eventIds.get();
            if (!end && last + 1 >= max) {
                ExecutionResult limit = ExecutionResult.ended(ExecutionStatus.FAILED, StatesError.RUNTIME.code(),
                        "The execution reached the maximum number of history events (" + max + ").");
                if (abortedWith.compareAndSet(null, limit)) {
                    Thread self = Thread.currentThread();
                    threads.forEach(t -> {
                        if (t != self) {
                            t.interrupt();
                        }
                    });
                }
                throw new Stopped(abortedWith.get());
            }
            if (eventIds.compareAndSet(last, last + 1)) {
                return last + 1;
            }
        }
    }

    private static long lastEventOf(Branch branch) {
        for (Branch b = branch; b != null; b = b.parent) {
            if (b.lastEventId != 0) {
                return b.lastEventId;
            }
        }
        return 0;
    }

    private static void errorDetails(ObjectNode details, String error, String cause) {
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
    }

    private static HistoryEventType entered(StateNode.Type type) {
        return switch (type) {
            case Task -> HistoryEventType.TaskStateEntered;
            case Pass -> HistoryEventType.PassStateEntered;
            case Choice -> HistoryEventType.ChoiceStateEntered;
            case Wait -> HistoryEventType.WaitStateEntered;
            case Succeed -> HistoryEventType.SucceedStateEntered;
            case Fail -> HistoryEventType.FailStateEntered;
            case Parallel -> HistoryEventType.ParallelStateEntered;
            case Map -> HistoryEventType.MapStateEntered;
        };
    }

    private static HistoryEventType exited(StateNode.Type type) {
        return switch (type) {
            case Task -> HistoryEventType.TaskStateExited;
            case Pass -> HistoryEventType.PassStateExited;
            case Choice -> HistoryEventType.ChoiceStateExited;
            case Wait -> HistoryEventType.WaitStateExited;
            case Succeed -> HistoryEventType.SucceedStateExited;
            case Fail -> throw new IllegalStateException("a Fail state does not exit");
            case Parallel -> HistoryEventType.ParallelStateExited;
            case Map -> HistoryEventType.MapStateExited;
        };
    }

    /** States.DataLimitExceeded when the JSON is over 256 KiB in UTF-8. */
    private static void checkSize(JsonNode node, String what) {
        if (estimate(node, 0) <= PAYLOAD_LIMIT_BYTES) {
            return; // cheap upper bound: no need to serialise
        }
        long size = serializedSize(node);
        if (size > PAYLOAD_LIMIT_BYTES) {
            throw new StateFailure(StatesError.DATA_LIMIT_EXCEEDED, "The state/task returned a result with a size "
                    + "exceeding the maximum number of bytes service limit (" + what + " is " + size
                    + " bytes, limit " + PAYLOAD_LIMIT_BYTES + ")");
        }
    }

    private static long serializedSize(JsonNode node) {
        ByteCounter counter = new ByteCounter();
        try {
            MAPPER.writeValue(counter, node);
        } catch (IOException e) {
            throw new StateFailure(StatesError.RUNTIME, "cannot serialise a payload: " + e.getMessage());
        }
        return counter.count;
    }

    /** An upper bound of the UTF-8 JSON size, stopping early once over the limit. */
    private static long estimate(JsonNode node, long sofar) {
        if (sofar > PAYLOAD_LIMIT_BYTES) {
            return sofar;
        }
        if (node.isTextual()) {
            return sofar + node.textValue().length() * 6L + 2;
        }
        if (node.isObject()) {
            long total = sofar + 2;
            for (var it = node.fields(); it.hasNext() && total <= PAYLOAD_LIMIT_BYTES; ) {
                var e = it.next();
                total = estimate(e.getValue(), total + e.getKey().length() * 6L + 4);
            }
            return total;
        }
        if (node.isArray()) {
            long total = sofar + 2;
            for (int i = 0; i < node.size() && total <= PAYLOAD_LIMIT_BYTES; i++) {
                total = estimate(node.get(i), total + 1);
            }
            return total;
        }
        return sofar + 40;
    }

    private static int utf8Length(String text) {
        if (text.length() * 3L <= PAYLOAD_LIMIT_BYTES) {
            return text.length();
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static final class ByteCounter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /**
     * A context object timestamp as Step Functions writes it: ISO 8601 in UTC to the millisecond, without the fraction
     * when it is zero ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T00:00:00.120Z}).
     */
    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
