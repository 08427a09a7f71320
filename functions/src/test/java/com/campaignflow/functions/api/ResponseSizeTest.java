package com.campaignflow.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ResponseSizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode status(int writerChars) {
        ObjectNode status = JSON.createObjectNode().put("campaign_id", "camp-1").put("status", "completed");
        ObjectNode result = status.putObject("result");
        result.putArray("limitations");
        ObjectNode intermediate = result.putObject("intermediate_results");
        intermediate.putObject("planner").put("angle", "small");
        intermediate.putObject("researcher").put("notes", "r".repeat(1_000_000));
        intermediate.putObject("writer").put("article", "Line one.\n\"Quoted\" line two. ".repeat(writerChars / 30));
        return status;
    }

    @Test
    void aStatusOverSixMegabytes_losesItsLargestResultsFirst_andSaysSo() throws Exception {
        ObjectNode fitted = ResponseSize.fit(status(7_000_000));

        byte[] body = JSON.writeValueAsBytes(JSON.writeValueAsString(fitted));
        assertThat(body.length).as("the body string as the proxy response carries it").isLessThan(6_291_556);
        var intermediate = fitted.get("result").get("intermediate_results");
        assertThat(intermediate.get("writer").get("omitted").asBoolean()).isTrue();
        assertThat(intermediate.get("writer").get("size_bytes").asInt()).isGreaterThan(7_000_000);
        assertThat(intermediate.get("researcher").get("notes").asText()).as("kept: the rest fits").hasSize(1_000_000);
        assertThat(intermediate.get("planner").get("angle").asText()).isEqualTo("small");
        assertThat(fitted.get("result").get("limitations").toString()).contains("writer result")
                .contains("may not exceed 6 MB");
    }

    @Test
    void aStatusWithinTheLimit_isAnsweredWhole() {
        ObjectNode small = status(30_000);
        String before = small.toString();

        assertThat(ResponseSize.fit(small).toString()).isEqualTo(before);
    }
}
