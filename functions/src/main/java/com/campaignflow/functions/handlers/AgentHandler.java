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
        AgentResult result = runtime.handle(task);
        Json.MAPPER.writeValue(output, result);
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
