package com.campaignflow.local.sfn.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MockConfigTest {

    private static final String CONFIG = """
            {"StateMachines":{"Orders":{"TestCases":{"HappyPath":{"Charge":"ChargeOk"},
                                                      "Throttled":{"Charge":"ThrottledTwice"}}}},
             "MockedResponses":{
               "ChargeOk":{"0":{"Return":{"StatusCode":200,"Payload":{"charged":true}}}},
               "ThrottledTwice":{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},
                                 "2":{"Return":{"Payload":{"charged":true}}}}}}""";

    @Test
    void response_picksByInvocationIndexIncludingRanges() {
        MockConfig.TestCase mocks = MockConfig.parse(CONFIG).testCase("Orders", "Throttled");

        assertThat(mocks.mocks("Charge")).isTrue();
        assertThat(mocks.mocks("Other")).isFalse();
        assertThat(mocks.response("Charge", 0).isThrow()).isTrue();
        assertThat(mocks.response("Charge", 1).error()).isEqualTo("Lambda.TooManyRequestsException");
        assertThat(mocks.response("Charge", 1).cause()).isEqualTo("slow down");
        assertThat(mocks.response("Charge", 2).returnValue().at("/Payload/charged").asBoolean()).isTrue();
    }

    @Test
    void response_pastTheLastIndexRepeatsTheLastResponse() {
        MockConfig.TestCase mocks = MockConfig.parse(CONFIG).testCase("Orders", "HappyPath");

        assertThat(mocks.response("Charge", 5).returnValue().get("StatusCode").asInt()).isEqualTo(200);
    }

    @Test
    void testCase_unknownMachineOrCaseIsNamed() {
        MockConfig config = MockConfig.parse(CONFIG);

        assertThatThrownBy(() -> config.testCase("Nope", "HappyPath")).hasMessageContaining("no state machine \"Nope\"");
        assertThatThrownBy(() -> config.testCase("Orders", "Sad")).hasMessageContaining("no test case \"Sad\"");
    }

    @Test
    void parse_rejectsBadShapesWithClearMessages() {
        assertThatThrownBy(() -> MockConfig.parse("{")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{"M":{"TestCases":{"C":{"S":"Missing"}}}},"MockedResponses":{}}"""))
                .hasMessageContaining("unknown mocked response \"Missing\"");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"MockedResponses":{"R":{"first":{"Return":1}}}}"""))
                .hasMessageContaining("invocation index \"first\"");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}}"""))
                .hasMessageContaining("exactly one of Return or Throw");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"MockedResponses":{"R":{"0":{"Throw":{"Cause":"no error"}}}}}"""))
                .hasMessageContaining("Throw needs a string Error");
    }
}
