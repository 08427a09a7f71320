package com.campaignflow.functions.runtime;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentInput;
import com.campaignflow.functions.agents.AgentOutput;
import com.campaignflow.functions.campaigns.CampaignNotFoundException;
import com.campaignflow.functions.campaigns.CampaignRecord;
import com.campaignflow.functions.campaigns.CampaignRepository;
import com.campaignflow.functions.campaigns.PlanSummaries;
import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointNotFoundException;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.CorruptCheckpointException;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.checkpoints.StepAlreadyCheckpointedException;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.faults.FaultInjector;
import com.campaignflow.functions.faults.Sleeper;
import com.campaignflow.functions.health.AgentProbe;
import com.campaignflow.functions.health.DegradationEvent;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.functions.monitoring.PerformanceRepository;
import com.campaignflow.functions.orchestration.ResumeAction;
import com.campaignflow.functions.ports.ProgressPublisher;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.progress.ProgressLog;
import com.campaignflow.statemachine.plan.PlanStep;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs one agent step of a workflow: the domain behind every agent Lambda handler.
 * <ol>
 * <li>validates the event; a step this execution already completed returns the same result (at-least-once
 *     delivery: Lambda and Step Functions retries), first making the records its first run died before;</li>
 * <li>fails fast when the agent's circuit is open, applies injected faults;</li>
 * <li>loads the campaign request and the earlier outputs from the checkpoints referenced in {@code results};</li>
 * <li>runs the agent, writes an automatic checkpoint, records health and performance, publishes progress, and
 *     returns a small {@link AgentResult};</li>
 * <li>on a fallback run, records the primary's failure (unless its own run already did) and a degradation event;</li>
 * <li>when the agent fails, records it, writes an error_recovery checkpoint, publishes progress and rethrows so
 *     the workflow's Catch routes to the fallback.</li>
 * </ol>
 */
public final class AgentRuntime {

    private static final System.Logger LOG = System.getLogger(AgentRuntime.class.getName());
    private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,80}");
    private static final Pattern STEP_ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** The sequential default plan (planner, researcher, writer, editor, seo, distribution) when no plan summary is stored. */
    static final int DEFAULT_PLAN_STEPS = 6;
    /**
     * How long a step waits for another step's probe of its agent's half-open circuit before giving up (and going to
     * its fallback): a probe is one agent run, seconds for the rule-based agents.
     */
    static final Duration PROBE_WAIT = Duration.ofSeconds(20);
    static final String CHECKPOINT_STORE = HealthService.CHECKPOINT_STORE;
    /** The most a step keeps of its function's time to record an agent that ran out of it (see {@link #reserveFor}). */
    static final Duration TIMEOUT_RESERVE = Duration.ofSeconds(3);

    private final Map<String, Agent> agents;
    private final CheckpointManager checkpoints;
    private final CampaignRepository campaigns;
    private final HealthService health;
    private final PerformanceRepository performance;
    private final FaultInjector faults;
    private final ProgressPublisher publisher;
    private final ProgressLog progressLog;
    private final Clock clock;
    private final Sleeper sleeper;

    public AgentRuntime(Map<String, Agent> agents, CheckpointManager checkpoints, CampaignRepository campaigns,
                        HealthService health, PerformanceRepository performance, FaultInjector faults,
                        ProgressPublisher publisher, ProgressLog progressLog, Clock clock) {
        this(agents, checkpoints, campaigns, health, performance, faults, publisher, progressLog, clock, Sleeper.REAL);
    }

    /** @param sleeper waits while another step probes a half-open circuit of the agent (see {@link #PROBE_WAIT}) */
    public AgentRuntime(Map<String, Agent> agents, CheckpointManager checkpoints, CampaignRepository campaigns,
                        HealthService health, PerformanceRepository performance, FaultInjector faults,
                        ProgressPublisher publisher, ProgressLog progressLog, Clock clock, Sleeper sleeper) {
        this.sleeper = sleeper;
        this.agents = Map.copyOf(agents);
        this.checkpoints = checkpoints;
        this.campaigns = campaigns;
        this.health = health;
        this.performance = performance;
        this.faults = faults;
        this.publisher = publisher;
        this.progressLog = progressLog;
        this.clock = clock;
    }

    public AgentResult handle(AgentTask task) {
        return handle(task, null);
    }

    /**
     * @param timeLeft how long the function may still run (Lambda's remaining time), or null for no limit. The agent
     *                 gets what is left of it after the steps before its run, less {@link #reserveFor} it: an agent
     *                 still running then fails with {@link AgentTimeoutException}, recorded as any failure.
     */
    public AgentResult handle(AgentTask task, Duration timeLeft) {
        long deadline = timeLeft == null ? 0 : System.nanoTime() + timeLeft.minus(reserveFor(timeLeft)).toNanos();
        Agent agent = validate(task);
        var done = fromCheckpointStore(() ->
                checkpoints.findByExecutionAndStep(task.workflowId(), task.executionId(), task.stepId()));
        if (done.isPresent()) {
            CheckpointEntry e = done.get();
            LOG.log(System.Logger.Level.INFO, "step {0} of {1} already completed in {2}: returning its result",
                    task.stepId(), task.executionId(), e.checkpointId());
            recordIfUnrecorded(task, e);
            return new AgentResult(task.stepId(), e.agentName(), "completed", e.checkpointId(), e.qualityScore(),
                    AgentResult.shorten(e.summary()));
        }
        CampaignRecord campaign = campaigns.get(task.campaignId())
                .orElseThrow(() -> new CampaignNotFoundException(task.campaignId()));
        CampaignRequest request = request(campaign);
        PreviousState previous = fromCheckpointStore(() -> PreviousState.load(checkpoints, task.results()));
        if (task.isFallback()) {
            campaign = recordReplacement(task, campaign);
        }
        if (!health.awaitAvailable(task.agent(), PROBE_WAIT, sleeper)) {
            String circuit = health.probeInFlight(task.agent())
                    ? "circuit of " + task.agent() + " is half-open and another step's run is probing it"
                    : "circuit of " + task.agent() + " is open until " + health.get(task.agent()).recoveryTime();
            CircuitOpenException open = new CircuitOpenException(circuit + "; not running step " + task.stepId());
            // recorded as a failed step (checkpoint, performance, progress) but not against the agent: it did not run
            onAgentFailure(task, campaign, previous, open, 0, false);
            throw open;
        }

        long started = clock.millis();
        AgentOutput output;
        try {
            AgentInput input = new AgentInput(request, task.stepId(), parameters(task, request), previous.outputsForAgent());
            output = timeLeft == null ? run(agent, task, input) : runUntil(deadline, timeLeft, agent, task, input);
            if (output == null || output.data() == null) {
                throw new IllegalStateException("agent " + task.agent() + " returned no output");
            }
        } catch (RuntimeException e) {
            onAgentFailure(task, campaign, previous, e, clock.millis() - started, true);
            throw e;
        }
        long elapsed = clock.millis() - started;
        return onAgentSuccess(task, campaign, previous, output, elapsed);
    }

    /** The injected faults, then the agent. */
    private AgentOutput run(Agent agent, AgentTask task, AgentInput input) {
        faults.beforeRun(task.agent(), task.workflowId(), task.stepId());
        return agent.run(input);
    }

    /**
     * Runs the agent on a thread of its own and waits for it until {@code deadline} (System.nanoTime); past it the
     * agent is interrupted and left behind, and the step fails with {@link AgentTimeoutException}.
     */
    private AgentOutput runUntil(long deadline, Duration timeLeft, Agent agent, AgentTask task, AgentInput input) {
        FutureTask<AgentOutput> run = new FutureTask<>(FunctionEnvironment.inheritedBy(() -> run(agent, task, input)));
        Thread runner = Thread.ofVirtual().name("agent-" + task.stepId()).start(run);
        try {
            return run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            runner.interrupt();
            // the step's own work before the agent (reading its inputs, a probe lease) came out of the same time
            throw new AgentTimeoutException(task.agent() + " did not finish step " + task.stepId() + " in time: stopped "
                    + seconds(reserveFor(timeLeft)) + " s before its function's timeout (" + seconds(timeLeft)
                    + " s left when the step began) so that its failure is recorded");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            throw new AgentTimeoutException(task.agent() + " was interrupted while running step " + task.stepId());
        }
    }

    /**
     * What the step keeps of its function's time for recording a timed-out agent's failure: a few table writes and
     * a checkpoint, up to 3 s, a quarter of a short time limit.
     */
    static Duration reserveFor(Duration timeLeft) {
        Duration quarter = timeLeft.dividedBy(4);
        return quarter.compareTo(TIMEOUT_RESERVE) < 0 ? quarter : TIMEOUT_RESERVE;
    }

    /** Seconds to one decimal. */
    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }

    /**
     * A read of the checkpoint store. When the store itself fails (not a checkpoint missing or corrupt), the failure
     * counts against its circuit, as a failed checkpoint write does: an outage shows first in these reads, and
     * campaigns would otherwise be admitted to fail at their first step until the health check noticed.
     */
    private <T> T fromCheckpointStore(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (CheckpointNotFoundException | CorruptCheckpointException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            recordQuietly(() -> health.recordFailure(CHECKPOINT_STORE, e.getClass().getSimpleName() + ": " + e.getMessage()));
            throw e;
        }
    }

    /**
     * Runs the agent on the health check's probe campaign ({@link AgentProbe}), meeting the injected faults: no
     * checkpoint, no records, the output data is the answer.
     */
    public JsonNode probe(String agentName, Map<String, JsonNode> earlierOutputs) {
        Agent agent = agents.get(agentName);
        if (agent == null) {
            throw new InvalidAgentTaskException("no agent named '" + agentName + "' in this function");
        }
        return AgentProbe.run(agent, faults, earlierOutputs);
    }

    private AgentResult onAgentSuccess(AgentTask task, CampaignRecord campaign, PreviousState previous,
                                       AgentOutput output, long elapsedMillis) {
        Set<String> completed = new LinkedHashSet<>(previous.completed());
        completed.add(task.stepId());
        List<String> failed = new ArrayList<>(previous.failed());
        if (task.isFallback() && !failed.contains(task.stepId())) {
            failed.add(task.stepId());
        }
        // a new top level over the earlier outputs: only the top level changes, and the checkpoint manager copies
        // what it keeps
        ObjectNode data = previous.intermediateData().objectNode().setAll(previous.intermediateData());
        data.set(task.stepId(), output.data());
        Set<String> settled = previous.settledSteps();
        settled.add(task.stepId());
        int progress = progress(campaign, countedForProgress(campaign, settled, task.stepId()));
        String summary = AgentResult.shorten(output.summary() == null || output.summary().isBlank()
                ? task.agent() + " completed step " + task.stepId() : output.summary());
        double quality = clampQuality(output.qualityScore());

        CheckpointEntry checkpoint;
        try {
            checkpoint = checkpoints.create(new NewCheckpoint(task.workflowId(), task.campaignId(), task.executionId(),
                    task.stepId(), task.agent(), "agent_" + task.stepId() + "_completed", CheckpointType.AUTOMATIC,
                    progress >= 100 ? CheckpointStatus.COMPLETED : CheckpointStatus.ACTIVE,
                    new StateData(List.copyOf(completed), failed, data, progress, previous.includedCheckpoints()),
                    "Continue from " + task.stepId() + " output: " + remainingSteps(campaign, settled, task.stepId()),
                    resumeActions(campaign, settled, task.stepId()), quality, summary, elapsedMillis));
        } catch (StepAlreadyCheckpointedException e) {
            // another invocation of this step ran at the same time and checkpointed first: its result is the step's,
            // and that run makes the records
            CheckpointEntry first = e.existing();
            LOG.log(System.Logger.Level.INFO, "step {0} of {1} was checkpointed first by another invocation in {2}:"
                    + " returning its result", task.stepId(), task.executionId(), first.checkpointId());
            return new AgentResult(task.stepId(), first.agentName(), "completed", first.checkpointId(),
                    first.qualityScore(), AgentResult.shorten(first.summary()));
        } catch (RuntimeException e) {
            health.recordFailure(CHECKPOINT_STORE, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
        if (!task.isFallback() && campaign.limitations().stream().anyMatch(l -> l.startsWith(task.stepId() + ": "))) {
            // the step was replaced or skipped before and has now run for real
            recordQuietly(() -> campaigns.undoDegradation(task.campaignId(), task.stepId()));
        }
        recordCompletedRun(task, checkpoint, progress, elapsedMillis);
        return new AgentResult(task.stepId(), task.agent(), "completed", checkpoint.checkpointId(), quality, summary);
    }

    /**
     * What a successful run records after its checkpoint: health, its performance record, then progress (last: a
     * dashboard refreshing on the message finds the run's record).
     */
    private void recordCompletedRun(AgentTask task, CheckpointEntry checkpoint, int progress, long elapsedMillis) {
        recordQuietly(() -> health.recordSuccess(CHECKPOINT_STORE));
        recordQuietly(() -> health.recordSuccess(task.agent()));
        recordQuietly(() -> performance.record(task.campaignId(), new AgentPerformance(task.executionId(), task.agent(),
                task.stepId(), elapsedMillis, true, checkpoint.checkpointId(), checkpoint.qualityScore(),
                checkpoint.sizeBytes(), clock.instant())));
        publish(task, progress, true, (task.isFallback() ? task.agent() + " (replacing " + task.replaces() + ")" : task.agent())
                + " completed " + task.stepId() + ": " + checkpoint.summary());
    }

    /**
     * A re-invoked step that is already checkpointed makes the records its first run did not get to: that run died
     * between its checkpoint and its performance record (process killed, Lambda timeout), and its retry is this call.
     * The duration comes from the checkpoint. (A run that died between its performance record and its progress
     * message loses only the message: the next step's message and the final result carry the progress on.)
     */
    private void recordIfUnrecorded(AgentTask task, CheckpointEntry done) {
        try {
            boolean recorded = performance.forCampaign(task.campaignId()).stream()
                    .anyMatch(p -> done.checkpointId().equals(p.checkpointId()));
            if (!recorded) {
                Checkpoint checkpoint = checkpoints.read(done.checkpointId());
                LOG.log(System.Logger.Level.INFO, "step {0} of {1}: recording the run that wrote {2}",
                        task.stepId(), task.executionId(), done.checkpointId());
                recordCompletedRun(task, done, checkpoint.stateData().currentProgress(), checkpoint.durationMillis());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not complete the records of " + done.checkpointId(), e);
        }
    }

    /**
     * Records a failed step: error_recovery checkpoint, performance record, degradation, progress; and, when
     * {@code agentRan} (not refused by its open circuit), a failure against the agent's health.
     */
    private void onAgentFailure(AgentTask task, CampaignRecord campaign, PreviousState previous, RuntimeException e,
                                long elapsedMillis, boolean agentRan) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (agentRan) {
            recordQuietly(() -> health.recordFailure(task.agent(), reason));
        }
        List<String> failed = new ArrayList<>(previous.failed());
        if (!failed.contains(task.stepId())) {
            failed.add(task.stepId());
        }
        // The state before the step: a retried step that failed again is not completed, and its earlier output is gone
        // from the campaign's content (a resume from here runs it again, as after its first failure).
        List<String> completed = previous.completed().stream().filter(step -> !step.equals(task.stepId())).toList();
        ObjectNode data = previous.intermediateData().objectNode().setAll(previous.intermediateData());
        data.remove(task.stepId());
        Set<String> doneBefore = previous.settledSteps();
        doneBefore.remove(task.stepId());
        // a step the workflow goes on without counts as done: a campaign that skips its last optional step ends at 100 %
        int progress = progress(campaign, countedForProgress(campaign, doneBefore, task.stepId())
                + (skipsTheStep(task, campaign) ? 1 : 0));
        String checkpointId = null;
        long size = 0;
        List<String> actions = resumeActions(campaign, doneBefore, task.stepId());
        Set<String> afterIt = new LinkedHashSet<>(doneBefore);
        afterIt.add(task.stepId());
        try {
            CheckpointEntry recovery = checkpoints.create(new NewCheckpoint(task.workflowId(), task.campaignId(),
                    task.executionId(), task.stepId(), task.agent(), "agent_" + task.stepId() + "_failed",
                    CheckpointType.ERROR_RECOVERY, CheckpointStatus.FAILED,
                    new StateData(completed, failed, data, progress, previous.includedCheckpoints()),
                    "Retry " + task.stepId() + " (" + task.agent() + " failed: " + AgentResult.shorten(reason) + ")"
                            + (actions.contains(ResumeAction.SKIP.wireName()) ? " or skip it" : "") + "; after it: "
                            + remainingSteps(campaign, afterIt, task.stepId()),
                    actions, 0, AgentResult.shorten(reason), elapsedMillis));
            checkpointId = recovery.checkpointId();
            size = recovery.sizeBytes();
        } catch (RuntimeException checkpointFailure) {
            e.addSuppressed(checkpointFailure);
        }
        String recoveryId = checkpointId;
        long recoverySize = size;
        recordQuietly(() -> performance.record(task.campaignId(), new AgentPerformance(task.executionId(), task.agent(),
                task.stepId(), elapsedMillis, false, recoveryId, 0, recoverySize, clock.instant())));
        recordIfSkipped(task, campaign, reason);
        publish(task, progress, recoveryId != null, task.agent() + " failed at " + task.stepId() + ": "
                + AgentResult.shorten(reason));
    }

    /**
     * When the plan's Catch goes on without this failed step, the user is told, as for a replacement. A fallback that
     * failed did not replace anything: the limitation its start recorded ("was replaced by ...") is revised to say so.
     */
    private void recordIfSkipped(AgentTask task, CampaignRecord campaign, String reason) {
        boolean skipped = skipsTheStep(task, campaign);
        if (skipped) {
            // the step's own agent is the one degraded, also when its fallback is what failed last
            String agent = task.isFallback() ? task.replaces() : task.agent();
            recordQuietly(() -> health.recordDegradation(new DegradationEvent(task.campaignId(), task.workflowId(),
                    task.stepId(), agent, DegradationEvent.SKIPPED, AgentResult.shorten(reason), clock.instant())));
        }
        if (task.isFallback() && !skipped) {
            // the replacement event its start recorded is superseded: nothing replaced the agent
            recordQuietly(() -> health.recordDegradation(new DegradationEvent(task.campaignId(), task.workflowId(),
                    task.stepId(), task.replaces(), DegradationEvent.NOT_REPLACED,
                    AgentResult.shorten(task.agent() + " failed too: " + reason), clock.instant())));
        }
        if (task.isFallback()) {
            degrade(task.campaignId(), task.stepId() + ": " + task.replaces() + " ", "was not replaced: its fallback "
                    + task.agent() + " failed too (" + AgentResult.shorten(reason) + ")"
                    + (skipped ? " and the optional step was skipped" : ""), campaign, true);
        } else if (skipped) {
            degrade(task.campaignId(), task.stepId() + ": " + task.agent() + " ",
                    "failed and the optional step was skipped (" + AgentResult.shorten(reason) + ")", campaign, false);
        }
    }

    /** Whether the plan leaves the failed step out: it is optional and no fallback is left to run it. */
    private static boolean skipsTheStep(AgentTask task, CampaignRecord campaign) {
        if (campaign.planSummary() == null) {
            return false;
        }
        for (JsonNode step : campaign.planSummary().path("steps")) {
            if (step.path("step_id").asText().equals(task.stepId())) {
                boolean lastResort = task.isFallback() || !step.path("fallback").isTextual();
                return lastResort && !step.path("required").asBoolean(true);
            }
        }
        return false;
    }

    /**
     * A fallback run: the primary's failure goes to health (unless its own run recorded it) and a degradation event.
     * A fallback with no error is one the planner chose because the primary was unavailable: nothing called the
     * primary, so nothing is held against it (more failures would push its recovery time out, campaign after
     * campaign, and its circuit would never get to half-open).
     */
    private CampaignRecord recordReplacement(AgentTask task, CampaignRecord campaign) {
        boolean planned = task.error() == null || task.error().isNull();
        String reason = planned ? task.replaces() + " was unavailable when the campaign was planned"
                : task.errorDescription();
        boolean recordedByPrimary = !planned && checkpoints.find(task.workflowId(), task.executionId(), task.stepId(),
                CheckpointType.ERROR_RECOVERY).filter(e -> task.replaces().equals(e.agentName())).isPresent();
        boolean circuitWasOpen = !planned
                && task.error().path("Error").asText("").endsWith(CircuitOpenException.class.getSimpleName());
        // a store that did not answer failed the step, not the agent (its failures count against the store's circuit)
        boolean storeWasDown = !planned
                && task.error().path("Error").asText("").equals(StoreUnavailableException.class.getName());
        if (!planned && !recordedByPrimary && !circuitWasOpen && !storeWasDown) {
            // timeouts, crashes, throttling: the primary never reached its own failure handling
            recordQuietly(() -> health.recordFailure(task.replaces(), reason));
        }
        recordQuietly(() -> health.recordDegradation(new DegradationEvent(task.campaignId(), task.workflowId(),
                task.stepId(), task.replaces(), task.agent(), reason, clock.instant())));
        if (planned) {
            return campaign; // the plan's limitations and degradation level already say so
        }
        // revised: a retried fallback's earlier "was not replaced" is no longer true
        return degrade(task.campaignId(), task.stepId() + ": " + task.replaces() + " ",
                "was replaced by " + task.agent() + " (" + reason + ")", campaign, true);
    }

    /**
     * {@link CampaignRepository#recordDegradation} ({@link CampaignRepository#reviseDegradation} with {@code revise});
     * returns {@code campaign} when the record could not be written.
     */
    private CampaignRecord degrade(String campaignId, String subject, String what, CampaignRecord campaign,
                                   boolean revise) {
        try {
            return revise ? campaigns.reviseDegradation(campaignId, subject, what)
                    : campaigns.recordDegradation(campaignId, subject, what);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the degradation on campaign " + campaignId, e);
            return campaign;
        }
    }

    private Agent validate(AgentTask task) {
        if (task == null) {
            throw new InvalidAgentTaskException("agent event is empty");
        }
        try {
            CheckpointIds.validateWorkflowId(task.workflowId());
            CampaignRepository.validateCampaignId(task.campaignId());
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentTaskException("invalid agent event: " + e.getMessage(), e);
        }
        if (task.executionId() == null || !EXECUTION_ID.matcher(task.executionId()).matches()) {
            throw new InvalidAgentTaskException("execution_id must match [A-Za-z0-9_.-]{1,80}: '" + task.executionId() + "'");
        }
        if (task.stepId() == null || !STEP_ID.matcher(task.stepId()).matches()) {
            throw new InvalidAgentTaskException("step_id must match [a-z][a-z0-9_]{0,63}: '" + task.stepId() + "'");
        }
        requireKnownAgent("agent", task.agent());
        if (task.isFallback()) {
            requireKnownAgent("replaces", task.replaces());
        }
        Agent agent = agents.get(task.agent());
        if (agent == null) {
            throw new InvalidAgentTaskException("agent " + task.agent() + " is not deployed in this function");
        }
        return agent;
    }

    private static void requireKnownAgent(String field, String name) {
        try {
            AgentName.fromWireName(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidAgentTaskException(field + " must be an agent wire name (planner, researcher, writer, "
                    + "editor, seo, distribution, basic_research, basic_qa): '" + name + "'");
        }
    }

    private static CampaignRequest request(CampaignRecord campaign) {
        if (campaign.request() == null || !campaign.request().isObject()) {
            throw new IllegalStateException("campaign " + campaign.campaignId() + " has no stored request");
        }
        try {
            return Json.MAPPER.treeToValue(campaign.request(), CampaignRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored request of campaign " + campaign.campaignId() + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    /** The request's agent_parameters (of the replaced agent first, for a fallback), overridden by the step's. */
    private static Map<String, Object> parameters(AgentTask task, CampaignRequest request) {
        Map<String, Object> merged = new HashMap<>();
        if (task.isFallback()) {
            merged.putAll(request.agentParameters().getOrDefault(task.replaces(), Map.of()));
        }
        merged.putAll(request.agentParameters().getOrDefault(task.agent(), Map.of()));
        task.parameters().forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return merged;
    }

    /**
     * How many of {@code settled} a step's progress counts. Inside a Parallel phase: the steps before the phase and
     * the step's own, not the other branches (contracts.md), also when a resume seeded the branch with their results,
     * so that progress reads the same in the first run and the resumed one.
     */
    private static int countedForProgress(CampaignRecord campaign, Set<String> settled, String stepId) {
        if (campaign.planSummary() == null) {
            return settled.size();
        }
        String phase = null;
        for (JsonNode step : campaign.planSummary().path("steps")) {
            if (step.path("step_id").asText().equals(stepId) && step.path("parallel_group").isTextual()) {
                phase = step.path("parallel_group").asText();
            }
        }
        if (phase == null) {
            return settled.size();
        }
        Set<String> otherBranches = new java.util.HashSet<>();
        for (JsonNode step : campaign.planSummary().path("steps")) {
            if (phase.equals(step.path("parallel_group").asText(null)) && !step.path("step_id").asText().equals(stepId)) {
                otherBranches.add(step.path("step_id").asText());
            }
        }
        return (int) settled.stream().filter(step -> !otherBranches.contains(step)).count();
    }

    private static int progress(CampaignRecord campaign, int completedSteps) {
        int planned = campaign.planStepCount() > 0 ? campaign.planStepCount() : DEFAULT_PLAN_STEPS;
        return Math.min(100, (int) Math.round(100.0 * completedSteps / planned));
    }

    /**
     * The actions a resume from the checkpoint accepts: what {@link ResumeAction#steps} allows with the steps done as
     * of the checkpoint (without the failed step for an error_recovery checkpoint, so continue runs it again). The
     * step's Parallel siblings count as done: a resume starts once the execution has ended, and takes the outputs
     * they completed meanwhile, so a skip that only a still-running sibling allows now would be refused then.
     */
    private static List<String> resumeActions(CampaignRecord campaign, Set<String> done, String stepId) {
        if (campaign.planSummary() == null) {
            return List.of("continue", "retry", "skip");
        }
        List<PlanStep> steps = PlanSummaries.steps(campaign.planSummary());
        String group = steps.stream().filter(s -> s.stepId().equals(stepId)).map(PlanStep::parallelGroup)
                .filter(Objects::nonNull).findFirst().orElse(null);
        Set<String> doneWhenResumable = new LinkedHashSet<>(done);
        steps.stream().filter(s -> group != null && group.equals(s.parallelGroup()) && !s.stepId().equals(stepId))
                .forEach(s -> doneWhenResumable.add(s.stepId()));
        return ResumeAction.available(steps, doneWhenResumable, stepId);
    }

    /** What a continue from the checkpoint runs, in plan order (other Parallel branches included), for its instructions. */
    private static String remainingSteps(CampaignRecord campaign, Set<String> done, String stepId) {
        if (campaign.planSummary() == null) {
            return "run the remaining steps of the plan";
        }
        List<String> pending = ResumeAction.CONTINUE.steps(PlanSummaries.steps(campaign.planSummary()), "", done, stepId)
                .pending().stream().map(step -> step.stepId() + " (" + step.agent() + ")").toList();
        return pending.isEmpty() ? "nothing is left to run, the campaign is complete" : "next " + String.join(", ", pending);
    }

    private static double clampQuality(double q) {
        return Double.isNaN(q) ? 0 : Math.max(0, Math.min(1, q));
    }

    private void publish(AgentTask task, int progress, boolean checkpointCreated, String message) {
        try {
            // read again: a fallback running beside this step may have raised the degradation level
            CampaignRecord current = campaigns.get(task.campaignId())
                    .orElseThrow(() -> new CampaignNotFoundException(task.campaignId()));
            long sequence = progressLog.nextSequence(task.campaignId(), current.progressSequence());
            publisher.publish(new ProgressMessage(ProgressMessage.AGENT_PROGRESS, task.campaignId(), task.agent(), progress,
                    checkpointCreated, current.degradationLevel(), AgentResult.shorten(message), sequence));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "progress for campaign " + task.campaignId() + " not published", e);
        }
    }

    private static void recordQuietly(Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            // Monitoring must not fail a step whose work is done and checkpointed.
            LOG.log(System.Logger.Level.WARNING, "could not record health or performance", e);
        }
    }
}
