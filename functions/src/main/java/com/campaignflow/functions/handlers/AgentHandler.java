package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.campaignflow.functions.runtime.AgentResult;
import com.campaignflow.functions.runtime.AgentRuntime;
import com.campaignflow.functions.runtime.AgentTask;
import com.campaignflow.functions.runtime.InvalidAgentTaskException;
import com.campaignflow.functions.runtime.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The agent Lambdas: decode the agent event, run it through {@link AgentRuntime}, encode the small result. A
 * stream handler so our snake_case mapper (not the Lambda runtime's serializer) owns the JSON. Each function
 * runs exactly one agent; an event for another agent is refused (a miswired state machine).
 */
public abstract class AgentHandler implements RequestStreamHandler {

    private static final System.Logger LOG = System.getLogger(AgentHandler.class.getName());

    private final String agent;
    private final AgentRuntime runtime;

    protected AgentHandler(String agent, Services services) {
        this.agent = agent;
        this.runtime = services.agentRuntime();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        AgentTask task = decode(input);
        if (!agent.equals(task.agent())) {
            throw new InvalidAgentTaskException("the " + agent + " function got an event for agent '" + task.agent() + "'");
        }
        AgentResult result;
        try {
            result = runtime.handle(task);
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

    private static AgentTask decode(InputStream input) throws IOException {
        try {
            AgentTask task = Json.MAPPER.readValue(input, AgentTask.class);
            if (task == null) {
                throw new InvalidAgentTaskException("agent event is empty");
            }
            return task;
        } catch (JsonProcessingException e) {
            throw new InvalidAgentTaskException("agent event is not valid JSON of the documented shape: "
                    + e.getOriginalMessage(), e);
        }
    }
}
