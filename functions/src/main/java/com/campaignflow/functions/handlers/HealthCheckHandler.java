package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.campaignflow.functions.health.HealthChecker;
import com.campaignflow.functions.health.ProbeResult;
import com.campaignflow.functions.runtime.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.campaignflow.functions.aws.AwsClients;
import com.campaignflow.functions.aws.LambdaAgentProbe;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.orchestration.StateMachineCatalog;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scheduled every minute (EventBridge): probes agents and dependencies and updates ServiceHealth, closing the
 * circuits of services that recovered. The scheduled event carries nothing we need; the output is a report.
 */
public final class HealthCheckHandler implements RequestStreamHandler {

    private final HealthChecker checker;
    private final Clock clock;

    public HealthCheckHandler() {
        this(Services.fromEnvironment(), agentFunctions(FunctionEnvironment.get("AGENT_FUNCTION_ARNS").orElse(null)));
    }

    /** Probes the agents in this process. */
    public HealthCheckHandler(Services services) {
        this(services, Map.of());
    }

    /** @param agentFunctions agent → function ARN the probes invoke; empty: probe the agents in this process */
    HealthCheckHandler(Services services, Map<String, String> agentFunctions) {
        this.checker = agentFunctions.isEmpty() ? services.healthChecker()
                : services.healthChecker(agentFunctions.keySet(),
                        new LambdaAgentProbe(AwsClients.shared().lambda(), agentFunctions));
        this.clock = services.clock();
    }

    /** AGENT_FUNCTION_ARNS ({@code {"PlannerFunctionArn": "arn:...", ...}}) by agent wire name. */
    static Map<String, String> agentFunctions(String agentFunctionArns) {
        Map<String, String> byPlaceholder = StateMachineCatalog.parseFunctionArns(agentFunctionArns);
        Map<String, String> byAgent = new TreeMap<>();
        for (String agent : PlanCompiler.AGENTS) {
            String placeholder = PlanCompiler.functionPlaceholder(agent);
            String arn = byPlaceholder.get(placeholder.substring(2, placeholder.length() - 1));
            if (arn != null) {
                byAgent.put(agent, arn);
            }
        }
        return byAgent;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("checked_at", clock.instant().toString());
        ArrayNode services = report.putArray("services");
        for (ProbeResult r : checker.check()) {
            ObjectNode s = services.addObject();
            s.put("service_name", r.service());
            s.put("probe", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            s.put("detail", r.detail());
            s.put("health_status", r.health().healthStatus().wireName());
            s.put("failure_count", r.health().failureCount());
            s.put("recovery_time", r.health().recoveryTime() == null ? null : r.health().recoveryTime().toString());
        }
        Json.MAPPER.writeValue(output, report);
    }
}
