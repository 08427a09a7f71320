package com.campaignflow.local.sfn.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Step Functions Local mock configuration:
 * {"StateMachines":{name:{"TestCases":{case:{state: responseName}}}},
 *  "MockedResponses":{responseName:{"0":{"Return":...},"1-2":{"Throw":{"Error","Cause"}}}}}.
 */
public final class MockConfig {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Map<String, Map<String, String>>> testCases;
    private final Map<String, List<IndexedResponse>> responses;

    private MockConfig(Map<String, Map<String, Map<String, String>>> testCases,
            Map<String, List<IndexedResponse>> responses) {
        this.testCases = testCases;
        this.responses = responses;
    }

    /** One mocked outcome: a Return value or a Throw (error, cause). */
    public record MockedResponse(JsonNode returnValue, String error, String cause) {
        public boolean isThrow() {
            return returnValue == null;
        }
    }

    private record IndexedResponse(int from, int to, MockedResponse response) {
    }

    /** Parses and checks a mock config; throws {@link IllegalArgumentException} naming what is wrong. */
    public static MockConfig parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("mock config is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("mock config must be a JSON object");
        }
        Map<String, List<IndexedResponse>> responses = new HashMap<>();
        JsonNode mocked = root.path("MockedResponses");
        if (!mocked.isMissingNode() && !mocked.isObject()) {
            throw new IllegalArgumentException("MockedResponses must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = mocked.fields(); it.hasNext(); ) {
            var entry = it.next();
            responses.put(entry.getKey(), parseResponses(entry.getKey(), entry.getValue()));
        }
        Map<String, Map<String, Map<String, String>>> cases = new HashMap<>();
        JsonNode machines = root.path("StateMachines");
        if (!machines.isMissingNode() && !machines.isObject()) {
            throw new IllegalArgumentException("StateMachines must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = machines.fields(); it.hasNext(); ) {
            var machine = it.next();
            JsonNode tc = machine.getValue().path("TestCases");
            if (!tc.isObject()) {
                throw new IllegalArgumentException("StateMachines." + machine.getKey() + ".TestCases must be an object");
            }
            Map<String, Map<String, String>> byCase = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> c = tc.fields(); c.hasNext(); ) {
                var testCase = c.next();
                Map<String, String> byState = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> s = testCase.getValue().fields(); s.hasNext(); ) {
                    var state = s.next();
                    String responseName = state.getValue().asText();
                    if (!state.getValue().isTextual() || !responses.containsKey(responseName)) {
                        throw new IllegalArgumentException("test case " + machine.getKey() + "/" + testCase.getKey()
                                + ": state \"" + state.getKey() + "\" refers to unknown mocked response \""
                                + state.getValue().asText() + "\"");
                    }
                    byState.put(state.getKey(), responseName);
                }
                byCase.put(testCase.getKey(), byState);
            }
            cases.put(machine.getKey(), byCase);
        }
        return new MockConfig(cases, responses);
    }

    private static List<IndexedResponse> parseResponses(String name, JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("mocked response \"" + name + "\" must be a non-empty object");
        }
        List<IndexedResponse> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            String key = entry.getKey();
            int from;
            int to;
            try {
                int dash = key.indexOf('-');
                from = Integer.parseInt(dash < 0 ? key : key.substring(0, dash));
                to = dash < 0 ? from : Integer.parseInt(key.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mocked response \"" + name + "\": invocation index \"" + key
                        + "\" must be a number or a range like \"1-2\"");
            }
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("mocked response \"" + name + "\": bad invocation range \"" + key + "\"");
            }
            JsonNode value = entry.getValue();
            MockedResponse response;
            if (value.has("Return") && !value.has("Throw")) {
                response = new MockedResponse(value.get("Return"), null, null);
            } else if (value.has("Throw") && !value.has("Return")) {
                JsonNode t = value.get("Throw");
                if (!t.path("Error").isTextual()) {
                    throw new IllegalArgumentException("mocked response \"" + name + "\"[" + key + "]: Throw needs a string Error");
                }
                response = new MockedResponse(null, t.get("Error").asText(), t.path("Cause").asText(""));
            } else {
                throw new IllegalArgumentException("mocked response \"" + name + "\"[" + key
                        + "]: needs exactly one of Return or Throw");
            }
            list.add(new IndexedResponse(from, to, response));
        }
        list.sort((a, b) -> Integer.compare(a.from, b.from));
        return List.copyOf(list);
    }

    /** The state → response mapping of one test case, or fails naming the missing machine/case. */
    public TestCase testCase(String stateMachineName, String testCaseName) {
        var byCase = testCases.get(stateMachineName);
        if (byCase == null) {
            throw new IllegalArgumentException("mock config has no state machine \"" + stateMachineName + "\"");
        }
        var byState = byCase.get(testCaseName);
        if (byState == null) {
            throw new IllegalArgumentException("mock config has no test case \"" + testCaseName + "\" for state machine \""
                    + stateMachineName + "\"");
        }
        return new TestCase(byState);
    }

    /** The mocks of one test case. */
    public final class TestCase {
        private final Map<String, String> byState;

        private TestCase(Map<String, String> byState) {
            this.byState = byState;
        }

        public boolean mocks(String stateName) {
            return byState.containsKey(stateName);
        }

        /**
         * The response for the state's {@code invocation}-th call (0-based, counting every
         * call of that state in the execution); past the last index, the last response repeats.
         */
        public MockedResponse response(String stateName, int invocation) {
            List<IndexedResponse> list = responses.get(byState.get(stateName));
            for (IndexedResponse r : list) {
                if (invocation >= r.from && invocation <= r.to) {
                    return r.response;
                }
            }
            return list.get(list.size() - 1).response;
        }
    }
}
