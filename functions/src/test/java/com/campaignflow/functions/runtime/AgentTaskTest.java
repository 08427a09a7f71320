package com.campaignflow.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "com.campaignflow.functions.faults.InjectedFaultException, InjectedFaultException",
            "java.lang.IllegalStateException, IllegalStateException",
            "AgentFailedException, AgentFailedException",
            "States.Timeout, States.Timeout",
            "Lambda.ServiceException, Lambda.ServiceException",
            "my.error.code, my.error.code"})
    void theCaughtErrorsName_readsAsTheStepsOwnFailureRecordsNameIt(String error, String shown) {
        AgentTask fallback = new AgentTask("wf-a", "camp-1", "exec-1", "editor", "basic_qa", "editor", Map.of(), null,
                JSON.createObjectNode().put("Error", error).put("Cause", "{\"errorMessage\":\"style guide unreachable\"}"));

        assertThat(fallback.errorDescription()).isEqualTo(shown + ": style guide unreachable");
    }
}
