package com.campaignflow.functions.orchestration;

import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.statemachine.plan.DefaultPlans;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import com.campaignflow.statemachine.plan.ExecutionPlan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the state machine that runs a plan. The default plan runs on the deployed state machine
 * ({@code STATE_MACHINE_ARN}); any other plan runs on a state machine named by the hash of its deployable definition
 * ({@code STATE_MACHINE_PREFIX} + hash), created on first use and reused afterwards. Definitions come from the
 * compiler with {@code ${<LogicalId>Arn}} placeholders, replaced here with the function ARNs of
 * {@code AGENT_FUNCTION_ARNS} ({@code {"PlannerFunctionArn": "arn:...", ...}}). The hash is taken after that
 * replacement: two stacks in one account and region, or a stack deployed again after a delete (new function ARNs),
 * get machines of their own instead of finding another stack's machine under the same name.
 */
public final class StateMachineCatalog {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

    private final WorkflowEngine engine;
    private final PlanCompiler compiler;
    private final String defaultStateMachineArn;
    private final String defaultDefinition;
    private final String namePrefix;
    private final Map<String, String> functionArns;
    private final Map<String, String> arnByName = new ConcurrentHashMap<>();

    public StateMachineCatalog(WorkflowEngine engine, PlanCompiler compiler, String defaultStateMachineArn,
                               String namePrefix, Map<String, String> functionArns) {
        this.engine = engine;
        this.compiler = compiler;
        this.defaultStateMachineArn = defaultStateMachineArn;
        this.defaultDefinition = compiler.compile(DefaultPlans.defaultPlan());
        this.namePrefix = namePrefix;
        this.functionArns = Map.copyOf(functionArns);
    }

    /** Parses {@code AGENT_FUNCTION_ARNS}: a JSON object from placeholder name to function ARN. */
    public static Map<String, String> parseFunctionArns(String json) {
        Map<String, String> arns = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return arns;
        }
        try {
            JsonNode tree = new ObjectMapper().readTree(json);
            if (!tree.isObject()) {
                throw new IllegalStateException("AGENT_FUNCTION_ARNS must be a JSON object of Name: arn");
            }
            tree.properties().forEach(e -> arns.put(e.getKey(), e.getValue().asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("AGENT_FUNCTION_ARNS is not valid JSON: " + e.getMessage(), e);
        }
        return arns;
    }

    /** The ARN of the state machine that runs {@code plan}, creating it if needed. */
    public String stateMachineFor(ExecutionPlan plan) {
        return stateMachineFor(plan, List.of());
    }

    /**
     * The ARN of the state machine that runs {@code plan} with the results of {@code carriedStepIds} in its input (a
     * resume's seed; see {@link PlanCompiler#compile(ExecutionPlan, java.util.Collection)}), creating it if needed.
     */
    public String stateMachineFor(ExecutionPlan plan, Collection<String> carriedStepIds) {
        String definition = compiler.compile(plan, carriedStepIds);
        if (definition.equals(defaultDefinition) && defaultStateMachineArn != null) {
            return defaultStateMachineArn;
        }
        String deployable = substitute(definition);
        String name = namePrefix + PlanCompiler.definitionHash(deployable);
        return arnByName.computeIfAbsent(name, n -> engine.ensureStateMachine(n, deployable));
    }

    /** Replaces every {@code ${Name}} placeholder; an unknown placeholder is a configuration error. */
    String substitute(String definition) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String arn = functionArns.get(m.group(1));
            if (arn == null) {
                throw new IllegalStateException("no function ARN for ${" + m.group(1)
                        + "}: add \"" + m.group(1) + "\": <arn> to AGENT_FUNCTION_ARNS");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(arn));
        }
        m.appendTail(out);
        return out.toString();
    }
}
