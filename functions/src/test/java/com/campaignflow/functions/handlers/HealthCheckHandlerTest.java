package com.campaignflow.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthCheckHandlerTest {

    @Test
    void agentFunctionArns_areReadByAgent_andOtherEntriesIgnored() {
        Map<String, String> functions = HealthCheckHandler.agentFunctions("""
                {"PlannerFunctionArn": "arn:aws:lambda:us-east-1:1:function:planner:live",
                 "BasicQaFunctionArn": "arn:aws:lambda:us-east-1:1:function:qa:live",
                 "SomethingElseArn": "arn:aws:lambda:us-east-1:1:function:other"}
                """);

        assertThat(functions).containsExactly(
                Map.entry("basic_qa", "arn:aws:lambda:us-east-1:1:function:qa:live"),
                Map.entry("planner", "arn:aws:lambda:us-east-1:1:function:planner:live"));
    }

    @Test
    void withoutAgentFunctionArns_theAgentsAreProbedInProcess() {
        assertThat(HealthCheckHandler.agentFunctions(null)).isEmpty();
        assertThat(HealthCheckHandler.agentFunctions(" ")).isEmpty();
        assertThatThrownBy(() -> HealthCheckHandler.agentFunctions("[1]"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AGENT_FUNCTION_ARNS");
    }
}
