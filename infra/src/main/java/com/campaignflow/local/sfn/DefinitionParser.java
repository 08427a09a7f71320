package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.StateNode.Catcher;
import com.campaignflow.local.sfn.StateNode.ChoiceWork;
import com.campaignflow.local.sfn.StateNode.FailWork;
import com.campaignflow.local.sfn.StateNode.MapWork;
import com.campaignflow.local.sfn.StateNode.ParallelWork;
import com.campaignflow.local.sfn.StateNode.PassWork;
import com.campaignflow.local.sfn.StateNode.Resource;
import com.campaignflow.local.sfn.StateNode.Retrier;
import com.campaignflow.local.sfn.StateNode.SucceedWork;
import com.campaignflow.local.sfn.StateNode.TaskWork;
import com.campaignflow.local.sfn.StateNode.Type;
import com.campaignflow.local.sfn.StateNode.WaitWork;
import com.campaignflow.local.sfn.expr.ChoiceRule;
import com.campaignflow.local.sfn.expr.JsonPathExpression;
import com.campaignflow.local.sfn.expr.PayloadTemplate;
import com.campaignflow.local.sfn.expr.ReferencePath;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an ASL (JSONPath) definition into compiled {@link StateNode}s, collecting every
 * problem with the state and field it concerns instead of stopping at the first.
 */
final class DefinitionParser {

    /** One JSON value, nothing after it: a definition followed by anything else is not valid JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** For definitions accepted before that check: read up to the end of their JSON value. */
    private static final ObjectMapper FIRST_VALUE = new ObjectMapper();
    private static final Pattern LAMBDA_FUNCTION_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9-_]+(:[a-zA-Z0-9-_$]+)?");
    private static final Pattern ARN = Pattern.compile("arn:[^:]+:[^:]+:[^:]*:[^:]*:.+");
    private static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

    private static final Set<String> TOP_FIELDS = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version",
            "QueryLanguage");
    private static final Set<String> GRAPH_FIELDS = Set.of("Comment", "StartAt", "States", "ProcessorConfig");
    private static final Map<Type, Set<String>> FIELDS = Map.of(
            Type.Task, Set.of("Type", "Comment", "Resource", "Parameters", "ResultSelector", "ResultPath", "InputPath",
                    "OutputPath", "Next", "End", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath",
                    "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "QueryLanguage"),
            Type.Pass, Set.of("Type", "Comment", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath", "Next",
                    "End", "QueryLanguage"),
            Type.Choice, Set.of("Type", "Comment", "InputPath", "OutputPath", "Choices", "Default", "QueryLanguage"),
            Type.Wait, Set.of("Type", "Comment", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath",
                    "TimestampPath", "Next", "End", "QueryLanguage"),
            Type.Succeed, Set.of("Type", "Comment", "InputPath", "OutputPath", "QueryLanguage"),
            Type.Fail, Set.of("Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath", "QueryLanguage"),
            Type.Parallel, Set.of("Type", "Comment", "Branches", "InputPath", "OutputPath", "Parameters",
                    "ResultSelector", "ResultPath", "Retry", "Catch", "Next", "End", "QueryLanguage"),
            Type.Map, Set.of("Type", "Comment", "ItemsPath", "ItemProcessor", "Iterator", "ItemSelector", "Parameters",
                    "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailureCountPath",
                    "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "InputPath", "OutputPath",
                    "ResultSelector", "ResultPath", "Retry", "Catch", "Next", "End", "Label", "QueryLanguage"));
    /** Map fields of Distributed mode that an Inline Map must not have (told so rather than called unknown). */
    private static final List<String> DISTRIBUTED_MAP_ONLY = List.of("ToleratedFailureCount",
            "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "ResultPath", "Next", "Comment");

    record Result(StateMachineDefinition definition, List<String> problems) {
    }

    private final List<String> problems = new ArrayList<>();
    /** Every state name met so far, in any branch or iterator, and where it was defined first. */
    private final Map<String, String> definedAt = new java.util.HashMap<>();

    /** Whether the definition was accepted before (see {@link StateMachineDefinition#parseAcceptedBefore}). */
    private final boolean acceptedBefore;

    private DefinitionParser(boolean acceptedBefore) {
        this.acceptedBefore = acceptedBefore;
    }

    static Result parse(String json) {
        return parse(json, false);
    }

    static Result parse(String json, boolean acceptedBefore) {
        DefinitionParser parser = new DefinitionParser(acceptedBefore);
        StateMachineDefinition definition = parser.parseTop(json);
        List<String> problems = List.copyOf(parser.problems);
        return new Result(problems.isEmpty() ? definition : null, problems);
    }

    private StateMachineDefinition parseTop(String json) {
        JsonNode root;
        try {
            root = (acceptedBefore ? FIRST_VALUE : MAPPER).readTree(json);
        } catch (JsonProcessingException e) {
            problems.add("definition is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("definition must be a JSON object");
            return null;
        }
        unknownFields(root, TOP_FIELDS, "definition", "");
        JsonNode ql = root.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            problems.add("/QueryLanguage: only \"JSONPath\" is supported, got " + ql);
        }
        JsonNode version = root.get("Version");
        if (version != null && !"1.0".equals(version.asText())) {
            problems.add("/Version: must be \"1.0\", got " + version);
        }
        Integer timeout = positiveInt(root, "TimeoutSeconds", "definition", "");
        StateGraph graph = parseGraph(root, "");
        return new StateMachineDefinition(graph, timeout, json);
    }

    private StateGraph parseGraph(JsonNode node, String pointer) {
        String where = pointer.isEmpty() ? "definition" : pointer;
        JsonNode startAt = node.get("StartAt");
        JsonNode states = node.get("States");
        if (startAt == null) {
            problems.add(where + ": missing required field \"StartAt\" (at " + pointer + "/StartAt)");
        } else if (!startAt.isTextual()) {
            problems.add(where + ": \"StartAt\" must be a string (at " + pointer + "/StartAt)");
        }
        if (states == null) {
            problems.add(where + ": missing required field \"States\" (at " + pointer + "/States)");
            return new StateGraph(null, Map.of());
        }
        if (!states.isObject() || states.isEmpty()) {
            problems.add(where + ": \"States\" must be a non-empty object (at " + pointer + "/States)");
            return new StateGraph(null, Map.of());
        }
        Map<String, StateNode> nodes = new LinkedHashMap<>();
        Map<String, JsonNode> raw = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            String statePointer = pointer + "/States/" + name;
            if (name.isEmpty() || name.length() > 80) {
                problems.add("State \"" + name + "\": state names must be 1 to 80 characters (at " + statePointer + ")");
            }
            // ASL: names are unique in the whole state machine, Parallel branches and Map iterators included
            String first = definedAt.putIfAbsent(name, statePointer);
            if (first != null) {
                problems.add("State \"" + name + "\": state names must be unique within the state machine; \""
                        + name + "\" is also defined at " + first + " (at " + statePointer + ")");
            }
            StateNode state = parseState(name, entry.getValue(), statePointer);
            if (state != null) {
                nodes.put(name, state);
                raw.put(name, entry.getValue());
            }
        }
        String start = startAt != null && startAt.isTextual() ? startAt.asText() : null;
        if (start != null && !states.has(start)) {
            problems.add(where + ": \"StartAt\" refers to unknown state \"" + start + "\" (at " + pointer + "/StartAt)");
        }
        link(nodes, pointer);
        if (start != null && nodes.containsKey(start) && nodes.size() == states.size()) {
            reachability(start, nodes, pointer);
        }
        return new StateGraph(start, Collections.unmodifiableMap(nodes));
    }

    private StateNode parseState(String name, JsonNode json, String pointer) {
        String where = "State \"" + name + "\"";
        if (!json.isObject()) {
            problems.add(where + ": must be an object (at " + pointer + ")");
            return null;
        }
        JsonNode typeNode = json.get("Type");
        Type type;
        try {
            type = typeNode == null ? null : Type.valueOf(typeNode.asText());
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (typeNode == null) {
            problems.add(where + ": missing required field \"Type\" (at " + pointer + "/Type)");
            return null;
        }
        if (type == null || !typeNode.isTextual()) {
            problems.add(where + ": unknown \"Type\" " + typeNode + "; expected one of Task, Pass, Choice, Wait, "
                    + "Succeed, Fail, Parallel, Map (at " + pointer + "/Type)");
            return null;
        }
        StateNode state = new StateNode(name, type);
        unknownFields(json, FIELDS.get(type), where, pointer);
        JsonNode ql = json.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            problems.add(where + ": \"QueryLanguage\" only \"JSONPath\" is supported (at " + pointer + "/QueryLanguage)");
        }
        transition(state, json, where, pointer);
        state.inputPath = selector(json, "InputPath", where, pointer);
        state.outputPath = selector(json, "OutputPath", where, pointer);
        if (type != Type.Map) {
            state.parameters = template(json, "Parameters", where, pointer);
        }
        state.resultSelector = template(json, "ResultSelector", where, pointer);
        state.resultPath = placement(json, "ResultPath", where, pointer);
        state.retriers = retriers(json, where, pointer);
        state.catchers = catchers(json, where, pointer);
        state.work = switch (type) {
            case Pass -> new PassWork(json.get("Result"));
            case Task -> task(json, where, pointer);
            case Choice -> choice(json, where, pointer);
            case Wait -> waitWork(json, where, pointer);
            case Succeed -> new SucceedWork();
            case Fail -> fail(json, where, pointer);
            case Parallel -> parallel(json, where, pointer);
            case Map -> map(json, where, pointer);
        };
        return state;
    }

    private void transition(StateNode state, JsonNode json, String where, String pointer) {
        JsonNode next = json.get("Next");
        JsonNode end = json.get("End");
        boolean terminalType = state.type == Type.Choice || state.type == Type.Succeed || state.type == Type.Fail;
        if (terminalType) {
            return; // Next/End are reported as unknown fields for these types.
        }
        if (end != null && !end.isBoolean()) {
            problems.add(where + ": \"End\" must be a boolean (at " + pointer + "/End)");
        }
        boolean isEnd = end != null && end.asBoolean(false);
        if (next != null && !next.isTextual()) {
            problems.add(where + ": \"Next\" must be a string (at " + pointer + "/Next)");
        }
        if (next != null && isEnd) {
            problems.add(where + ": has both \"Next\" and \"End\": true; a state has exactly one (at " + pointer + ")");
        } else if (next == null && !isEnd) {
            problems.add(where + ": needs either \"Next\" or \"End\": true (at " + pointer + ")");
        }
        if (next != null && next.isTextual()) {
            state.nextName = next.asText();
        }
    }

    /** Resolves Next / Choices[].Next / Default / Catch[].Next within one graph. */
    private void link(Map<String, StateNode> nodes, String pointer) {
        for (StateNode state : nodes.values()) {
            String where = "State \"" + state.name + "\"";
            String sp = pointer + "/States/" + state.name;
            if (state.nextName != null) {
                state.next = target(nodes, state.nextName, where, "Next", sp + "/Next");
            }
            for (int i = 0; i < state.catchers.size(); i++) {
                Catcher c = state.catchers.get(i);
                if (c.nextName() != null) {
                    c.next()[0] = target(nodes, c.nextName(), where, "Catch[" + i + "].Next", sp + "/Catch/" + i + "/Next");
                }
            }
            if (state.work instanceof ChoiceWork choice) {
                for (int i = 0; i < choice.nextNames().size(); i++) {
                    if (choice.nextNames().get(i) != null) {
                        choice.next()[i] = target(nodes, choice.nextNames().get(i), where, "Choices[" + i + "].Next",
                                sp + "/Choices/" + i + "/Next");
                    }
                }
                if (choice.defaultName() != null) {
                    choice.defaultNext()[0] = target(nodes, choice.defaultName(), where, "Default", sp + "/Default");
                }
            }
        }
    }

    private StateNode target(Map<String, StateNode> nodes, String name, String where, String field, String at) {
        StateNode target = nodes.get(name);
        if (target == null) {
            problems.add(where + ": \"" + field + "\" refers to unknown state \"" + name + "\" (at " + at + ")");
        }
        return target;
    }

    private void reachability(String start, Map<String, StateNode> nodes, String pointer) {
        Set<String> seen = new HashSet<>();
        Deque<StateNode> todo = new ArrayDeque<>();
        todo.add(nodes.get(start));
        while (!todo.isEmpty()) {
            StateNode s = todo.poll();
            if (s == null || !seen.add(s.name)) {
                continue;
            }
            if (s.next != null) {
                todo.add(s.next);
            }
            for (Catcher c : s.catchers) {
                if (c.next()[0] != null) {
                    todo.add(c.next()[0]);
                }
            }
            if (s.work instanceof ChoiceWork choice) {
                for (StateNode n : choice.next()) {
                    if (n != null) {
                        todo.add(n);
                    }
                }
                if (choice.defaultNext()[0] != null) {
                    todo.add(choice.defaultNext()[0]);
                }
            }
        }
        for (String name : nodes.keySet()) {
            if (!seen.contains(name)) {
                problems.add("State \"" + name + "\": is not reachable from \"" + start + "\" (at " + pointer + "/States/"
                        + name + ")");
            }
        }
    }

    private TaskWork task(JsonNode json, String where, String pointer) {
        JsonNode resourceNode = json.get("Resource");
        String resource = null;
        Resource kind = Resource.UNSUPPORTED;
        if (resourceNode == null) {
            problems.add(where + ": missing required field \"Resource\" (at " + pointer + "/Resource)");
        } else if (!resourceNode.isTextual()) {
            problems.add(where + ": \"Resource\" must be a string (at " + pointer + "/Resource)");
        } else {
            resource = resourceNode.asText();
            if (LAMBDA_FUNCTION_ARN.matcher(resource).matches()) {
                kind = Resource.LAMBDA_FUNCTION;
            } else if (LAMBDA_INVOKE.equals(resource)) {
                kind = Resource.LAMBDA_INVOKE;
                JsonNode params = json.get("Parameters");
                if (params == null || !params.isObject() || !(params.has("FunctionName") || params.has("FunctionName.$"))) {
                    problems.add(where + ": \"Parameters\" must contain \"FunctionName\" for resource " + resource
                            + " (at " + pointer + "/Parameters)");
                }
            } else if (resource.endsWith(".waitForTaskToken")) {
                // no SendTaskSuccess / SendTaskFailure here: such a task could never end
                problems.add(where + ": the callback pattern (.waitForTaskToken) is not supported by the local"
                        + " engine: \"" + resource + "\" (at " + pointer + "/Resource)");
            } else if (!ARN.matcher(resource).matches()) {
                problems.add(where + ": \"Resource\" is not a valid ARN: \"" + resource + "\" (at " + pointer
                        + "/Resource)");
            }
        }
        Integer timeout = positiveInt(json, "TimeoutSeconds", where, pointer);
        Integer heartbeat = positiveInt(json, "HeartbeatSeconds", where, pointer);
        JsonPathExpression timeoutPath = referencePath(json, "TimeoutSecondsPath", where, pointer);
        JsonPathExpression heartbeatPath = referencePath(json, "HeartbeatSecondsPath", where, pointer);
        exclusive(json, where, pointer, "TimeoutSeconds", "TimeoutSecondsPath");
        exclusive(json, where, pointer, "HeartbeatSeconds", "HeartbeatSecondsPath");
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
            problems.add(where + ": \"HeartbeatSeconds\" must be smaller than \"TimeoutSeconds\" (at " + pointer
                    + "/HeartbeatSeconds)");
        }
        return new TaskWork(resource, kind, timeout, timeoutPath, heartbeat, heartbeatPath);
    }

    private ChoiceWork choice(JsonNode json, String where, String pointer) {
        JsonNode choices = json.get("Choices");
        List<ChoiceRule> rules = new ArrayList<>();
        List<String> nexts = new ArrayList<>();
        if (choices == null) {
            problems.add(where + ": missing required field \"Choices\" (at " + pointer + "/Choices)");
        } else if (!choices.isArray() || choices.isEmpty()) {
            problems.add(where + ": \"Choices\" must be a non-empty array (at " + pointer + "/Choices)");
        } else {
            for (int i = 0; i < choices.size(); i++) {
                JsonNode rule = choices.get(i);
                String at = pointer + "/Choices/" + i;
                JsonNode next = rule.get("Next");
                if (next == null || !next.isTextual()) {
                    problems.add(where + ": Choices[" + i + "] needs a string \"Next\" (at " + at + "/Next)");
                    nexts.add(null);
                } else {
                    nexts.add(next.asText());
                }
                try {
                    rules.add(ChoiceRule.compile(rule));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": Choices[" + i + "] is invalid: " + e.getMessage() + " (at " + at + ")");
                    rules.add(null);
                }
            }
        }
        JsonNode def = json.get("Default");
        if (def != null && !def.isTextual()) {
            problems.add(where + ": \"Default\" must be a string (at " + pointer + "/Default)");
        }
        String defaultName = def != null && def.isTextual() ? def.asText() : null;
        return new ChoiceWork(rules, nexts, new StateNode[nexts.size()], defaultName, new StateNode[1]);
    }

    private WaitWork waitWork(JsonNode json, String where, String pointer) {
        int count = 0;
        Long seconds = null;
        Instant timestamp = null;
        JsonPathExpression secondsPath = null;
        JsonPathExpression timestampPath = null;
        if (json.has("Seconds")) {
            count++;
            JsonNode s = json.get("Seconds");
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                problems.add(where + ": \"Seconds\" must be a non-negative integer (at " + pointer + "/Seconds)");
            } else {
                seconds = s.asLong();
            }
        }
        if (json.has("Timestamp")) {
            count++;
            timestamp = timestamp(json.get("Timestamp"));
            if (timestamp == null) {
                problems.add(where + ": \"Timestamp\" must be an ISO-8601 timestamp such as \"2016-03-14T01:59:00Z\" (at "
                        + pointer + "/Timestamp)");
            }
        }
        if (json.has("SecondsPath")) {
            count++;
            secondsPath = referencePath(json, "SecondsPath", where, pointer);
        }
        if (json.has("TimestampPath")) {
            count++;
            timestampPath = referencePath(json, "TimestampPath", where, pointer);
        }
        if (count != 1) {
            problems.add(where + ": needs exactly one of \"Seconds\", \"Timestamp\", \"SecondsPath\", \"TimestampPath\" (at "
                    + pointer + ")");
        }
        return new WaitWork(seconds, timestamp, secondsPath, timestampPath);
    }

    static Instant timestamp(JsonNode node) {
        return node == null || !node.isTextual() ? null : ChoiceRule.timestamp(node.textValue());
    }

    private FailWork fail(JsonNode json, String where, String pointer) {
        exclusive(json, where, pointer, "Error", "ErrorPath");
        exclusive(json, where, pointer, "Cause", "CausePath");
        return new FailWork(text(json, "Error", where, pointer), text(json, "Cause", where, pointer),
                valuePath(json, "ErrorPath", where, pointer), valuePath(json, "CausePath", where, pointer));
    }

    private ParallelWork parallel(JsonNode json, String where, String pointer) {
        JsonNode branches = json.get("Branches");
        List<StateGraph> graphs = new ArrayList<>();
        if (branches == null) {
            problems.add(where + ": missing required field \"Branches\" (at " + pointer + "/Branches)");
        } else if (!branches.isArray() || branches.isEmpty()) {
            problems.add(where + ": \"Branches\" must be a non-empty array (at " + pointer + "/Branches)");
        } else {
            for (int i = 0; i < branches.size(); i++) {
                graphs.add(subGraph(branches.get(i), where + " Branches[" + i + "]", pointer + "/Branches/" + i));
            }
        }
        return new ParallelWork(List.copyOf(graphs));
    }

    private MapWork map(JsonNode json, String where, String pointer) {
        JsonNode processor = json.get("ItemProcessor");
        String processorField = "ItemProcessor";
        if (processor == null) {
            processor = json.get("Iterator");
            processorField = "Iterator";
        } else if (json.has("Iterator")) {
            problems.add(where + ": has both \"ItemProcessor\" and \"Iterator\" (at " + pointer + ")");
        }
        StateGraph graph = null;
        if (processor == null) {
            problems.add(where + ": missing required field \"ItemProcessor\" (at " + pointer + "/ItemProcessor)");
        } else {
            JsonNode mode = processor.path("ProcessorConfig").path("Mode");
            if (!mode.isMissingNode() && !"INLINE".equals(mode.asText())) {
                problems.add(where + ": ProcessorConfig.Mode " + mode + " is not supported; only INLINE (at " + pointer
                        + "/" + processorField + "/ProcessorConfig/Mode)");
            }
            graph = subGraph(processor, where + " " + processorField, pointer + "/" + processorField);
        }
        if (json.has("ItemSelector") && json.has("Parameters")) {
            problems.add(where + ": has both \"ItemSelector\" and \"Parameters\" (at " + pointer + ")");
        }
        PayloadTemplate selector = json.has("ItemSelector") ? template(json, "ItemSelector", where, pointer)
                : template(json, "Parameters", where, pointer);
        JsonPathExpression itemsPath = referencePath(json, "ItemsPath", where, pointer);
        exclusive(json, where, pointer, "MaxConcurrency", "MaxConcurrencyPath");
        for (String field : DISTRIBUTED_MAP_ONLY) {
            if (json.has(field) && !acceptedBefore) { // accepted before: ignored, the Map fails at its first failure
                // accepted and acted on here, an Inline Map that passes locally would fail on AWS at its first failure
                problems.add(where + ": \"" + field + "\" applies to a Distributed Map only, which this engine does"
                        + " not run; an Inline Map fails when any iteration fails (at " + pointer + "/" + field + ")");
            }
        }
        int maxConcurrency = 0;
        if (json.has("MaxConcurrency")) {
            JsonNode m = json.get("MaxConcurrency");
            if (!m.isIntegralNumber() || m.asInt() < 0) {
                problems.add(where + ": \"MaxConcurrency\" must be a non-negative integer (at " + pointer
                        + "/MaxConcurrency)");
            } else {
                maxConcurrency = m.asInt();
            }
        }
        return new MapWork(itemsPath, selector, graph, maxConcurrency,
                referencePath(json, "MaxConcurrencyPath", where, pointer));
    }

    private StateGraph subGraph(JsonNode node, String where, String pointer) {
        if (node == null || !node.isObject()) {
            problems.add(where + ": must be an object with StartAt and States (at " + pointer + ")");
            return new StateGraph(null, Map.of());
        }
        unknownFields(node, GRAPH_FIELDS, where, pointer);
        return parseGraph(node, pointer);
    }

    private List<Retrier> retriers(JsonNode json, String where, String pointer) {
        JsonNode retry = json.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            problems.add(where + ": \"Retry\" must be an array (at " + pointer + "/Retry)");
            return List.of();
        }
        List<Retrier> list = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            JsonNode r = retry.get(i);
            String w = where + " Retry[" + i + "]";
            String p = pointer + "/Retry/" + i;
            if (!r.isObject()) {
                problems.add(w + ": must be an object (at " + p + ")");
                continue;
            }
            unknownFields(r, RETRIER_FIELDS, w, p);
            List<String> errors = errorEquals(r, w, p, i == retry.size() - 1);
            Integer interval = positiveInt(r, "IntervalSeconds", w, p);
            Integer maxAttempts = nonNegativeInt(r, "MaxAttempts", w, p);
            Integer maxDelay = positiveInt(r, "MaxDelaySeconds", w, p);
            double backoff = 2.0;
            if (r.has("BackoffRate")) {
                JsonNode b = r.get("BackoffRate");
                if (!b.isNumber() || b.asDouble() < 1.0) {
                    problems.add(w + ": \"BackoffRate\" must be a number >= 1.0 (at " + p + "/BackoffRate)");
                } else {
                    backoff = b.asDouble();
                }
            }
            boolean fullJitter = false;
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!"FULL".equals(j) && !"NONE".equals(j)) {
                    problems.add(w + ": \"JitterStrategy\" must be FULL or NONE (at " + p + "/JitterStrategy)");
                }
                fullJitter = "FULL".equals(j);
            }
            list.add(new Retrier(errors, interval == null ? 1 : interval, maxAttempts == null ? 3 : maxAttempts,
                    backoff, maxDelay, fullJitter));
        }
        return List.copyOf(list);
    }

    private List<Catcher> catchers(JsonNode json, String where, String pointer) {
        JsonNode catchNode = json.get("Catch");
        if (catchNode == null) {
            return List.of();
        }
        if (!catchNode.isArray()) {
            problems.add(where + ": \"Catch\" must be an array (at " + pointer + "/Catch)");
            return List.of();
        }
        List<Catcher> list = new ArrayList<>();
        for (int i = 0; i < catchNode.size(); i++) {
            JsonNode c = catchNode.get(i);
            String w = where + " Catch[" + i + "]";
            String p = pointer + "/Catch/" + i;
            if (!c.isObject()) {
                problems.add(w + ": must be an object (at " + p + ")");
                continue;
            }
            unknownFields(c, CATCHER_FIELDS, w, p);
            List<String> errors = errorEquals(c, w, p, i == catchNode.size() - 1);
            JsonNode next = c.get("Next");
            if (next == null || !next.isTextual()) {
                problems.add(w + ": needs a string \"Next\" (at " + p + "/Next)");
            }
            list.add(new Catcher(errors, placement(c, "ResultPath", w, p), next == null ? null : next.asText(),
                    new StateNode[1]));
        }
        return List.copyOf(list);
    }

    private List<String> errorEquals(JsonNode node, String where, String pointer, boolean last) {
        JsonNode errors = node.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            problems.add(where + ": \"ErrorEquals\" must be a non-empty array of strings (at " + pointer + "/ErrorEquals)");
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (JsonNode e : errors) {
            if (!e.isTextual()) {
                problems.add(where + ": \"ErrorEquals\" entries must be strings (at " + pointer + "/ErrorEquals)");
            } else {
                list.add(e.asText());
            }
        }
        if (list.contains(StatesError.ALL.code())) {
            if (list.size() > 1) {
                problems.add(where + ": \"States.ALL\" must appear alone in \"ErrorEquals\" (at " + pointer
                        + "/ErrorEquals)");
            }
            if (!last) {
                problems.add(where + ": \"States.ALL\" must be in the last retrier/catcher (at " + pointer
                        + "/ErrorEquals)");
            }
        }
        return List.copyOf(list);
    }

    private Selector selector(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return Selector.IDENTITY;
        }
        if (node.isNull()) {
            return Selector.EMPTY;
        }
        if (!node.isTextual()) {
            problems.add(where + ": \"" + field + "\" must be a path string or null (at " + pointer + "/" + field + ")");
            return Selector.IDENTITY;
        }
        String text = node.asText();
        if ("$".equals(text)) {
            return Selector.IDENTITY;
        }
        try {
            return Selector.of(field, JsonPathExpression.parse(text));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": \"" + field + "\" is not a valid path: " + e.getMessage() + " (at " + pointer + "/"
                    + field + ")");
            return Selector.IDENTITY;
        }
    }

    private Placement placement(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return Placement.REPLACE;
        }
        if (node.isNull()) {
            return Placement.DISCARD;
        }
        if (!node.isTextual()) {
            problems.add(where + ": \"" + field + "\" must be a reference path or null (at " + pointer + "/" + field + ")");
            return Placement.REPLACE;
        }
        String text = node.asText();
        if ("$".equals(text)) {
            return Placement.REPLACE;
        }
        try {
            ReferencePath path = ReferencePath.parse(text);
            if (path.isContextPath()) {
                // the context object is read-only: ResultPath places the result in the state's input
                problems.add(where + ": \"" + field + "\" must be a path into the state input ($...), not the context"
                        + " object: " + text + " (at " + pointer + "/" + field + ")");
                return Placement.REPLACE;
            }
            return Placement.at(text, path);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": \"" + field + "\" is not a valid reference path: " + e.getMessage() + " (at "
                    + pointer + "/" + field + ")");
            return Placement.REPLACE;
        }
    }

    /** A Reference Path field, checked as one, evaluated as a JSONPath (so "$$." works). */
    private JsonPathExpression referencePath(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(where + ": \"" + field + "\" must be a reference path string (at " + pointer + "/" + field + ")");
            return null;
        }
        try {
            ReferencePath.parse(node.asText());
            return JsonPathExpression.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": \"" + field + "\" is not a valid reference path: " + e.getMessage() + " (at "
                    + pointer + "/" + field + ")");
            return null;
        }
    }

    private PayloadTemplate template(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        try {
            return PayloadTemplate.compile(node);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": \"" + field + "\" is invalid: " + e.getMessage() + " (at " + pointer + "/" + field
                    + ")");
            return null;
        }
    }

    /** The intrinsic functions a Fail state's ErrorPath and CausePath may use (AWS Step Functions developer guide). */
    private static final Set<String> FAIL_PATH_FUNCTIONS = Set.of("States.Format", "States.JsonToString",
            "States.ArrayGetItem", "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.UUID");

    /**
     * ErrorPath/CausePath: a reference path or one of {@link #FAIL_PATH_FUNCTIONS}, compiled as the template
     * {"value.$": text}.
     */
    private PayloadTemplate valuePath(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(where + ": \"" + field + "\" must be a path string (at " + pointer + "/" + field + ")");
            return null;
        }
        String text = node.asText().strip();
        if (text.startsWith("States.")) {
            String function = text.contains("(") ? text.substring(0, text.indexOf('(')).strip() : text;
            if (!FAIL_PATH_FUNCTIONS.contains(function)) {
                problems.add(where + ": \"" + field + "\" may use only " + String.join(", ",
                        new java.util.TreeSet<>(FAIL_PATH_FUNCTIONS)) + ", not " + function + " (at " + pointer + "/"
                        + field + ")");
                return null;
            }
        } else if (referencePath(json, field, where, pointer) == null) {
            return null; // not a reference path: the problem is recorded
        }
        ObjectNode template = JsonNodeFactory.instance.objectNode();
        template.put("value.$", node.asText());
        try {
            return PayloadTemplate.compile(template);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": \"" + field + "\" is invalid: " + e.getMessage() + " (at " + pointer + "/" + field
                    + ")");
            return null;
        }
    }

    private String text(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(where + ": \"" + field + "\" must be a string (at " + pointer + "/" + field + ")");
            return null;
        }
        return node.asText();
    }

    private Integer positiveInt(JsonNode json, String field, String where, String pointer) {
        Integer value = nonNegativeInt(json, field, where, pointer);
        if (value != null && value == 0) {
            problems.add(where + ": \"" + field + "\" must be a positive integer (at " + pointer + "/" + field + ")");
            return null;
        }
        return value;
    }

    private Integer nonNegativeInt(JsonNode json, String field, String where, String pointer) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            problems.add(where + ": \"" + field + "\" must be a non-negative integer, got " + node + " (at " + pointer
                    + "/" + field + ")");
            return null;
        }
        return node.asInt();
    }

    private void exclusive(JsonNode json, String where, String pointer, String a, String b) {
        if (json.has(a) && json.has(b)) {
            problems.add(where + ": \"" + a + "\" and \"" + b + "\" cannot both be set (at " + pointer + ")");
        }
    }

    private void unknownFields(JsonNode json, Set<String> allowed, String where, String pointer) {
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                problems.add(where + ": unknown field \"" + field + "\" (at " + pointer + "/" + field + ")");
            }
        }
    }
}
