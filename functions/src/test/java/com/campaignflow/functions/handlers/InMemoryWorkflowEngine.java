package com.campaignflow.functions.handlers;

import com.campaignflow.functions.ports.WorkflowEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WorkflowEngine} that runs nothing: it records state machines, starts and redrives, and lets a test set
 * an execution's status. Same-name-same-input starts are the same execution, as in Step Functions.
 */
final class InMemoryWorkflowEngine implements WorkflowEngine {

    record Start(String stateMachineArn, String name, String input) {
    }

    private static final String PREFIX = "arn:aws:states:us-east-1:000000000000:";

    private final Clock clock;
    private final Map<String, String> definitions = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final List<Start> starts = new ArrayList<>();
    private final List<String> redrives = new ArrayList<>();
    private boolean refuseRedrive;
    private boolean unreachable;
    private boolean refuseStarts;
    private boolean loseStartAnswers;
    private volatile Runnable beforeStart = () -> { };
    private volatile CountDownLatch describeGate;
    private volatile boolean describeGateTimedOut;
    private volatile Runnable beforeDescribe = () -> { };

    InMemoryWorkflowEngine(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized String ensureStateMachine(String name, String definitionJson) {
        String existing = definitions.putIfAbsent(name, definitionJson);
        if (existing != null && !existing.equals(definitionJson)) {
            throw new IllegalStateException("state machine " + name + " exists with a different definition");
        }
        return PREFIX + "stateMachine:" + name;
    }

    @Override
    public String startExecution(String stateMachineArn, String name, String inputJson) {
        beforeStart.run();
        String arn = start(stateMachineArn, name, inputJson);
        synchronized (this) {
            if (loseStartAnswers) {
                throw new IllegalStateException("StartExecution timed out (test: the execution started)");
            }
        }
        return arn;
    }

    private synchronized String start(String stateMachineArn, String name, String inputJson) {
        if (refuseStarts) {
            throw new IllegalStateException("StartExecution throttled (test)");
        }
        String machine = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        String arn = PREFIX + "execution:" + machine + ":" + name;
        Execution existing = executions.get(arn);
        if (existing != null) {
            if (!existing.input().equals(inputJson)) {
                throw new IllegalStateException("execution " + name + " already exists with a different input");
            }
            return arn;
        }
        starts.add(new Start(stateMachineArn, name, inputJson));
        executions.put(arn, new Execution(arn, name, Status.RUNNING, inputJson, null, null, null, clock.instant(),
                null, 0));
        return arn;
    }

    @Override
    public Optional<Execution> describeExecution(String executionArn) {
        Runnable before = beforeDescribe;
        beforeDescribe = () -> { };
        before.run();
        Optional<Execution> described;
        synchronized (this) {
            if (unreachable) {
                throw new IllegalStateException("Step Functions endpoint unreachable (test)");
            }
            described = Optional.ofNullable(executions.get(executionArn));
        }
        CountDownLatch gate = describeGate;
        if (gate != null) {
            gate.countDown();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    describeGateTimedOut = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return described;
    }

    /** Runs {@code action} at the start of the next describeExecution call (what happens meanwhile elsewhere). */
    void beforeNextDescribe(Runnable action) {
        beforeDescribe = action;
    }

    /**
     * The next {@code callers} describeExecution calls wait for each other, so that they all see the execution as it
     * is now: concurrent requests that all passed their check before any of them acted on it.
     */
    void holdDescribesUntil(int callers) {
        describeGate = new CountDownLatch(callers);
        describeGateTimedOut = false;
    }

    /** True when a call held by {@link #holdDescribesUntil} gave up waiting for the others (10 s). */
    boolean describeGateTimedOut() {
        return describeGateTimedOut;
    }

    @Override
    public synchronized void redriveExecution(String executionArn) {
        Execution e = executions.get(executionArn);
        if (e == null || refuseRedrive) {
            throw new IllegalStateException("execution " + executionArn + " cannot be redriven");
        }
        redrives.add(executionArn);
        executions.put(executionArn, new Execution(e.executionArn(), e.name(), Status.RUNNING, e.input(), null, null,
                null, e.startDate(), null, e.redriveCount() + 1));
    }

    @Override
    public synchronized void stopExecution(String executionArn, String error, String cause) {
        finish(executionArn, Status.ABORTED, error, cause);
    }

    /** Ends an execution with the given status (stop date = now). */
    synchronized void finish(String executionArn, Status status, String error, String cause) {
        finish(executionArn, status, "{}", error, cause);
    }

    /** Ends an execution with the given status and output (stop date = now). */
    synchronized void finish(String executionArn, Status status, String output, String error, String cause) {
        Execution e = executions.get(executionArn);
        executions.put(executionArn, new Execution(e.executionArn(), e.name(), status, e.input(), output, error, cause,
                e.startDate(), clock.instant(), e.redriveCount()));
    }

    synchronized List<Start> starts() {
        return List.copyOf(starts);
    }

    synchronized List<String> redrives() {
        return List.copyOf(redrives);
    }

    synchronized Map<String, String> stateMachines() {
        return Map.copyOf(definitions);
    }

    /** From now on describeExecution fails as an unreachable endpoint would. */
    synchronized void becomeUnreachable() {
        this.unreachable = true;
    }

    /** From now on StartExecution fails (and starts nothing). */
    synchronized void refuseStarts() {
        this.refuseStarts = true;
    }

    /** StartExecution works again after {@link #refuseStarts}. */
    synchronized void allowStarts() {
        this.refuseStarts = false;
    }

    /** From now on StartExecution starts the execution, then fails as a call whose answer was lost. */
    synchronized void loseStartAnswers() {
        this.loseStartAnswers = true;
    }

    /** Runs at every StartExecution call, before the execution starts. */
    void beforeStart(Runnable hook) {
        this.beforeStart = hook;
    }

    synchronized void refuseRedrive() {
        this.refuseRedrive = true;
    }
}
