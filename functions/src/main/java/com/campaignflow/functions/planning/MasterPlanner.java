package com.campaignflow.functions.planning;

import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.domain.DegradationLevel;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import com.campaignflow.functions.health.HealthService;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.campaignflow.statemachine.plan.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a campaign request and the current health of the agents into an {@link ExecutionPlan}: the content type's
 * {@link MinimalViableWorkflow} in running order, one step per agent (three parallel researchers for the
 * {@code parallel} strategy), each with its fallback.
 *
 * <p>Per agent, from its health (see {@link DegradationAssessor#status}):
 * <ul>
 *   <li>not unavailable: the agent runs, with its fallback behind it when the fallback is not unavailable itself;</li>
 *   <li>unavailable (circuit open) with a usable fallback: the fallback is planned in its place up front
 *       ({@code replaces} names the agent), and the user is told;</li>
 *   <li>unavailable, no usable fallback, optional: the step is left out, and the user is told;</li>
 *   <li>unavailable, no usable fallback, required: the campaign is refused with {@link CampaignRefusedException},
 *       retry after the latest recovery time of the blocking agents.</li>
 * </ul>
 */
public final class MasterPlanner {

    static final String RESEARCH_GROUP = "research";
    /** Parallel research: one researcher per focus, steps researcher_a, researcher_b, researcher_c. */
    static final List<String> RESEARCH_FOCUSES = List.of("market", "audience", "competitors");
    /** Retry-After when an unavailable agent's record has no recovery estimate. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    private final DegradationAssessor assessor;

    public MasterPlanner(DegradationAssessor assessor) {
        this.assessor = assessor;
    }

    public MasterPlanner() {
        this(new DegradationAssessor());
    }

    /** Plans the campaign; {@code health} maps agent wire names to their records (absent = healthy). */
    public ExecutionPlan plan(CampaignRequest request, Map<String, ServiceHealth> health) {
        refuseIfCheckpointStoreDown(health);
        MinimalViableWorkflow workflow = MinimalViableWorkflow.forContentType(request.contentType());
        Strategy strategy = Strategy.fromWireName(request.strategy());
        DegradationLevel level = assessor.assess(health);

        List<PlanStep> steps = new ArrayList<>();
        List<String> limitations = new ArrayList<>();
        List<MinimalViableWorkflow.Role> blocking = new ArrayList<>();
        boolean reduced = false; // a step replaced or left out: the minimal workflow is what runs
        List<String> previous = List.of();
        for (MinimalViableWorkflow.Role role : workflow.roles()) {
            AgentName primary = role.agent();
            Optional<AgentName> fallback = role.fallback().filter(f -> usable(health, f));
            AgentName runs;
            String replaces = null;
            if (usable(health, primary)) {
                runs = primary;
                role.fallback().filter(f -> fallback.isEmpty()).ifPresent(f -> limitations.add(
                        "The " + primary.wireName() + " runs without its " + f.wireName() + " fallback, which is"
                                + " unavailable" + recovery(health, f) + "."));
                HealthStatus status = assessor.status(health, primary);
                if (status != HealthStatus.HEALTHY) {
                    // the level says "degraded": say which agent and what stands behind it
                    limitations.add("The " + primary.wireName() + " is " + status.wireName()
                            + failures(health, primary) + fallback.map(f -> "; " + f.wireName()
                            + " takes over if it fails.").orElse(role.required() ? "; the campaign fails if it fails."
                            : "; its step is skipped if it fails."));
                }
            } else if (fallback.isPresent()) {
                runs = fallback.get();
                replaces = primary.wireName();
                reduced = true;
                limitations.add("The " + primary.wireName() + " is unavailable" + recovery(health, primary)
                        + "; " + fallback.get().wireName() + " (rule-based) does its work instead.");
            } else if (!role.required()) {
                limitations.add("The " + primary.wireName() + " step is left out: the " + primary.wireName()
                        + " is unavailable" + recovery(health, primary) + " and " + campaignOf(workflow)
                        + " can be completed without it.");
                reduced = true;
                continue;
            } else {
                blocking.add(role);
                continue;
            }
            String nextFallback = runs == primary ? fallback.map(AgentName::wireName).orElse(null) : null;
            List<PlanStep> added = primary == AgentName.RESEARCHER && strategy == Strategy.PARALLEL
                    ? parallelResearch(request, runs, nextFallback, role.required(), replaces, previous)
                    : List.of(new PlanStep(primary.wireName(), runs.wireName(), previous, nextFallback,
                            role.required(), null, parameters(request, primary, runs, Map.of()), replaces));
            steps.addAll(added);
            previous = added.stream().map(PlanStep::stepId).toList();
        }
        if (!blocking.isEmpty()) {
            throw refusal(workflow, health, blocking);
        }
        if (reduced) {
            limitations.add(workflow.limitations());
        }
        return new ExecutionPlan(workflow.contentType(), strategy, steps, level.wireName(),
                workflow.qualityThreshold(), limitations);
    }

    /**
     * The refusal a new campaign of {@code contentType} would get now ({@link #plan} would throw it), if any: for the
     * degradation status, which says which content types are refused while others are still accepted.
     */
    public Optional<CampaignRefusedException> refusalFor(String contentType, Map<String, ServiceHealth> health) {
        try {
            refuseIfCheckpointStoreDown(health);
        } catch (CampaignRefusedException e) {
            return Optional.of(e);
        }
        MinimalViableWorkflow workflow = MinimalViableWorkflow.forContentType(contentType);
        List<MinimalViableWorkflow.Role> blocking = workflow.roles().stream()
                .filter(role -> role.required() && !usable(health, role.agent())
                        && role.fallback().filter(f -> usable(health, f)).isEmpty())
                .toList();
        return blocking.isEmpty() ? Optional.empty() : Optional.of(refusal(workflow, health, blocking));
    }

    /**
     * Refuses to run these steps now (as {@link #plan} refuses a new campaign, with the reason and when to retry)
     * when a required one can run neither its agent nor its fallback: a resume would start only to fail there.
     */
    public void refuseIfBlocked(ExecutionPlan steps, Map<String, ServiceHealth> health) {
        refuseIfCheckpointStoreDown(health);
        MinimalViableWorkflow workflow = MinimalViableWorkflow.forContentType(steps.contentType());
        List<MinimalViableWorkflow.Role> blocking = new ArrayList<>();
        for (MinimalViableWorkflow.Role role : workflow.roles()) {
            String primary = role.agent().wireName();
            // what the stored step will run, not what the role could: a step planned with basic_research in the
            // researcher's place (and no fallback left) is blocked while basic_research is down, whatever the researcher
            boolean blocked = steps.steps().stream().anyMatch(s -> s.required()
                    && (primary.equals(s.agent()) || primary.equals(s.replaces())) && !runnable(health, s));
            if (blocked) {
                blocking.add(role);
            }
        }
        if (!blocking.isEmpty()) {
            throw refusal(workflow, health, blocking);
        }
    }

    private List<PlanStep> parallelResearch(CampaignRequest request, AgentName runs, String fallback, boolean required,
                                            String replaces, List<String> previous) {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < RESEARCH_FOCUSES.size(); i++) {
            String stepId = AgentName.RESEARCHER.wireName() + "_" + (char) ('a' + i);
            // The focus is what tells the three researchers apart: it wins over a focus from the request.
            Map<String, Object> parameters = parameters(request, AgentName.RESEARCHER, runs,
                    Map.of("focus", RESEARCH_FOCUSES.get(i)));
            steps.add(new PlanStep(stepId, runs.wireName(), previous, fallback, required, RESEARCH_GROUP, parameters,
                    replaces));
        }
        return steps;
    }

    /**
     * Only what the plan itself decides (e.g. a researcher's focus) goes into the definition; the request's
     * agent_parameters are read by the agent runtime from the campaign record, so campaigns with different
     * parameters still share one state machine.
     */
    private static Map<String, Object> parameters(CampaignRequest request, AgentName role, AgentName runs,
                                                  Map<String, Object> planned) {
        return new HashMap<>(planned);
    }

    /** " (3 recent failures)", or nothing when the record counts none. */
    private static String failures(Map<String, ServiceHealth> health, AgentName agent) {
        int count = Optional.ofNullable(health.get(agent.wireName())).map(ServiceHealth::failureCount).orElse(0);
        return count == 0 ? "" : count == 1 ? " (1 recent failure)" : " (" + count + " recent failures)";
    }

    /** Whether the step's agent, or else its fallback, can run now. */
    private boolean runnable(Map<String, ServiceHealth> health, PlanStep step) {
        return usable(health, AgentName.fromWireName(step.agent()))
                || (step.fallback() != null && usable(health, AgentName.fromWireName(step.fallback())));
    }

    private boolean usable(Map<String, ServiceHealth> health, AgentName agent) {
        return assessor.status(health, agent) != HealthStatus.UNAVAILABLE;
    }

    private String recovery(Map<String, ServiceHealth> health, AgentName agent) {
        return Optional.ofNullable(health.get(agent.wireName())).map(ServiceHealth::recoveryTime)
                .map(t -> " (expected back after " + t.truncatedTo(ChronoUnit.SECONDS) + ")").orElse("");
    }

    /**
     * A role unblocks as soon as its agent or its fallback recovers (the earlier recovery); the campaign as soon as
     * every blocking role has (the latest of those).
     */
    private CampaignRefusedException refusal(MinimalViableWorkflow workflow, Map<String, ServiceHealth> health,
                                             List<MinimalViableWorkflow.Role> blocking) {
        Instant now = assessor.clock().instant();
        long retryAfter = 1;
        List<String> agents = new ArrayList<>();
        List<String> needs = new ArrayList<>();
        for (MinimalViableWorkflow.Role role : blocking) {
            long roleRetryAfter = secondsUntilRecovery(health, role.agent(), now);
            agents.add(role.agent().wireName());
            if (role.fallback().isPresent()) {
                AgentName fallback = role.fallback().get();
                roleRetryAfter = Math.min(roleRetryAfter, secondsUntilRecovery(health, fallback, now));
                agents.add(fallback.wireName());
                needs.add("the " + role.agent().wireName() + " or its fallback " + fallback.wireName());
            } else {
                needs.add("the " + role.agent().wireName());
            }
            retryAfter = Math.max(retryAfter, roleRetryAfter);
        }
        String campaign = campaignOf(workflow);
        String reason = Character.toUpperCase(campaign.charAt(0)) + campaign.substring(1) + " cannot run now: it"
                + " needs " + String.join(" and ", needs) + ", and " + (agents.size() == 1 ? "it is" : "they are")
                + " unavailable. Try again in " + retryAfter + " seconds.";
        return new CampaignRefusedException(reason, retryAfter, agents);
    }

    /**
     * Every step ends with a checkpoint: while the store's circuit is open, a campaign would fail at its first step
     * (and a resume or redrive at its first read of one).
     */
    public void refuseIfCheckpointStoreDown(Map<String, ServiceHealth> health) {
        if (assessor.checkpointStoreUnavailable(health)) {
            long retryAfter = secondsUntilRecovery(health, HealthService.CHECKPOINT_STORE, assessor.clock().instant());
            ServiceHealth store = health.get(HealthService.CHECKPOINT_STORE);
            throw new CampaignRefusedException("No campaign can run now: every agent step ends with a checkpoint, and"
                    + " the checkpoint store is unavailable (" + store.failureCount() + " recent failures). Try again in "
                    + retryAfter + " seconds.", retryAfter, List.of(HealthService.CHECKPOINT_STORE));
        }
    }

    /** "a blog_post campaign", "an email campaign". */
    private static String campaignOf(MinimalViableWorkflow workflow) {
        String type = workflow.contentType();
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type + " campaign";
    }

    private static long secondsUntilRecovery(Map<String, ServiceHealth> health, AgentName agent, Instant now) {
        return secondsUntilRecovery(health, agent.wireName(), now);
    }

    private static long secondsUntilRecovery(Map<String, ServiceHealth> health, String service, Instant now) {
        Instant recovery = Optional.ofNullable(health.get(service)).map(ServiceHealth::recoveryTime)
                .orElse(now.plus(DEFAULT_RETRY_AFTER));
        // Round up: retrying a moment before the breaker half-opens would be refused again.
        return Math.max(1, (Duration.between(now, recovery).toMillis() + 999) / 1000);
    }
}
