package com.campaignflow.statemachine.compiler;

import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.campaignflow.statemachine.plan.PlanStep;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compiles an {@link ExecutionPlan} into an Amazon States Language definition (JSONPath query language).
 *
 * <p>Shape, per docs/contracts.md:
 * <ul>
 *   <li>one {@code Task} per step, named by its step id, invoking the agent's Lambda through
 *       {@code arn:aws:states:::lambda:invoke} with the agent event as {@code Payload}; its {@code ResultSelector}
 *       keeps the six fields of the agent result (so content can never leak into the state) at
 *       {@code $.results.<step_id>};</li>
 *   <li>{@code Retry} on transient Lambda service errors, and on the agent function's report that a store did not
 *       answer ({@link #STORE_UNAVAILABLE_ERROR}), so a short S3 or DynamoDB outage does not degrade the campaign;
 *       an agent's own failure is not retried;</li>
 *   <li>a step with a fallback catches {@code States.ALL} into {@code $.errors.<step_id>} and goes to
 *       {@code <step_id>_fallback}, a Task of the fallback agent writing to the same {@code $.results.<step_id>};</li>
 *   <li>an optional step ({@code required=false}) outside a Parallel never fails the execution: when it and its
 *       fallback (if any) fail, the error is kept at {@code $.errors.<step_id>} (or {@code <step_id>_fallback}) and
 *       the workflow goes on through the Pass state {@code <step_id>_skipped}, which puts a {@code "status": "skipped"}
 *       result without checkpoint at {@code $.results.<step_id>} (the later steps count the step as failed and done
 *       from it), to the next step, or ends in the Succeed state {@code <step_id>_skipped} when it was last;</li>
 *   <li>a required step's last resort has no Catch: its failure fails the execution, which a redrive resumes at
 *       that state;</li>
 *   <li>consecutive steps sharing a {@code parallelGroup} become one {@code Parallel} state named after the group,
 *       one branch per step; inside a branch a required step's failure without fallback fails the branch and the
 *       Parallel (no Retry/Catch on the Parallel: the Tasks already retry, and a redrive re-runs the failed branch
 *       only), while an optional step's last failure ends its branch in the Pass state {@code <step_id>_skipped},
 *       which puts a {@code "status": "skipped"} result without checkpoint at {@code $.results.<step_id>}. Its
 *       {@code ResultSelector} rebuilds {@code $.results} from the branch outputs: earlier steps' entries from the
 *       first branch, each branch's own entry from that branch. Branch errors stay in the branch (the fallback agent
 *       received them).</li>
 * </ul>
 * Pass states only on failure paths: every transition on a path without failures is an agent run (cost is per transition). The output is deterministic and
 * pretty-printed with a fixed key order, so it can be committed and compared byte for byte.
 */
public final class PlanCompiler {

    /** Agents with a Lambda function, per docs/contracts.md. */
    public static final Set<String> AGENTS = Set.of(
            "planner", "researcher", "writer", "editor", "seo", "distribution", "basic_research", "basic_qa");

    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final List<String> TRANSIENT_LAMBDA_ERRORS = List.of(
            "Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
    /**
     * The error an agent function fails with when the checkpoint bucket or a table did not answer (the class name of
     * the functions module's StoreUnavailableException, which the Lambda Java runtime reports as errorType). The
     * agent did its work; only storing it failed, so the step is retried before its Catch degrades the campaign.
     */
    public static final String STORE_UNAVAILABLE_ERROR = "com.campaignflow.functions.ports.StoreUnavailableException";
    /** The agent result fields kept in the state (docs/contracts.md "Agent result"). */
    static final List<String> RESULT_FIELDS = List.of(
            "step_id", "agent", "status", "checkpoint_id", "quality_score", "summary");

    // Step ids become state names and JSONPath member names ($.results.<step_id>): keep them plain identifiers.
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String FALLBACK_SUFFIX = "_fallback";
    private static final String SKIPPED_SUFFIX = "_skipped";
    /** The status of the result an optional step left by a failure has inside a Parallel branch. */
    public static final String SKIPPED_STATUS = "skipped";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    /** Compiles the plan; throws {@link InvalidPlanException} naming the step and field when it cannot. */
    public String compile(ExecutionPlan plan) {
        return compile(plan, List.of());
    }

    /**
     * Compiles a plan whose executions start with the results of {@code carriedStepIds} in their input's
     * {@code results} (a resume's seed: the steps done before it). A Parallel state's result replaces
     * {@code $.results}, so it must name every result to keep, these included.
     */
    public String compile(ExecutionPlan plan, Collection<String> carriedStepIds) {
        List<Segment> segments = segments(validate(plan));
        ObjectNode root = JSON.objectNode();
        root.put("Comment", "campaignflow execution plan: "
                + segments.stream().map(Segment::describe).collect(Collectors.joining(" -> "))
                + ". Generated by PlanCompiler from an ExecutionPlan; do not edit.");
        root.put("StartAt", segments.getFirst().stateName());
        ObjectNode states = root.putObject("States");
        List<String> earlierStepIds = new ArrayList<>(carriedStepIds);
        for (int i = 0; i < segments.size(); i++) {
            String next = i + 1 < segments.size() ? segments.get(i + 1).stateName() : null;
            Segment segment = segments.get(i);
            if (segment.group() == null) {
                addStep(states, segment.steps().getFirst(), next, true);
            } else {
                states.set(segment.group(), parallel(segment, earlierStepIds, next));
            }
            segment.steps().forEach(s -> earlierStepIds.add(s.stepId()));
        }
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a JSON tree", e);
        }
    }

    /** The first 16 hex characters of the SHA-256 of the definition; plan state machines are {@code campaignflow-plan-<hash>}. */
    public static String definitionHash(String asl) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(asl.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The Lambda function placeholder of an agent: {@code ${BasicQaFunctionArn}} for {@code basic_qa}. */
    public static String functionPlaceholder(String agent) {
        StringBuilder logicalId = new StringBuilder();
        for (String part : agent.split("_")) {
            logicalId.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return "${" + logicalId + "FunctionArn}";
    }

    // ---- states

    /**
     * Adds the step's Task (and its fallback Task, and the Succeed state ending a skipped last step) to {@code states}.
     * {@code outsideParallel}: there an optional step's failure continues with {@code next}; inside a branch it
     * ends the branch with a skipped result, which the Parallel's ResultSelector needs to find.
     */
    private void addStep(ObjectNode states, PlanStep step, String next, boolean outsideParallel) {
        String id = step.stepId();
        boolean skippable = !step.required();
        // a skipped step leaves its result behind (the later steps read the workflow's progress from the results), so
        // the failure goes through <id>_skipped, except at the end of the workflow, where nothing reads it
        String afterFailure = next != null && !outsideParallel ? next : id + SKIPPED_SUFFIX;

        ObjectNode primary = task(step, step.agent(), step.replaces(), null);
        if (step.fallback() != null) {
            primary.set("Catch", catchAll("$.errors." + id, id + FALLBACK_SUFFIX));
        } else if (skippable) {
            primary.set("Catch", catchAll("$.errors." + id, afterFailure));
        }
        transition(primary, next);
        states.set(id, primary);

        if (step.fallback() != null) {
            String primaryAgent = step.replaces() != null ? step.replaces() : step.agent();
            ObjectNode fallback = task(step, step.fallback(), primaryAgent, "$.errors." + id);
            if (skippable) {
                fallback.set("Catch", catchAll("$.errors." + id + FALLBACK_SUFFIX, afterFailure));
            }
            transition(fallback, next);
            states.set(id + FALLBACK_SUFFIX, fallback);
        }
        if (skippable && next == null && outsideParallel) {
            ObjectNode succeed = states.putObject(id + SKIPPED_SUFFIX);
            succeed.put("Type", "Succeed");
            succeed.put("Comment", "The optional step " + id + " failed; the campaign completes without it.");
        } else if (skippable && next == null) {
            states.set(id + SKIPPED_SUFFIX, skippedResult(step, "the other branches and the campaign go on without it.",
                    null));
        } else if (skippable && outsideParallel) {
            states.set(id + SKIPPED_SUFFIX, skippedResult(step, "the campaign goes on without it.", next));
        }
    }

    /**
     * Records that an optional step failed and was skipped, as its result (which references no checkpoint), then
     * goes on to {@code next}, or ends the Parallel branch when null. The steps after it read it there: their
     * checkpoints list the step among the failed agents and count it in the progress.
     */
    private static ObjectNode skippedResult(PlanStep step, String goesOn, String next) {
        ObjectNode pass = JSON.objectNode();
        pass.put("Type", "Pass");
        pass.put("Comment", "The optional step " + step.stepId() + " failed; " + goesOn);
        ObjectNode result = pass.putObject("Result");
        result.put("step_id", step.stepId());
        result.put("agent", step.agent());
        result.put("status", SKIPPED_STATUS);
        result.putNull("checkpoint_id");
        result.put("quality_score", 0);
        result.put("summary", step.stepId() + " failed and was skipped; see the campaign's degradation events");
        pass.put("ResultPath", "$.results." + step.stepId());
        transition(pass, next);
        return pass;
    }

    /** A Lambda Task running {@code agent} for {@code step}; {@code errorPath} is where a fallback finds the Catch's error. */
    private ObjectNode task(PlanStep step, String agent, String replaces, String errorPath) {
        ObjectNode task = JSON.objectNode();
        task.put("Type", "Task");
        task.put("Resource", LAMBDA_INVOKE);
        ObjectNode parameters = task.putObject("Parameters");
        parameters.put("FunctionName", functionPlaceholder(agent));
        ObjectNode payload = parameters.putObject("Payload");
        payload.put("workflow_id.$", "$.workflow_id");
        payload.put("campaign_id.$", "$.campaign_id");
        payload.put("execution_id.$", "$$.Execution.Name");
        payload.put("step_id", step.stepId());
        payload.put("agent", agent);
        payload.put("replaces", replaces);
        payload.set("parameters", staticParameters(step.parameters()));
        payload.put("results.$", "$.results");
        if (errorPath == null) {
            payload.putNull("error");
        } else {
            payload.put("error.$", errorPath);
        }
        ObjectNode selector = task.putObject("ResultSelector");
        RESULT_FIELDS.forEach(field -> selector.put(field + ".$", "$.Payload." + field));
        task.put("ResultPath", "$.results." + step.stepId());
        ArrayNode retriers = task.putArray("Retry");
        retrier(retriers, TRANSIENT_LAMBDA_ERRORS, 1);
        // longer than the Lambda retrier: S3 and DynamoDB throttling and blips last seconds (waits up to 2, 4, 8 s)
        retrier(retriers, List.of(STORE_UNAVAILABLE_ERROR), 2);
        return task;
    }

    private static void retrier(ArrayNode retriers, List<String> errors, int intervalSeconds) {
        ObjectNode retry = retriers.addObject();
        ArrayNode errorEquals = retry.putArray("ErrorEquals");
        errors.forEach(errorEquals::add);
        retry.put("IntervalSeconds", intervalSeconds);
        retry.put("MaxAttempts", 3);
        retry.put("BackoffRate", 2.0);
        retry.put("MaxDelaySeconds", 10);
        retry.put("JitterStrategy", "FULL");
    }

    private ObjectNode parallel(Segment segment, List<String> earlierStepIds, String next) {
        ObjectNode parallel = JSON.objectNode();
        parallel.put("Type", "Parallel");
        parallel.put("Comment", "Runs " + segment.steps().stream().map(PlanStep::stepId).collect(Collectors.joining(", "))
                + " side by side and gathers their results into $.results.");
        ArrayNode branches = parallel.putArray("Branches");
        ObjectNode selector = JSON.objectNode();
        // Each branch outputs the whole state: earlier results are the same in every branch, so take them from the first.
        earlierStepIds.forEach(id -> selector.put(id + ".$", "$[0].results." + id));
        for (int i = 0; i < segment.steps().size(); i++) {
            PlanStep step = segment.steps().get(i);
            ObjectNode branch = branches.addObject();
            branch.put("StartAt", step.stepId());
            addStep(branch.putObject("States"), step, null, false);
            selector.put(step.stepId() + ".$", "$[" + i + "].results." + step.stepId());
        }
        parallel.set("ResultSelector", selector);
        parallel.put("ResultPath", "$.results");
        transition(parallel, next);
        return parallel;
    }

    private static ArrayNode catchAll(String resultPath, String next) {
        ArrayNode catchers = JSON.arrayNode();
        ObjectNode catcher = catchers.addObject();
        catcher.putArray("ErrorEquals").add("States.ALL");
        catcher.put("ResultPath", resultPath);
        catcher.put("Next", next);
        return catchers;
    }

    private static void transition(ObjectNode state, String next) {
        if (next == null) {
            state.put("End", true);
        } else {
            state.put("Next", next);
        }
    }

    /** Static step parameters, keys sorted at every level so the definition is deterministic. */
    private static JsonNode staticParameters(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            ObjectNode node = JSON.objectNode();
            sorted.forEach((k, v) -> node.set(k, staticParameters(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = JSON.arrayNode();
            list.forEach(v -> node.add(staticParameters(v)));
            return node;
        }
        return MAPPER.valueToTree(value);
    }

    // ---- plan structure and validation

    /** One top-level state: a single step, or the steps of one parallel group. */
    private record Segment(String group, List<PlanStep> steps) {
        String stateName() {
            return group != null ? group : steps.getFirst().stepId();
        }

        String describe() {
            return group == null ? steps.getFirst().stepId()
                    : steps.stream().map(PlanStep::stepId).collect(Collectors.joining(" | ", "[", "]"));
        }
    }

    private static List<Segment> segments(List<PlanStep> steps) {
        List<Segment> segments = new ArrayList<>();
        for (PlanStep step : steps) {
            Segment last = segments.isEmpty() ? null : segments.getLast();
            if (step.parallelGroup() != null && last != null && step.parallelGroup().equals(last.group())) {
                last.steps().add(step);
            } else {
                segments.add(new Segment(step.parallelGroup(), new ArrayList<>(List.of(step))));
            }
        }
        return segments;
    }

    private static List<PlanStep> validate(ExecutionPlan plan) {
        if (plan == null || plan.steps().isEmpty()) {
            throw new InvalidPlanException("plan has no steps");
        }
        Set<String> stateNames = new HashSet<>();
        Set<String> earlier = new HashSet<>();
        Set<String> closedGroups = new HashSet<>();
        Set<String> skippableSoFar = new LinkedHashSet<>();
        String currentGroup = null;
        Set<String> currentGroupSteps = new HashSet<>();
        for (PlanStep step : plan.steps()) {
            String id = step.stepId();
            if (id == null || !NAME.matcher(id).matches()) {
                throw new InvalidPlanException("step " + id + ": stepId must match " + NAME.pattern());
            }
            String where = "step " + id + ": ";
            if (!AGENTS.contains(step.agent())) {
                throw new InvalidPlanException(where + "agent must be one of " + sorted(AGENTS) + ", got " + step.agent());
            }
            if (step.fallback() != null && (!AGENTS.contains(step.fallback()) || step.fallback().equals(step.agent()))) {
                throw new InvalidPlanException(where + "fallback must be another agent of " + sorted(AGENTS)
                        + ", got " + step.fallback());
            }
            if (step.replaces() != null && (!AGENTS.contains(step.replaces()) || step.replaces().equals(step.agent()))) {
                throw new InvalidPlanException(where + "replaces must be another agent of " + sorted(AGENTS)
                        + ", got " + step.replaces());
            }
            String group = step.parallelGroup();
            if (!Objects.equals(group, currentGroup)) {
                if (currentGroup != null) {
                    closedGroups.add(currentGroup);
                }
                if (group != null) {
                    if (!NAME.matcher(group).matches()) {
                        throw new InvalidPlanException(where + "parallelGroup must match " + NAME.pattern());
                    }
                    if (closedGroups.contains(group)) {
                        throw new InvalidPlanException(where + "the steps of parallel group " + group
                                + " must be consecutive in the plan");
                    }
                    if (!skippableSoFar.isEmpty()) {
                        // The Parallel's ResultSelector reads every earlier result; a skipped one would be missing.
                        throw new InvalidPlanException(where + "parallel group " + group
                                + " cannot follow optional steps that may be skipped: " + skippableSoFar);
                    }
                    registerStateName(stateNames, group, where + "parallelGroup");
                }
                currentGroup = group;
                currentGroupSteps = new HashSet<>();
            }
            for (String dependency : step.dependsOn()) {
                if (currentGroupSteps.contains(dependency)) {
                    throw new InvalidPlanException(where + "dependsOn " + dependency
                            + ", which runs in the same parallel group " + group);
                }
                if (!earlier.contains(dependency)) {
                    throw new InvalidPlanException(where + "dependsOn " + dependency
                            + ", which is not an earlier step of the plan");
                }
            }
            registerStateName(stateNames, id, where + "stepId");
            if (step.fallback() != null) {
                registerStateName(stateNames, id + FALLBACK_SUFFIX, where + "fallback state");
            }
            if (group == null && !step.required()) {
                registerStateName(stateNames, id + SKIPPED_SUFFIX, where + "skip state");
                skippableSoFar.add(id);
            }
            checkParameterKeys(where + "parameters", step.parameters());
            earlier.add(id);
            if (group != null) {
                currentGroupSteps.add(id);
            }
        }
        return plan.steps();
    }

    private static void registerStateName(Set<String> names, String name, String what) {
        if (!names.add(name)) {
            throw new InvalidPlanException(what + ": state name " + name + " is used twice in the plan");
        }
    }

    /** Step Functions evaluates a Parameters key ending in ".$" as a path: static parameters must not have one. */
    private static void checkParameterKeys(String where, Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.endsWith(".$")) {
                    throw new InvalidPlanException(where + ": key " + key
                            + " ends in .$, which Step Functions would evaluate as a path");
                }
                checkParameterKeys(where + "." + key, e.getValue());
            }
        } else if (value instanceof List<?> list) {
            list.forEach(v -> checkParameterKeys(where, v));
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }
}
