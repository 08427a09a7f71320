package com.campaignflow.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCausesTest {

    @Test
    void lambdaErrorJson_isReducedToItsMessage_withoutTheStackTrace() {
        String cause = "{\"errorMessage\":\"writer failed: no draft\",\"errorType\":\"com.x.AgentFailedException\","
                + "\"stackTrace\":[\"com.x.Writer.run(Writer.java:12)\"]}";

        assertThat(ErrorCauses.forUsers(cause)).isEqualTo("writer failed: no draft");
    }

    @Test
    void plainCauses_andNull_areKept() {
        assertThat(ErrorCauses.forUsers("Task timed out")).isEqualTo("Task timed out");
        assertThat(ErrorCauses.forUsers("{\"other\":1}")).isEqualTo("{\"other\":1}");
        assertThat(ErrorCauses.forUsers(null)).isNull();
    }
}
