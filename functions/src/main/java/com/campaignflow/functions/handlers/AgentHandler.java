package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.campaignflow.functions.runtime.AgentResult;
import com.campaignflow.functions.runtime.AgentRuntime;
import com.campaignflow.functions.runtime.AgentTask;
import com.campaignflow.functions.runtime.InvalidAgentTaskException;
import com.campaignflow.functions.runtime.Json;
import com.campaignflow.functions.health.AgentProbe;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent Lambdas: decode the agent event, run it through {@link AgentRuntime}, encode the small result. A
 * stream handler so our snake_case mapper (not the Lambda runtime's serializer) owns the JSON. Each function
 * runs exactly one agent; an event for another agent is refused (a miswired state machine).
 */
public abstract class AgentHandler implements RequestStreamHandler {

    private static final System.Logger LOG = System.getLogger(AgentHandler.class.getName());
    /** The field of a health check probe event (see {@link AgentProbe}). */
    public static final String HEALTH_PROBE = "health_probe";

    private final String agent;
    private final AgentRuntime runtime;

    protected AgentHandler(String agent, Services services) {
        this.agent = agent;
        this.runtime = services.agentRuntime();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = read(input);
        if (event.has(HEALTH_PROBE)) {
            probe(event.get(HEALTH_PROBE), output);
            return;
        }
        AgentTask task = decode(event);
        if (!agent.equals(task.agent())) {
            throw new InvalidAgentTaskException("the " + agent + " function got an event for agent '" + task.agent() + "'");
        }
        AgentResult result;
        try {
            // the agent must end before the function is killed, or its failure is never recorded
            result = runtime.handle(task, context == null ? null : Duration.ofMillis(context.getRemainingTimeInMillis()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "step " + task.stepId() + " of " + task.workflowId() + " failed", e);
            throw withoutStackTraces(e);
        }
        Json.MAPPER.writeValue(output, result);
    }

    /**
     * The Lambda runtime puts the thrown error, stack trace included, into the task failure's Cause, which the
     * Catch keeps in the workflow state ($.errors.step) and hands to the fallback. The trace is logged above; the
     * state gets the error's type and messages only, so a few failures cannot push it towards the 256 KB limit.
     */
    static RuntimeException withoutStackTraces(RuntimeException failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            t.setStackTrace(new StackTraceElement[0]);
        }
        return failure;
    }

    /**
     * The health check's probe ({@link AgentProbe}): {@code {"health_probe": {"outputs": {agent: data, ...}}}} runs
     * this function's agent on the probe campaign and answers {@code {"data": ...}}; a failure is a function error.
     */
    private void probe(JsonNode probe, OutputStream output) throws IOException {
        JsonNode outputs = probe.path("outputs");
        if (!probe.isObject() || !(outputs.isObject() || outputs.isMissingNode())) {
            throw new InvalidAgentTaskException("health_probe must be an object whose outputs is an object of agent outputs");
        }
        Map<String, JsonNode> earlier = new LinkedHashMap<>();
        outputs.properties().forEach(e -> earlier.put(e.getKey(), e.getValue()));
        JsonNode data;
        try {
            data = runtime.probe(agent, earlier);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health probe of " + agent + " failed", e);
            throw withoutStackTraces(e);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.set("data", data);
        Json.MAPPER.writeValue(output, answer);
    }

    private static JsonNode read(InputStream input) throws IOException {
        try {
            JsonNode event = Json.MAPPER.readTree(input);
            if (event == null || event.isMissingNode() || event.isNull()) {
                throw new InvalidAgentTaskException("agent event is empty");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new InvalidAgentTaskException("agent event is not valid JSON of the documented shape: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static AgentTask decode(JsonNode event) {
        try {
            return Json.MAPPER.treeToValue(event, AgentTask.class);
        } catch (JsonProcessingException e) {
            throw new InvalidAgentTaskException("agent event is not valid JSON of the documented shape: "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentTaskException("agent event is not valid JSON of the documented shape: "
                    + e.getMessage(), e);
        }
    }
}
