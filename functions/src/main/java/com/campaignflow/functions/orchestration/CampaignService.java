package com.campaignflow.functions.orchestration;

import com.campaignflow.functions.campaigns.CampaignNotFoundException;
import com.campaignflow.functions.campaigns.CampaignRecord;
import com.campaignflow.functions.campaigns.CampaignRepository;
import com.campaignflow.functions.campaigns.PlanSummaries;
import com.campaignflow.functions.checkpoints.Checkpoint;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointExpiredException;
import com.campaignflow.functions.checkpoints.CheckpointId;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.config.SideBySide;
import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.domain.DegradationLevel;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import com.campaignflow.functions.planning.DegradationAssessor;
import com.campaignflow.functions.health.DegradationEvent;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.functions.monitoring.PerformanceRepository;
import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.campaignflow.functions.planning.MasterPlanner;
import com.campaignflow.functions.planning.MinimalViableWorkflow;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.functions.ports.WorkflowEngine.Execution;
import com.campaignflow.functions.progress.ProgressLog;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The campaign orchestrator: turns a request into a plan and an execution, reports status and the final result,
 * and recovers campaigns (resume from a checkpoint, redrive, rerun agents). Every call names the tenant; a
 * campaign of another tenant is reported as not found.
 */
public final class CampaignService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(CampaignService.class.getName());
    /** The campaign status while a resume or redrive starts its execution (see {@link #claimStart}). */
    static final String STARTING = "starting";
    /** How long a claimed start keeps other resumes and redrives out if its caller never finishes it. */
    static final Duration START_LEASE = Duration.ofSeconds(60);

    private final CampaignRequestParser parser;
    private final MasterPlanner planner;
    private final StateMachineCatalog stateMachines;
    private final HealthService health;
    private final CampaignRepository campaigns;
    private final CheckpointManager checkpoints;
    private final PerformanceRepository performance;
    private final ProgressLog progressLog;
    private final WorkflowEngine engine;
    private final DegradationAssessor assessor;
    private final Clock clock;

    public CampaignService(CampaignRequestParser parser, MasterPlanner planner, StateMachineCatalog stateMachines,
                           HealthService health, CampaignRepository campaigns, CheckpointManager checkpoints,
                           PerformanceRepository performance, ProgressLog progressLog, WorkflowEngine engine,
                           Clock clock) {
        this.parser = parser;
        this.planner = planner;
        this.stateMachines = stateMachines;
        this.health = health;
        this.campaigns = campaigns;
        this.checkpoints = checkpoints;
        this.performance = performance;
        this.progressLog = progressLog;
        this.engine = engine;
        this.assessor = new DegradationAssessor(clock);
        this.clock = clock;
    }

    /** What {@code POST /campaigns} answers. */
    public record CreatedCampaign(String campaignId, String workflowId, String workflowExecutionId, String status,
                                  String degradationLevel, List<String> limitations, boolean replayed) {
    }

    /**
     * Validates, plans and starts a campaign. Idempotent: the same campaign id (or idempotency key) with the same
     * body returns the same campaign; with a different body it is a conflict.
     */
    public CreatedCampaign create(String tenant, byte[] body, String idempotencyKey) {
        CampaignRequest request = parser.parse(body);
        String bodyHash = sha256(canonical(body));
        if (idempotencyKey != null) {
            campaigns.keyBinding(tenant, idempotencyKey).filter(bound -> !bound.bodyHash().equals(bodyHash))
                    .ifPresent(bound -> {
                        throw keyReused(bound.campaignId());
                    });
        }
        Optional<CampaignRecord> existing = campaigns.get(request.campaignId());
        if (existing.isPresent()) {
            CreatedCampaign replayed = replay(tenant, existing.get(), bodyHash);
            if (idempotencyKey != null) {
                // a key first seen on a replay names this campaign from now on, as if it had created it
                campaigns.bindKey(tenant, idempotencyKey, existing.get().campaignId(), bodyHash);
            }
            return replayed;
        }
        CampaignRequestParser.refuseResearchFocusWithParallelStrategy(request); // a new campaign only
        Map<String, ServiceHealth> snapshot = health.snapshot();
        ExecutionPlan plan = planner.plan(request, snapshot);
        String workflowId = workflowId(tenant, request.campaignId());
        String stateMachineArn = stateMachines.stateMachineFor(plan);
        Instant now = clock.instant();
        // The campaign names its execution before starting it: a process that dies after StartExecution (kill -9, the
        // API's timeout) leaves a campaign that follows the execution that ran, not one "starting" for good.
        CampaignRecord record = new CampaignRecord(request.campaignId(), tenant, workflowId,
                engine.executionArn(stateMachineArn, workflowId), STARTING, parseTree(body), PlanSummaries.of(plan), now,
                now, plan.degradationLevel(), plan.limitations(), idempotencyKey, bodyHash, 0, 0);
        // Of identical requests racing, the one that stored the campaign starts it and says so; the others replay it.
        return switch (campaigns.create(record)) {
            case CampaignRepository.CreateOutcome.Created c -> {
                recordStepsLeftOut(c.campaign(), plan);
                yield start(c.campaign(), plan, stateMachineArn, null, workflowId, false, null);
            }
            case CampaignRepository.CreateOutcome.Replayed r -> replay(tenant, r.campaign(), bodyHash);
            case CampaignRepository.CreateOutcome.KeyReused k -> throw keyReused(k.existingCampaignId());
            case CampaignRepository.CreateOutcome.IdTaken t -> replay(tenant, campaigns.get(t.campaignId())
                    .orElseThrow(() -> new CampaignNotFoundException(t.campaignId())), bodyHash);
        };
    }

    /**
     * An optional step the plan leaves out (its agent and any fallback unavailable) is a degradation event, as when
     * it fails during the run and is skipped: the result counts the same outcome the same way.
     */
    private void recordStepsLeftOut(CampaignRecord campaign, ExecutionPlan plan) {
        for (String step : stepsLeftOut(plan)) {
            try {
                health.recordDegradation(new DegradationEvent(campaign.campaignId(), campaign.workflowId(), step,
                        step, DegradationEvent.SKIPPED, step + " was unavailable when the campaign was planned",
                        clock.instant()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not record that " + step + " was left out of "
                        + campaign.campaignId(), e);
            }
        }
    }

    /** The steps of the content type's workflow that the plan has none for (optional agents it left out). */
    private static List<String> stepsLeftOut(ExecutionPlan plan) {
        return MinimalViableWorkflow.forContentType(plan.contentType()).roles().stream()
                .map(role -> role.agent().wireName())
                .filter(step -> plan.steps().stream()
                        .noneMatch(s -> s.stepId().equals(step) || s.stepId().startsWith(step + "_")))
                .toList();
    }

    private static CampaignConflictException keyReused(String campaignId) {
        return new CampaignConflictException("Idempotency-Key was already used for campaign " + campaignId
                + " with a different body");
    }

    private CreatedCampaign replay(String tenant, CampaignRecord existing, String bodyHash) {
        if (!existing.tenant().equals(tenant) || !bodyHash.equals(existing.bodyHash())) {
            // the same words whoever owns it: another tenant learns nothing but that the id is taken
            throw new CampaignConflictException("campaign_id " + existing.campaignId() + " is already taken: campaign"
                    + " ids are unique across tenants, and only the same tenant sending the same request body gets that"
                    + " campaign back; choose another campaign_id");
        }
        campaigns.ensureIndexed(existing);
        if (neverStarted(existing)) {
            // a first attempt stored the campaign but died before starting it: finish the job (the same name and input:
            // if it did start, Step Functions answers with that execution)
            return start(existing, PlanSummaries.toPlan(existing.planSummary()), null, existing.workflowId(), true);
        }
        return new CreatedCampaign(existing.campaignId(), existing.workflowId(), existing.executionArn(),
                statusOf(existing), existing.degradationLevel(), existing.limitations(), true);
    }

    /** A created campaign whose first execution (named after its workflow) was never started. */
    private boolean neverStarted(CampaignRecord record) {
        if (record.executionArn() == null) {
            return true; // stored before campaigns named their execution up front
        }
        return STARTING.equals(record.status()) && record.executionArn().endsWith(":" + record.workflowId())
                && execution(record).isEmpty();
    }

    private CreatedCampaign start(CampaignRecord record, ExecutionPlan plan, ObjectNode seedResults,
                                  String executionName, boolean replayed) {
        return start(record, plan, stateMachines.stateMachineFor(plan), seedResults, executionName, replayed, null);
    }

    /**
     * Starts the execution and records it in the campaign.
     *
     * @param requestBefore when the caller changed the campaign's request for this execution: the request to put
     *                      back if the execution could not be started (nothing ran, so nothing changed)
     */
    private CreatedCampaign start(CampaignRecord record, ExecutionPlan plan, String stateMachineArn,
                                  ObjectNode seedResults, String executionName, boolean replayed,
                                  JsonNode requestBefore) {
        ObjectNode input = JSON.createObjectNode();
        input.put("workflow_id", record.workflowId());
        input.put("campaign_id", record.campaignId());
        input.put("tenant", record.tenant());
        input.put("degradation_level", plan.degradationLevel());
        input.set("results", seedResults == null ? JSON.createObjectNode() : seedResults);
        String executionArn;
        try {
            executionArn = engine.startExecution(stateMachineArn, executionName, input.toString());
        } catch (RuntimeException e) {
            // a start whose answer was lost (a timeout, a dropped connection) may have started the execution
            Optional<Execution> startedAnyway = describeQuietly(engine.executionArn(stateMachineArn, executionName));
            if (startedAnyway.isEmpty()) {
                if (requestBefore != null) {
                    campaigns.update(record.campaignId(), r -> r.withRequest(requestBefore));
                }
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "StartExecution of " + executionName + " failed but the execution"
                    + " exists: going on with it", e);
            executionArn = startedAnyway.get().executionArn();
        }
        String startedArn = executionArn;
        CampaignRecord updated = campaigns.update(record.campaignId(),
                r -> r.withExecution(r.workflowId(), startedArn).withStatus("running"));
        return new CreatedCampaign(updated.campaignId(), updated.workflowId(), startedArn, "running",
                updated.degradationLevel(), updated.limitations(), replayed);
    }

    private Optional<Execution> describeQuietly(String executionArn) {
        try {
            return engine.describeExecution(executionArn);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The campaign record of the tenant, or CampaignNotFoundException (also for other tenants' campaigns). */
    public CampaignRecord campaign(String tenant, String campaignId) {
        CampaignRepository.validateCampaignId(campaignId);
        return campaigns.get(campaignId).filter(c -> c.tenant().equals(tenant))
                .orElseThrow(() -> new CampaignNotFoundException(campaignId));
    }

    /** The campaign owning a workflow id, checked against the tenant. */
    public CampaignRecord campaignOfWorkflow(String tenant, String workflowId) {
        CheckpointIds.validateWorkflowId(workflowId);
        return campaigns.findByWorkflow(tenant, workflowId)
                .orElseThrow(() -> CampaignNotFoundException.ofWorkflow(workflowId));
    }

    /**
     * A page of the tenant's campaigns for a dashboard, newest first: {@code campaigns} with campaign_id, workflow_id,
     * workflow_execution_id, status (from the execution, as in {@link #status}), degradation_level, created_at, and
     * {@code next_token} when there are more. One execution lookup per campaign of the page; up to
     * {@value SideBySide#STORE_CALLS_AT_ONCE} campaigns are read and looked up at once.
     *
     * @param limit     at most this many campaigns
     * @param nextToken the {@code next_token} of the page before, or null for the first page
     */
    public ObjectNode overview(String tenant, int limit, String nextToken) {
        CampaignRepository.Page page = campaigns.pageByTenant(tenant, limit,
                nextToken == null ? null : PageTokens.position(nextToken));
        ObjectNode answer = JSON.createObjectNode();
        // each row waits on several stores and the workflow engine in turn (round trips on AWS): rows side by side
        answer.putArray("campaigns").addAll(
                SideBySide.map(page.campaigns(), SideBySide.STORE_CALLS_AT_ONCE, this::overviewRow));
        page.next().ifPresent(position -> answer.put("next_token", PageTokens.token(position)));
        return answer;
    }

    private ObjectNode overviewRow(CampaignRecord record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("campaign_id", record.campaignId());
        json.put("workflow_id", record.workflowId());
        json.put("workflow_execution_id", record.executionArn());
        CurrentDegradation degradation = degradationOf(record,
                () -> checkpoints.latestValid(record.workflowId()), new AgentRuns(record.campaignId()));
        json.put("status", execution(record).map(e -> statusOf(e, degradation)).orElse(record.status()));
        json.put("degradation_level", degradation.level());
        json.put("created_at", record.createdAt().toString());
        return json;
    }

    /** Status, progress and, once the execution has ended, the final result. */
    public ObjectNode status(String tenant, String campaignId) {
        CampaignRecord read = campaign(tenant, campaignId);
        Optional<Execution> execution = execution(read);
        CampaignRecord record = asOfItsEnd(read, execution);
        ObjectNode json = JSON.createObjectNode();
        json.put("campaign_id", record.campaignId());
        json.put("workflow_id", record.workflowId());
        json.put("workflow_execution_id", record.executionArn());
        Optional<Checkpoint> latest = progressCheckpoint(record, execution);
        AgentRuns runs = new AgentRuns(record.campaignId());
        CurrentDegradation degradation = degradationOf(record, () -> latest, runs);
        json.put("status", execution.map(e -> statusOf(e, degradation)).orElse(record.status()));
        json.put("progress", progress(record, execution, latest));
        json.put("current_agent", latest.map(Checkpoint::agentName).orElse(null));
        json.put("degradation_level", degradation.level());
        List<String> limitations = new ArrayList<>(degradation.limitations());
        if (execution.isEmpty() && STARTING.equals(record.status()) && !startLeaseHeld(record)) {
            limitations.add(neverStarted(record) ? "execution " + record.workflowId() + " was never started: the"
                    + " request creating the campaign stopped first; send it again (or redrive the workflow) to start"
                    + " it" : neverStartedResume(record));
        }
        json.set("limitations", JSON.valueToTree(limitations));
        json.put("created_at", record.createdAt().toString());
        json.put("progress_sequence", progressLog.lastSequence(record.campaignId(), record.progressSequence()));
        if (execution.isPresent() && execution.get().status() != WorkflowEngine.Status.RUNNING) {
            json.set("result", result(record, execution.get(), runs));
        }
        return json;
    }

    /**
     * The checkpoint a campaign's progress is read from: its latest, except when a resumed (or rerun) execution has
     * not written one (yet, or before it was stopped or failed): then the latest is the end of the run before, and the
     * progress is that of the checkpoint the execution resumes from.
     */
    private Optional<Checkpoint> progressCheckpoint(CampaignRecord record, Optional<Execution> execution) {
        Optional<Checkpoint> latest = checkpoints.latestValid(record.workflowId());
        return execution.isEmpty() ? latest : asOfExecution(latest, execution.get());
    }

    /**
     * {@code latest} when {@code execution} wrote it (or there is none); else the checkpoint the execution was seeded
     * with, the newest its input references: empty for a retry from the first checkpoint, which starts over.
     */
    private Optional<Checkpoint> asOfExecution(Optional<Checkpoint> latest, Execution execution) {
        if (latest.isEmpty() || execution.name().equals(latest.get().executionId())) {
            return latest;
        }
        try {
            List<String> seeds = new ArrayList<>();
            JSON.readTree(execution.input()).path("results").forEach(result -> {
                if (result.path("checkpoint_id").isTextual()) {
                    seeds.add(result.path("checkpoint_id").asText());
                }
            });
            Optional<CheckpointId> seed = seeds.stream().map(CheckpointIds::parse)
                    .max(Comparator.comparingInt(CheckpointId::number));
            return seed.isEmpty() ? Optional.empty() : Optional.of(checkpoints.read(seed.get()));
        } catch (IOException | RuntimeException e) {
            return latest; // an unreadable seed: the latest says more than nothing
        }
    }

    /**
     * The checkpoint's progress; while the execution runs, also counting the steps it has checkpointed since: side by
     * side branches each checkpoint only their own step (three researchers done, the latest says 25 %, not 50 %).
     */
    private int progress(CampaignRecord record, Optional<Execution> execution, Optional<Checkpoint> from) {
        int progress = from.map(c -> c.stateData().currentProgress()).orElse(0);
        if (from.isEmpty() || execution.isEmpty() || execution.get().status() != WorkflowEngine.Status.RUNNING
                || record.planStepCount() == 0) {
            return progress;
        }
        Set<String> done = settledIn(from.get());
        for (CheckpointEntry e : checkpoints.list(record.workflowId())) {
            if (e.type() == CheckpointType.AUTOMATIC && execution.get().name().equals(e.executionId())) {
                done.add(e.stepId());
            }
        }
        return Math.max(progress, Math.min(100, (int) Math.round(100.0 * done.size() / record.planStepCount())));
    }

    /**
     * The content of an execution that did not succeed: its latest checkpoint plus the steps other checkpoints of the
     * same execution completed that it does not hold. Branches of a Parallel phase each checkpoint the steps before
     * the phase and their own: when one fails the execution, the latest checkpoint is its error_recovery one, and the
     * research its siblings completed is in theirs.
     */
    private Checkpoint withSideBySideSteps(Checkpoint latest, List<CheckpointEntry> entries) {
        List<String> completed = new ArrayList<>(latest.stateData().completedAgents());
        List<String> included = new ArrayList<>(latest.stateData().includedCheckpoints());
        ObjectNode data = latest.stateData().intermediateData().deepCopy();
        for (CheckpointEntry e : entries) {
            if (e.type() != CheckpointType.AUTOMATIC || !Objects.equals(e.executionId(), latest.executionId())
                    || completed.contains(e.stepId())) {
                continue;
            }
            try {
                JsonNode output = checkpoints.read(e.checkpointId()).stateData().intermediateData().get(e.stepId());
                if (output != null) {
                    completed.add(e.stepId());
                    included.add(e.checkpointId());
                    data.set(e.stepId(), output);
                }
            } catch (RuntimeException unreadable) {
                // corrupt or gone since the listing: the content is the latest checkpoint's, as before
            }
        }
        if (completed.size() == latest.stateData().completedAgents().size()) {
            return latest;
        }
        StateData state = latest.stateData();
        return latest.withStateData(new StateData(completed, state.failedAgents(), data, state.currentProgress(),
                included));
    }

    /** The final result of the campaign's latest execution (also while running: status "running"). */
    public ObjectNode result(String tenant, String campaignId) {
        CampaignRecord record = campaign(tenant, campaignId);
        Execution execution = execution(record).orElseThrow(() -> CampaignNotFoundException.notStarted(campaignId));
        return result(asOfItsEnd(record, Optional.of(execution)), execution);
    }

    /**
     * The campaign record read again once its execution was seen ended: the record was read before the execution,
     * and the execution's last steps may have written to it in between (a skipped step's limitation), which the
     * answer must show with the events and checkpoints they wrote next to it. Unchanged while the execution runs, or
     * when the campaign moved on to another execution meanwhile.
     */
    private CampaignRecord asOfItsEnd(CampaignRecord read, Optional<Execution> execution) {
        if (execution.isEmpty() || execution.get().status() == WorkflowEngine.Status.RUNNING) {
            return read;
        }
        return campaigns.get(read.campaignId()).filter(r -> Objects.equals(r.executionArn(), read.executionArn()))
                .orElse(read);
    }

    ObjectNode result(CampaignRecord record, Execution execution) {
        return result(record, execution, new AgentRuns(record.campaignId()));
    }

    private ObjectNode result(CampaignRecord record, Execution execution, AgentRuns runs) {
        List<CheckpointEntry> entries = checkpoints.list(record.workflowId());
        CheckpointManager.LatestReadable readable = checkpoints.latestReadable(record.workflowId());
        // a resume stopped (or failed) before its first checkpoint ends where it began, not at the run before's end
        Optional<Checkpoint> own = asOfExecution(readable.checkpoint(), execution);
        boolean itsOwn = own.isPresent() && execution.name().equals(own.get().executionId());
        Optional<Checkpoint> latest = execution.status() == WorkflowEngine.Status.SUCCEEDED || !itsOwn ? own
                : own.map(c -> withSideBySideSteps(c, entries));
        CurrentDegradation degradation = degradationOf(record, () -> latest, runs);
        List<DegradationEvent> degradations = degradation.events();
        ObjectNode json = JSON.createObjectNode();
        boolean succeeded = execution.status() == WorkflowEngine.Status.SUCCEEDED;
        json.put("success", succeeded);
        json.put("workflow_execution_id", execution.executionArn());
        json.put("status", statusOf(execution, degradation));
        ArrayNode agents = json.putArray("agents_executed");
        agentsExecuted(latest, runs).forEach(agents::add);
        json.put("checkpoints_created", entries.size());
        json.put("recovery_enabled", true);
        json.put("degradation_events", degradations.size());
        Instant end = execution.stopDate() != null ? execution.stopDate() : clock.instant();
        json.put("total_duration", Math.round(Duration.between(record.createdAt(), end).toMillis() / 10.0) / 100.0);
        json.put("quality_score", qualityScore(latest, runs, degradations));
        json.set("intermediate_results", latest.map(c -> (JsonNode) c.stateData().intermediateData())
                .orElse(JSON.createObjectNode()));
        if (!succeeded && execution.error() != null) {
            ObjectNode error = json.putObject("error");
            error.put("error", execution.error());
            error.put("cause", com.campaignflow.functions.runtime.ErrorCauses.forUsers(execution.cause()));
        }
        if (!degradations.isEmpty()) {
            ArrayNode events = json.putArray("degradations");
            for (DegradationEvent e : degradations) {
                ObjectNode event = events.addObject();
                event.put("step_id", e.stepId());
                event.put("agent", e.agent());
                event.put("replaced_by", e.replacedBy());
                event.put("reason", e.reason());
            }
        }
        List<String> limitations = new ArrayList<>(degradation.limitations());
        for (String step : unrecordedSkips(execution, degradation)) {
            limitations.add(step + ": skipped: its agent and any fallback failed, and the failure could not be recorded"
                    + " (a store did not answer); resume from the checkpoint before it to run it");
        }
        if (!runs.readable()) {
            limitations.add("the agents' performance records cannot be read now: agents_executed names each step's"
                    + " planned agent and quality_score reads 0; ask again later");
        }
        for (String unreadable : readable.unreadableNewer()) {
            // the content shown is an earlier checkpoint's: the user is told which, and how to redo the rest
            limitations.add("checkpoint " + unreadable + " cannot be read (corrupt or deleted): the results are those of "
                    + latest.map(c -> c.checkpointId() + "; resume from it to run the later steps again")
                    .orElse("no checkpoint"));
        }
        json.set("limitations", JSON.valueToTree(limitations));
        return json;
    }

    /**
     * What is degraded in the campaign's content now: events, limitations and level (see {@link #degradationOf}), and
     * whether the plan replaced or left out a step though no event says so (none recorded at all: the best-effort
     * write of one failed, or the campaign predates the events of left-out steps).
     */
    /** @param stepsWithEvents the steps any degradation event of the campaign names, undone ones included */
    private record CurrentDegradation(List<DegradationEvent> events, List<String> limitations, String level,
                                      boolean plannedWithoutEvents, Set<String> stepsWithEvents) {
    }

    /**
     * The degradations behind the campaign's content now, {@code latest} being the checkpoint the content is read
     * from. Of each step's degradation events the latest counts, unless the content holds the output of a run of the
     * step's own agent: a resume or rerun that ran the replaced or skipped agent for real undoes it, with the limitation
     * it added and the degradation level it raised (the plan's level stays), and so does a resume from a checkpoint
     * written before the degradation. Where the content holds a fallback's output, the event of that replacement
     * counts, even after a later run of the step's own agent whose output a resume from an earlier checkpoint left
     * out. A fallback that ran and failed still counts: the user is told the step was degraded, and why the campaign
     * failed. For steps whose run cannot be told from the content (checkpoints written before they named the ones
     * they include, or a run's performance record missing), a later successful run of the step's own agent undoes
     * the event, as does the step's output in the content for a skip.
     */
    private CurrentDegradation degradationOf(CampaignRecord record, Supplier<Optional<Checkpoint>> latest,
                                             AgentRuns agentRuns) {
        List<DegradationEvent> all = health.degradationEvents(record.campaignId());
        if (all.isEmpty()) {
            return new CurrentDegradation(List.of(), record.limitations(), record.degradationLevel(),
                    planDegraded(record), Set.of());
        }
        Map<String, DegradationEvent> latestByStep = new LinkedHashMap<>();
        all.forEach(e -> latestByStep.put(e.stepId(), e));
        List<AgentPerformance> runs = agentRuns.get();
        Optional<Checkpoint> content = latest.get();
        Map<String, AgentPerformance> producers = content.map(agentRuns::whoseOutputIsIn).orElse(Map.of());
        List<DegradationEvent> current = new ArrayList<>();
        Set<String> undone = new LinkedHashSet<>();
        for (DegradationEvent e : latestByStep.values()) {
            AgentPerformance producer = producers.get(e.stepId());
            if (producer != null) {
                if (producer.agentName().equals(e.agent())) {
                    undone.add(e.stepId());
                } else {
                    // a fallback's output: its replacement is what the content shows, whatever happened since
                    current.add(all.reversed().stream().filter(r -> r.stepId().equals(e.stepId())
                            && r.replacedBy().equals(producer.agentName())).findFirst().orElse(e));
                }
                continue;
            }
            Optional<AgentPerformance> realRun = ranForRealSince(e, runs);
            boolean inTheContent = content.map(c -> c.stateData().completedAgents().contains(e.stepId()))
                    .orElse(true);
            // a Parallel branch's checkpoint holds only its own branch: a sibling its execution ran counts too
            boolean sameExecution = realRun.isPresent() && content.isPresent()
                    && Objects.equals(realRun.get().executionId(), content.get().executionId());
            boolean backInTheContent = DegradationEvent.SKIPPED.equals(e.replacedBy()) && content.isPresent()
                    && inTheContent;
            if ((realRun.isPresent() && (inTheContent || sameExecution)) || backInTheContent) {
                undone.add(e.stepId());
            } else {
                current.add(e);
            }
        }
        List<String> limitations = new ArrayList<>(record.limitations().stream()
                .filter(l -> undone.stream().noneMatch(step -> l.startsWith(step + ": "))).toList());
        for (DegradationEvent e : current) {
            if (ranForRealSince(e, runs).isPresent()
                    && limitations.stream().noneMatch(l -> l.startsWith(e.stepId() + ": "))) {
                // a degradation whose limitation a run of the step's own agent took away before a resume from an
                // earlier checkpoint brought the degraded output back (a plan's degradation has the plan's words)
                limitations.add(e.stepId() + ": " + e.agent() + switch (e.replacedBy()) {
                    case DegradationEvent.SKIPPED -> " was skipped";
                    case DegradationEvent.NOT_REPLACED -> " was not replaced";
                    default -> " was replaced by " + e.replacedBy();
                } + " (" + e.reason() + ")");
            }
        }
        String level = current.isEmpty() ? PlanSummaries.toPlan(record.planSummary()).degradationLevel()
                : DegradationLevel.NONE.wireName().equals(record.degradationLevel()) ? DegradationLevel.MINIMAL.wireName()
                : record.degradationLevel();
        return new CurrentDegradation(List.copyOf(current), List.copyOf(limitations), level, false,
                Set.copyOf(latestByStep.keySet()));
    }

    /** Whether the campaign's plan replaced a step by its fallback or left one out. */
    private static boolean planDegraded(CampaignRecord record) {
        if (record.planSummary() == null) {
            return false;
        }
        ExecutionPlan plan = PlanSummaries.toPlan(record.planSummary());
        return plan.steps().stream().anyMatch(s -> s.replaces() != null)
                || MinimalViableWorkflow.CONTENT_TYPES.contains(plan.contentType()) && !stepsLeftOut(plan).isEmpty();
    }

    /**
     * The latest successful run of the event's step by the step's own agent (not its fallback, which records a
     * replacement event of its own when it runs) after the event.
     */
    private static Optional<AgentPerformance> ranForRealSince(DegradationEvent e, List<AgentPerformance> runs) {
        return runs.stream().filter(p -> p.successStatus() && p.stepId().equals(e.stepId())
                && p.agentName().equals(e.agent()) && p.recordedAt().isAfter(e.at())).reduce((a, b) -> b);
    }

    /**
     * The campaign's agent runs, read at most once per answer (one query of the performance table), for its status
     * and result. Agents write them best effort (an observation, not the campaign's state), so a performance table
     * that cannot be read leaves them out rather than failing the answer; the result says so (see
     * {@link #result(CampaignRecord, Execution)}).
     */
    private final class AgentRuns {
        private final String campaignId;
        private List<AgentPerformance> runs;
        private boolean readable = true;

        AgentRuns(String campaignId) {
            this.campaignId = campaignId;
        }

        List<AgentPerformance> get() {
            if (runs == null) {
                try {
                    runs = performance.forCampaign(campaignId);
                } catch (StoreUnavailableException e) {
                    LOG.log(System.Logger.Level.WARNING, "agent runs of campaign " + campaignId + " cannot be read", e);
                    runs = List.of();
                    readable = false;
                }
            }
            return runs;
        }

        boolean readable() {
            get();
            return readable;
        }

        /** Step id to the step's latest successful run. */
        Map<String, AgentPerformance> latestSuccessfulRuns() {
            Map<String, AgentPerformance> byStep = new LinkedHashMap<>();
            for (AgentPerformance p : get()) {
                if (p.successStatus()) {
                    byStep.merge(p.stepId(), p, AgentRuns::later);
                }
            }
            return byStep;
        }

        /**
         * Step id to the run whose output {@code content} holds, for the steps it completed: the latest successful run
         * whose checkpoint is the content's or one the content includes (a resume from an earlier checkpoint leaves
         * the runs after it out). A step without one (its checkpoint written before checkpoints named the ones they
         * include, or its performance record missing) is left out.
         */
        Map<String, AgentPerformance> whoseOutputIsIn(Checkpoint content) {
            Set<String> chain = new HashSet<>(content.stateData().includedCheckpoints());
            chain.add(content.checkpointId());
            List<String> completed = content.stateData().completedAgents();
            Map<String, AgentPerformance> byStep = new LinkedHashMap<>();
            for (AgentPerformance p : get()) {
                if (p.successStatus() && chain.contains(p.checkpointId()) && completed.contains(p.stepId())) {
                    byStep.merge(p.stepId(), p, AgentRuns::later);
                }
            }
            return byStep;
        }

        /**
         * The run of a step's completed content: the one whose output the content holds when that can be told,
         * else the step's latest successful run (null when none is recorded).
         */
        Map<String, AgentPerformance> runsOfTheContent(Checkpoint content) {
            Map<String, AgentPerformance> byStep = latestSuccessfulRuns();
            byStep.putAll(whoseOutputIsIn(content));
            return byStep;
        }

        private static AgentPerformance later(AgentPerformance a, AgentPerformance b) {
            return b.recordedAt().isBefore(a.recordedAt()) ? a : b;
        }
    }

    /**
     * Agent wire names in the order their steps completed: the agent whose output the content holds for each step
     * (basic_research when it replaced the researcher; see {@link AgentRuns#runsOfTheContent}); researcher_a/b/c
     * count as researcher.
     */
    private static List<String> agentsExecuted(Optional<Checkpoint> latest, AgentRuns runs) {
        if (latest.isEmpty()) {
            return List.of();
        }
        Map<String, AgentPerformance> runByStep = runs.runsOfTheContent(latest.get());
        Set<String> agents = new LinkedHashSet<>();
        for (String stepId : latest.get().stateData().completedAgents()) {
            AgentPerformance run = runByStep.get(stepId);
            agents.add(run != null ? run.agentName() : agentOfStep(stepId));
        }
        return new ArrayList<>(agents);
    }

    private static String agentOfStep(String stepId) {
        return stepId.startsWith("researcher_") ? "researcher" : stepId;
    }

    /**
     * The mean measured quality of the agents whose output makes up the final content (the run of each completed
     * step whose output it holds; see {@link AgentRuns#runsOfTheContent}), a step skipped or left out counting 0: the
     * content lacks its work, so leaving out a step that scored below the others must not raise the score. Each
     * workflow role counts once: parallel research is the mean of its branches (a skipped one 0), so research left
     * out at planning (one step) and research whose three branches were skipped during the run score alike. Never a
     * constant; 0 only when nothing has completed.
     */
    private static double qualityScore(Optional<Checkpoint> latest, AgentRuns runs, List<DegradationEvent> degradations) {
        if (latest.isEmpty()) {
            return 0;
        }
        Map<String, AgentPerformance> runByStep = runs.runsOfTheContent(latest.get());
        Map<String, Double> byStep = new LinkedHashMap<>();
        for (String stepId : latest.get().stateData().completedAgents()) {
            AgentPerformance run = runByStep.get(stepId);
            if (run != null) {
                byStep.put(stepId, run.qualityScore());
            }
        }
        if (byStep.isEmpty()) {
            return 0;
        }
        degradations.stream().filter(e -> DegradationEvent.SKIPPED.equals(e.replacedBy()))
                .forEach(e -> byStep.putIfAbsent(e.stepId(), 0.0));
        Map<String, List<Double>> byRole = new LinkedHashMap<>();
        byStep.forEach((step, score) -> byRole.computeIfAbsent(agentOfStep(step), r -> new ArrayList<>()).add(score));
        double mean = byRole.values().stream()
                .mapToDouble(scores -> scores.stream().mapToDouble(Double::doubleValue).average().orElse(0))
                .average().orElse(0);
        return Math.round(mean * 1000) / 1000.0;
    }

    private String statusOf(CampaignRecord record) {
        return execution(record).map(e -> statusOf(record, e)).orElse(record.status());
    }

    private String statusOf(CampaignRecord record, Execution execution) {
        return statusOf(execution, execution.status() == WorkflowEngine.Status.SUCCEEDED
                ? degradationOf(record, () -> checkpoints.latestValid(record.workflowId()),
                new AgentRuns(record.campaignId())) : null);
    }

    /**
     * {@code degradation} is read only for a succeeded execution: completed_degraded when a step was replaced, skipped
     * or left out of the plan (each a degradation event), else completed, even when the system was degraded at
     * planning (a critical agent that then did its work degraded nothing).
     */
    private static String statusOf(Execution execution, CurrentDegradation degradation) {
        return switch (execution.status()) {
            case RUNNING, PENDING_REDRIVE -> "running";
            case SUCCEEDED -> degradation.events().isEmpty() && !degradation.plannedWithoutEvents()
                    && unrecordedSkips(execution, degradation).isEmpty() ? "completed" : "completed_degraded";
            case FAILED -> "failed";
            case TIMED_OUT -> "timed_out";
            case ABORTED -> "aborted";
        };
    }

    /**
     * Steps the execution went past through their {@code <step>_skipped} state ({@code "status": "skipped"} in its
     * output) that no degradation event names: the failing run records the skip, and cannot when the store it
     * records to is down (the outage that failed the step and its fallback).
     */
    private static List<String> unrecordedSkips(Execution execution, CurrentDegradation degradation) {
        if (execution.output() == null) {
            return List.of();
        }
        JsonNode results;
        try {
            results = JSON.readTree(execution.output()).path("results");
        } catch (JsonProcessingException e) {
            return List.of();
        }
        // a recorded skip may have been undone since (the content holds the step's earlier output): not a missing one
        List<String> skipped = new ArrayList<>();
        results.properties().forEach(step -> {
            if ("skipped".equals(step.getValue().path("status").asText())
                    && !degradation.stepsWithEvents().contains(step.getKey())) {
                skipped.add(step.getKey());
            }
        });
        return skipped;
    }

    private Optional<Execution> execution(CampaignRecord record) {
        return record.executionArn() == null ? Optional.empty() : engine.describeExecution(record.executionArn());
    }

    // ---- checkpoints and recovery ----

    public List<CheckpointEntry> checkpoints(String tenant, String workflowId) {
        campaignOfWorkflow(tenant, workflowId);
        return checkpoints.list(workflowId);
    }

    public CheckpointEntry manualCheckpoint(String tenant, String workflowId, String note) {
        CampaignRecord record = campaignOfWorkflow(tenant, workflowId);
        // the campaign's state now, as its status reports it: while a resume has not checkpointed yet, the checkpoint
        // it resumed from, not the end of the run before (a newer checkpoint of another execution)
        Optional<Checkpoint> current = progressCheckpoint(record, execution(record));
        if (current.isEmpty()) {
            throw new CampaignConflictException("workflow " + workflowId + " has no checkpoint to copy yet: a manual"
                    + " checkpoint copies the campaign's current one, and no step of campaign " + record.campaignId()
                    + (checkpoints.latestValid(workflowId).isPresent()
                    ? " has checkpointed since its execution started over from the first step"
                    : " has checkpointed yet (or none is readable)"));
        }
        return checkpoints.createManual(current.get(), note);
    }

    /**
     * Resumes a campaign from one of its checkpoints: a new execution of the remaining plan, seeded with the
     * checkpoint's data. {@code parameters} (agent name → parameters) replace the request's agent_parameters.
     */
    public CreatedCampaign resume(String tenant, String checkpointIdText, ResumeAction action,
                                  Map<String, Map<String, Object>> parameters) {
        return resume(tenant, checkpointIdText, action, parameters, Set.of(), false);
    }

    /**
     * {@link #resume}, also running {@code alsoRerun} (Parallel branches beside the checkpoint's step that a rerun
     * names), with the other branches' outputs taken from their newest checkpoints when {@code newestSiblings} (a
     * rerun works on the campaign as it is now) rather than from the checkpoint's own execution (a resume goes back to
     * the state as of that checkpoint).
     */
    private CreatedCampaign resume(String tenant, String checkpointIdText, ResumeAction action,
                                   Map<String, Map<String, Object>> parameters, Set<String> alsoRerun,
                                   boolean newestSiblings) {
        CheckpointId checkpointId = CheckpointIds.parse(checkpointIdText);
        CampaignRecord record = campaignOfWorkflow(tenant, checkpointId.workflowId());
        Map<String, ServiceHealth> healthNow = health.snapshot();
        planner.refuseIfCheckpointStoreDown(healthNow); // before the first read of a checkpoint
        Checkpoint checkpoint = checkpoints.read(checkpointId);
        if (!record.campaignId().equals(checkpoint.campaignId()) && checkpoint.campaignId() != null) {
            throw CampaignNotFoundException.ofCheckpoint(checkpointIdText);
        }
        if (checkpoint.status() == CheckpointStatus.EXPIRED) {
            throw new CheckpointExpiredException(checkpoint.checkpointId(), checkpoint.expiresAt(),
                    checkpoints.latestUnexpired(record.workflowId()).orElse(null));
        }
        execution(record).filter(e -> e.status() == WorkflowEngine.Status.RUNNING).ifPresent(e -> {
            throw new CampaignConflictException("campaign " + record.campaignId() + " is still running; wait for"
                    + " it to end (or stop its execution " + e.executionArn() + " with Step Functions StopExecution)"
                    + " before resuming");
        });
        ExecutionPlan plan = PlanSummaries.toPlan(record.planSummary());
        Set<String> done = doneAt(record, checkpoint);
        Map<String, String> siblings = completedSiblings(record, plan, checkpoint, newestSiblings);
        siblings.keySet().removeAll(alsoRerun);
        done.addAll(siblings.keySet());
        done.removeAll(alsoRerun);
        ResumeAction.Steps toRun = action.steps(plan.steps(), plan.contentType(), done, checkpoint.stepId());
        if (toRun.refusal() != null) {
            throw new CampaignConflictException("cannot " + action.wireName() + " from checkpoint " + checkpointIdText
                    + ": " + toRun.refusal());
        }
        List<PlanStep> pending = toRun.pending();
        PlanStep skipped = toRun.skipped();
        if (action == ResumeAction.RETRY) {
            done.remove(checkpoint.stepId());
        }
        ObjectNode changedRequest = parameters == null || parameters.isEmpty() ? null : withParameters(record, parameters);
        if (changedRequest != null) {
            refuseParametersOfAgentsNotRun(parameters, pending);
        }
        ExecutionPlan remaining = remainingPlan(plan, pending);
        ObjectNode seed = JSON.createObjectNode();
        Set<String> holds = new LinkedHashSet<>(checkpoint.stateData().completedAgents());
        for (String stepId : done) {
            if (siblings.containsKey(stepId) || holds.contains(stepId)) {
                seed.putObject(stepId).put("checkpoint_id", siblings.getOrDefault(stepId, checkpoint.checkpointId()));
            } else {
                // skipped before (the checkpoint's failed steps, a branch's skipped siblings): no checkpoint holds it,
                // and the new execution must count it as skipped, not look for its output
                plan.steps().stream().filter(s -> s.stepId().equals(stepId)).findFirst()
                        .ifPresent(step -> putSkipped(seed, step));
            }
        }
        if (skipped != null) {
            // the new execution's agents count the step as done (progress) and carry the skip in their checkpoints
            putSkipped(seed, skipped);
        }
        // Everything that can refuse the resume comes before the first write: the parameters are checked above, a
        // required step whose agent and fallback are both unavailable refuses it here, and the state machine is made
        // (or found) next.
        planner.refuseIfBlocked(remaining, healthNow);
        List<String> carried = new ArrayList<>();
        seed.fieldNames().forEachRemaining(carried::add);
        String stateMachineArn = stateMachines.stateMachineFor(remaining, carried);
        claimStart(record);
        CreatedCampaign started;
        try {
            // Marked before the new execution writes a checkpoint: the cap never prunes a recovered checkpoint, and
            // the new execution reads this one for every step it does not run.
            checkpoints.markStatus(checkpoint.checkpointId(), CheckpointStatus.RECOVERED);
            for (String sibling : siblings.values()) { // read for their branches' outputs
                checkpoints.markStatus(sibling, CheckpointStatus.RECOVERED);
            }
            if (changedRequest != null) {
                campaigns.update(record.campaignId(), r -> r.withRequest(changedRequest));
            }
            if (skipped != null) {
                // before the start: the new execution's first progress message carries the raised degradation level;
                // revised, so an older sentence about the step (its fallback failed too) does not contradict this event
                campaigns.reviseDegradation(record.campaignId(), skipped.stepId() + ": " + skipped.agent() + " ",
                        "was skipped (skipped when resuming from " + checkpoint.checkpointId() + ")");
            }
            String executionName = record.workflowId() + "-" + action.wireName() + "-" + clock.millis();
            // The campaign names its new execution before starting it: a caller that dies after StartExecution (the
            // API's 29 s timeout) leaves the campaign following that execution, not the old one, and a later resume
            // is refused while it runs instead of starting a second one.
            String intended = engine.executionArn(stateMachineArn, executionName);
            campaigns.update(record.campaignId(), r -> r.withExecution(r.workflowId(), intended));
            started = start(record, remaining, stateMachineArn, seed, executionName, false,
                    changedRequest != null ? record.request() : null);
        } catch (RuntimeException e) {
            releaseStart(record, e);
            throw e;
        }
        if (skipped != null) {
            recordSkipEvent(record, skipped, "skipped when resuming from " + checkpoint.checkpointId());
        }
        return started;
    }

    /** A skipped step's result in a resume's seed, as the compiled {@code _skipped} state writes it. */
    private static void putSkipped(ObjectNode seed, PlanStep step) {
        ObjectNode result = seed.putObject(step.stepId());
        result.put("step_id", step.stepId());
        result.put("agent", step.agent());
        result.put("status", PlanCompiler.SKIPPED_STATUS);
        result.putNull("checkpoint_id");
    }

    /** The plan of these pending steps only, their dependencies on steps done dropped. */
    private static ExecutionPlan remainingPlan(ExecutionPlan plan, List<PlanStep> pending) {
        Set<String> remainingIds = new LinkedHashSet<>();
        pending.forEach(s -> remainingIds.add(s.stepId()));
        List<PlanStep> steps = new ArrayList<>();
        for (PlanStep s : pending) {
            List<String> deps = s.dependsOn().stream().filter(remainingIds::contains).toList();
            steps.add(new PlanStep(s.stepId(), s.agent(), deps, s.fallback(), s.required(), s.parallelGroup(),
                    s.parameters(), s.replaces()));
        }
        return new ExecutionPlan(plan.contentType(), plan.strategy(), steps, plan.degradationLevel(),
                plan.qualityThreshold(), plan.limitations());
    }

    /**
     * Claims the campaign for a new (resumed) or redriven execution: a conditional write of status
     * {@value #STARTING} on the record as {@code read}, whose execution was found not running. Of concurrent resumes
     * and redrives (a double click, two operators) one wins and the others are refused, as is any later one until the
     * winner's execution has started (status running) or failed to start, or {@link #START_LEASE} has passed (a caller
     * that died in between).
     */
    private void claimStart(CampaignRecord read) {
        if (startLeaseHeld(read) || campaigns.updateIfUnchanged(read, r -> r.withStatus(STARTING)).isEmpty()) {
            throw new CampaignConflictException("campaign " + read.campaignId() + " is being resumed or redriven by"
                    + " another request; wait for that execution, then try again if still needed");
        }
    }

    /**
     * The claim of a resume or redrive that could not start its execution: the campaign's status, execution and
     * degradation go back.
     */
    private void releaseStart(CampaignRecord read, RuntimeException failure) {
        try {
            campaigns.update(read.campaignId(), r -> STARTING.equals(r.status())
                    ? r.withStatus(read.status()).withExecution(read.workflowId(), read.executionArn())
                    .withDegradation(read.degradationLevel(), read.limitations()) : r);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The sibling branches of the Parallel phase the checkpoint's step belongs to that the checkpoint's execution
     * completed ({@code newest}: that any execution completed, each from its newest checkpoint), by step id with the
     * checkpoint holding each one's output: a branch's checkpoint holds the steps before the phase and its own only,
     * and a resume or rerun from it does not run its completed siblings again.
     */
    private Map<String, String> completedSiblings(CampaignRecord record, ExecutionPlan plan, Checkpoint checkpoint,
                                                  boolean newest) {
        String group = plan.steps().stream().filter(s -> s.stepId().equals(checkpoint.stepId()))
                .map(PlanStep::parallelGroup).filter(Objects::nonNull).findFirst().orElse(null);
        Map<String, String> siblings = new LinkedHashMap<>();
        if (group == null || checkpoint.executionId() == null) {
            return siblings;
        }
        Set<String> others = new LinkedHashSet<>();
        plan.steps().stream().filter(s -> group.equals(s.parallelGroup()) && !s.stepId().equals(checkpoint.stepId()))
                .forEach(s -> others.add(s.stepId()));
        for (CheckpointEntry e : checkpoints.list(record.workflowId())) { // by number: a step's latest wins
            if (e.type() == CheckpointType.AUTOMATIC && others.contains(e.stepId())
                    && (newest || checkpoint.executionId().equals(e.executionId()))) {
                siblings.put(e.stepId(), e.checkpointId());
            }
        }
        return siblings;
    }

    /**
     * The steps done as of a checkpoint: its completed steps, and the failed ones the workflow went on from (skipped;
     * the checkpoint's own failed step is what a retry or skip from it is about) or that it or a resume skipped before.
     */
    private Set<String> doneAt(CampaignRecord record, Checkpoint checkpoint) {
        Set<String> done = settledIn(checkpoint);
        done.addAll(skippedBefore(record, checkpoint));
        return done;
    }

    /**
     * The steps a checkpoint's state is past: completed ones and the failed ones the workflow went on from (skipped);
     * the checkpoint's own failed step is not done with it.
     */
    private static Set<String> settledIn(Checkpoint checkpoint) {
        Set<String> settled = new LinkedHashSet<>(checkpoint.stateData().completedAgents());
        checkpoint.stateData().failedAgents().stream().filter(step -> !step.equals(checkpoint.stepId()))
                .forEach(settled::add);
        return settled;
    }

    /**
     * The steps the execution that wrote {@code checkpoint} skipped before writing it (an optional step that failed
     * with no fallback left, in a Parallel branch beside the checkpoint's own): a resume goes on past them as the run
     * did, instead of running them after the steps that came later. Skips before that execution began (an earlier
     * execution's, or a resume's) are not looked at: an execution that went on past one carries it in its state
     * (failed_agents), and one that does not carry it ran from a point before the skip and runs the step itself.
     */
    private Set<String> skippedBefore(CampaignRecord record, Checkpoint checkpoint) {
        Set<String> skipped = new LinkedHashSet<>();
        if (checkpoint.createdAt() == null) {
            return skipped;
        }
        Instant executionBegan = checkpoints.list(record.workflowId()).stream()
                .filter(e -> checkpoint.executionId() != null && checkpoint.executionId().equals(e.executionId()))
                .map(CheckpointEntry::createdAt).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(checkpoint.createdAt());
        for (DegradationEvent e : health.degradationEvents(record.campaignId())) {
            if (DegradationEvent.SKIPPED.equals(e.replacedBy()) && record.workflowId().equals(e.workflowId())
                    && !e.at().isBefore(executionBegan) && !e.at().isAfter(checkpoint.createdAt())) {
                skipped.add(e.stepId());
            }
        }
        return skipped;
    }

    /**
     * The degradation event of a step a resume left out (its limitation and level are on the record already), so the
     * result names the skip. Recorded after the start: a resume that did not start skipped nothing.
     */
    private void recordSkipEvent(CampaignRecord record, PlanStep step, String reason) {
        try {
            health.recordDegradation(new DegradationEvent(record.campaignId(), record.workflowId(), step.stepId(),
                    step.agent(), DegradationEvent.SKIPPED, reason, clock.instant()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the skip of " + step.stepId() + " in campaign "
                    + record.campaignId(), e);
        }
    }

    /**
     * Refuses parameters for an agent that the new execution does not run: they would change nothing in its content
     * and yet be stored with the campaign's request, to surprise a later resume.
     */
    private static void refuseParametersOfAgentsNotRun(Map<String, Map<String, Object>> parameters, List<PlanStep> pending) {
        List<InvalidRequestException.Problem> problems = new ArrayList<>();
        for (String agent : parameters.keySet()) {
            boolean runs = pending.stream().anyMatch(s -> agent.equals(s.agent()) || agent.equals(s.stepId())
                    || agent.equals(s.replaces()) || agent.equals(s.fallback()));
            if (!runs) {
                problems.add(new InvalidRequestException.Problem("parameters." + agent, agent + " does not run in this"
                        + " execution, which runs " + String.join(", ", pending.stream().map(PlanStep::stepId).toList())
                        + "; resume from a checkpoint before " + agent + " (or rerun it) to run it with new parameters"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    /** The campaign's request with these agent parameters, validated as a new request is (nothing is written). */
    private ObjectNode withParameters(CampaignRecord record, Map<String, Map<String, Object>> parameters) {
        ObjectNode request = record.request().deepCopy();
        // a request stored before null was refused for an optional field meant its default: read it so
        request.properties().removeIf(field -> field.getValue().isNull());
        ObjectNode agentParameters = request.with("agent_parameters");
        parameters.forEach((agent, params) -> agentParameters.set(agent, JSON.valueToTree(params)));
        try {
            CampaignRequest parsed = parser.parse(request); // unknown agents or bad values are rejected
            if (parameters.getOrDefault("researcher", Map.of()).containsKey("focus")) {
                CampaignRequestParser.refuseResearchFocusWithParallelStrategy(parsed);
            }
        } catch (InvalidRequestException e) {
            // named as the caller sent them: the body's "parameters", not the stored request's "agent_parameters"
            throw new InvalidRequestException(e.problems().stream()
                    .map(p -> new InvalidRequestException.Problem(
                            p.field().replaceFirst("^agent_parameters(?=$|\\.)", "parameters"), p.message()))
                    .toList());
        }
        return request;
    }

    /** Reruns the named agents: resumes with retry from the checkpoint of the earliest of them in the plan. */
    public CreatedCampaign rerun(String tenant, String campaignId, List<String> agents,
                                 Map<String, Map<String, Object>> parameters) {
        CampaignRecord record = campaign(tenant, campaignId);
        if (agents == null || agents.isEmpty()) {
            throw new InvalidRequestException("agents", "name at least one agent to rerun");
        }
        ExecutionPlan plan = PlanSummaries.toPlan(record.planSummary());
        for (int i = 0; i < agents.size(); i++) {
            String agent = agents.get(i);
            boolean planned = plan.steps().stream().anyMatch(s -> rerunNames(s, List.of(agent)));
            if (!planned) {
                throw new InvalidRequestException("agents[" + i + "]", agent + " is not part of this campaign's plan;"
                        + " name a step,"
                        + " its agent or its fallback: " + String.join(", ", plan.steps().stream()
                        .map(CampaignService::rerunNamesOf).toList()));
            }
        }
        List<CheckpointEntry> entries = checkpoints.list(record.workflowId());
        for (PlanStep step : plan.steps()) {
            if (rerunNames(step, agents)) {
                // the step's newest checkpoint, of its run or of its failure: a rerun works on the campaign as it is
                // now, so after a run that failed at the step it retries on that run's state, not an older run's
                CheckpointEntry latest = entries.stream()
                        .filter(e -> step.stepId().equals(e.stepId()) && e.type() != CheckpointType.MANUAL)
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> new CampaignConflictException(step.stepId()
                                + " has no checkpoint yet; resume or redrive the campaign instead"));
                // the first named step in plan order; every other named branch of its Parallel phase runs with it
                Set<String> namedBranches = new LinkedHashSet<>();
                plan.steps().stream().filter(s -> step.parallelGroup() != null
                                && step.parallelGroup().equals(s.parallelGroup()) && !s.stepId().equals(step.stepId())
                                && rerunNames(s, agents))
                        .forEach(s -> namedBranches.add(s.stepId()));
                return resume(tenant, latest.checkpointId(), ResumeAction.RETRY, parameters, namedBranches, true);
            }
        }
        throw new InvalidRequestException("agents", "none of " + agents + " is in the plan");
    }

    /** What a rerun may name to run the step again, for a refusal's message: "editor (fallback basic_qa)". */
    private static String rerunNamesOf(PlanStep step) {
        List<String> also = new ArrayList<>();
        if (!step.agent().equals(step.stepId())) {
            also.add("agent " + step.agent());
        }
        if (step.replaces() != null) {
            also.add("standing in for " + step.replaces());
        }
        if (step.fallback() != null) {
            also.add("fallback " + step.fallback());
        }
        return step.stepId() + (also.isEmpty() ? "" : " (" + String.join(", ", also) + ")");
    }

    /**
     * Whether a rerun naming these agents runs this step again: they name its step id, its agent, the agent it stands
     * in for, or its fallback (a result lists basic_qa where it ran for the editor).
     */
    private static boolean rerunNames(PlanStep step, List<String> agents) {
        return agents.contains(step.agent()) || agents.contains(step.stepId())
                || (step.replaces() != null && agents.contains(step.replaces()))
                || (step.fallback() != null && agents.contains(step.fallback()));
    }

    /** Redrives the campaign's failed execution from its failed state; completed agents are not re-run. */
    public CreatedCampaign redrive(String tenant, String workflowId) {
        CampaignRecord record = campaignOfWorkflow(tenant, workflowId);
        Optional<Execution> found = execution(record);
        if (found.isEmpty()) {
            return redriveUnstarted(record);
        }
        Execution execution = found.get();
        if (execution.status() != WorkflowEngine.Status.FAILED && execution.status() != WorkflowEngine.Status.TIMED_OUT
                && execution.status() != WorkflowEngine.Status.ABORTED) {
            throw new CampaignConflictException("execution of " + workflowId + " is " + execution.status()
                    + "; only FAILED, TIMED_OUT or ABORTED executions can be redriven");
        }
        // as a resume is: a required step still to run whose agent and fallback are down refuses it up front
        ExecutionPlan plan = PlanSummaries.toPlan(record.planSummary());
        Map<String, ServiceHealth> healthNow = health.snapshot();
        planner.refuseIfCheckpointStoreDown(healthNow); // before the first read of a checkpoint
        Set<String> done = checkpoints.latestValid(workflowId).map(c -> doneAt(record, c)).orElse(Set.of());
        planner.refuseIfBlocked(remainingPlan(plan, plan.steps().stream().filter(s -> !done.contains(s.stepId()))
                .toList()), healthNow);
        claimStart(record);
        try {
            engine.redriveExecution(execution.executionArn());
        } catch (IllegalStateException e) {
            // Step Functions refused (ExecutionNotRedrivable: redrive window passed, ...): the state, not a fault
            CampaignConflictException refused = new CampaignConflictException("execution of " + workflowId
                    + " cannot be redriven: " + e.getMessage());
            releaseStart(record, refused);
            throw refused;
        } catch (RuntimeException e) {
            releaseStart(record, e);
            throw e;
        }
        campaigns.update(record.campaignId(), r -> r.withStatus("running"));
        return new CreatedCampaign(record.campaignId(), record.workflowId(), execution.executionArn(), "running",
                record.degradationLevel(), record.limitations(), false);
    }

    /**
     * A redrive of a campaign whose execution does not exist: another request is starting it (a 409, as for any
     * concurrent recovery), or the request that was starting it stopped first (a crash, kill -9). A create's first
     * execution is then started now, as a replay of the create would; a resume's cannot be (its action and checkpoint
     * are not kept), so the answer says to resume again.
     */
    private CreatedCampaign redriveUnstarted(CampaignRecord record) {
        if (startLeaseHeld(record)) {
            throw new CampaignConflictException("campaign " + record.campaignId() + " is being started, resumed or"
                    + " redriven by another request; wait for that execution, then try again if still needed");
        }
        if (neverStarted(record)) {
            return start(record, PlanSummaries.toPlan(record.planSummary()), null, record.workflowId(), false);
        }
        throw new CampaignConflictException(neverStartedResume(record));
    }

    private static String neverStartedResume(CampaignRecord record) {
        return "execution " + record.executionArn().substring(record.executionArn().lastIndexOf(':') + 1)
                + ", which a resume of campaign " + record.campaignId() + " was starting, never started: the request"
                + " starting it stopped first; resume the campaign from one of its checkpoints";
    }

    /** Whether a create, resume or redrive claimed the campaign's start less than {@link #START_LEASE} ago. */
    private boolean startLeaseHeld(CampaignRecord record) {
        return STARTING.equals(record.status()) && record.updatedAt() != null
                && record.updatedAt().plus(START_LEASE).isAfter(clock.instant());
    }

    public List<AgentPerformance> performance(String tenant, String campaignId) {
        campaign(tenant, campaignId);
        return performance.forCampaign(campaignId);
    }

    // ---- system status ----

    public ObjectNode healthStatus() {
        Map<String, ServiceHealth> snapshot = health.snapshot();
        ObjectNode json = JSON.createObjectNode();
        json.put("degradation_level", assessor.assess(snapshot).wireName());
        ArrayNode services = json.putArray("services");
        // every agent and the checkpoint store, also before the first check or failure wrote a record of it: with
        // none, planning takes it as healthy, and so does this answer (last_check null: not checked yet)
        Map<String, ServiceHealth> all = new TreeMap<>(snapshot);
        List<String> known = new ArrayList<>();
        for (AgentName agent : AgentName.values()) {
            known.add(agent.wireName());
        }
        known.add(HealthService.CHECKPOINT_STORE);
        known.forEach(name -> all.putIfAbsent(name, new ServiceHealth(name, HealthStatus.HEALTHY, 0, null, null, 0)));
        all.values().forEach(h -> {
            ObjectNode s = services.addObject();
            s.put("service_name", h.serviceName());
            s.put("health_status", assessor.effectiveStatus(h).wireName());
            s.put("failure_count", h.failureCount());
            s.put("last_check", h.lastCheck() == null ? null : h.lastCheck().toString());
            s.put("recovery_time", h.recoveryTime() == null ? null : h.recoveryTime().toString());
        });
        json.put("checked_at", clock.instant().toString());
        return json;
    }

    public ObjectNode degradationStatus() {
        Map<String, ServiceHealth> snapshot = health.snapshot();
        DegradationLevel level = assessor.assess(snapshot);
        ObjectNode json = JSON.createObjectNode();
        json.put("degradation_level", level.wireName());
        ArrayNode degraded = json.putArray("degraded_services");
        // statuses as planning counts them: a half-open circuit is critical (campaigns are admitted), not unavailable
        snapshot.values().stream().filter(h -> assessor.effectiveStatus(h) != HealthStatus.HEALTHY)
                .forEach(h -> degraded.addObject().put("service_name", h.serviceName())
                        .put("health_status", assessor.effectiveStatus(h).wireName())
                        .put("recovery_time", h.recoveryTime() == null ? null : h.recoveryTime().toString()));
        // by content type: with the researcher and basic_research down a blog_post is refused, an email is not
        ArrayNode refused = JSON.createArrayNode();
        for (String contentType : MinimalViableWorkflow.CONTENT_TYPES) {
            planner.refusalFor(contentType, snapshot).ifPresent(r -> refused.addObject()
                    .put("content_type", contentType)
                    .put("reason", r.reason())
                    .put("retry_after_seconds", r.retryAfterSeconds()));
        }
        json.put("accepting_campaigns", refused.size() < MinimalViableWorkflow.CONTENT_TYPES.size());
        json.set("refused_content_types", refused);
        return json;
    }

    // ---- helpers ----

    /** Deterministic per tenant and campaign id, so a retried create finds the same workflow. */
    static String workflowId(String tenant, String campaignId) {
        return "wf-" + sha256((tenant + "/" + campaignId).getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }

    private static byte[] canonical(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return JSON.writer().with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(JSON.treeToValue(tree, Object.class));
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body", "not valid JSON: " + e.getMessage());
        }
    }

    private static JsonNode parseTree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body", "not valid JSON: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
