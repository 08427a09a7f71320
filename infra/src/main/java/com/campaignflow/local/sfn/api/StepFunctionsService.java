package com.campaignflow.local.sfn.api;

import com.campaignflow.local.sfn.history.HistoryEvent;
import com.campaignflow.local.sfn.service.ExecutionView;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.campaignflow.local.sfn.service.StateMachineRecord;
import com.campaignflow.local.sfn.service.StepFunctionsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Step Functions API over the AWS JSON 1.0 protocol, independent of any transport:
 * {@code handle("AWSStepFunctions.StartExecution", body)} returns the HTTP status and JSON
 * body AWS would send. Errors are {@code {"__type": code, "message": ...}} with status 400.
 * Timestamps are epoch seconds with a fraction, as the protocol encodes them.
 */
public final class StepFunctionsService {

    /** The X-Amz-Target prefix of every action. */
    public static final String TARGET_PREFIX = "AWSStepFunctions";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // a request body is one JSON object
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED",
            "PENDING_REDRIVE");

    /** An HTTP answer: status and JSON body. */
    public record Response(int status, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final LocalStepFunctions service;
    private final Map<String, Function<JsonNode, ObjectNode>> actions;

    public StepFunctionsService(LocalStepFunctions service) {
        this.service = service;
        this.actions = Map.ofEntries(
                Map.entry("CreateStateMachine", this::createStateMachine),
                Map.entry("UpdateStateMachine", this::updateStateMachine),
                Map.entry("DescribeStateMachine", this::describeStateMachine),
                Map.entry("ListStateMachines", this::listStateMachines),
                Map.entry("DeleteStateMachine", this::deleteStateMachine),
                Map.entry("ValidateStateMachineDefinition", this::validateDefinition),
                Map.entry("StartExecution", this::startExecution),
                Map.entry("DescribeExecution", this::describeExecution),
                Map.entry("ListExecutions", this::listExecutions),
                Map.entry("StopExecution", this::stopExecution),
                Map.entry("GetExecutionHistory", this::getExecutionHistory),
                Map.entry("RedriveExecution", this::redriveExecution),
                Map.entry("DescribeStateMachineForExecution", this::describeStateMachineForExecution),
                Map.entry("TagResource", this::tagResource),
                Map.entry("UntagResource", this::untagResource),
                Map.entry("ListTagsForResource", this::listTagsForResource));
    }

    /**
     * Serves one request.
     *
     * @param target the X-Amz-Target header, e.g. {@code AWSStepFunctions.StartExecution}
     * @param body   the JSON request body (empty means {})
     */
    public Response handle(String target, byte[] body) {
        try {
            String action = action(target);
            Function<JsonNode, ObjectNode> handler = actions.get(action);
            if (handler == null) {
                return error(400, "UnknownOperationException", "Unknown operation " + target);
            }
            JsonNode request = body == null || body.length == 0 ? NODES.objectNode() : MAPPER.readTree(body);
            if (request == null || !request.isObject()) {
                return error(400, "SerializationException", "The request body must be a JSON object");
            }
            return new Response(200, MAPPER.writeValueAsBytes(handler.apply(request)));
        } catch (StepFunctionsException e) {
            return error(400, e.type(), e.getMessage(), e.resourceName());
        } catch (JsonProcessingException e) {
            return error(400, "SerializationException", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return error(400, "SerializationException", e.getMessage());
        } catch (RuntimeException e) {
            return error(500, "InternalFailure", String.valueOf(e.getMessage()));
        }
    }

    private static String action(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX + ".")) {
            throw new StepFunctionsException("UnknownOperationException", "Missing or unknown X-Amz-Target: " + target);
        }
        return target.substring(TARGET_PREFIX.length() + 1);
    }

    private static Response error(int status, String type, String message) {
        return error(status, type, message, null);
    }

    private static Response error(int status, String type, String message, String resourceName) {
        ObjectNode json = NODES.objectNode().put("__type", type).put("message", message);
        if (resourceName != null) {
            json.put("resourceName", resourceName);
        }
        try {
            return new Response(status, MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- state machines

    private ObjectNode createStateMachine(JsonNode r) {
        refusePublish(r);
        StateMachineRecord m = service.createStateMachine(required(r, "name"), required(r, "definition"),
                required(r, "roleArn"), optional(r, "type"), r.has("tags") ? tags(r) : Map.of(),
                r.get("loggingConfiguration"), r.get("tracingConfiguration"));
        ObjectNode out = NODES.objectNode().put("stateMachineArn", m.arn());
        out.set("creationDate", time(m.creationDate()));
        return out;
    }

    private ObjectNode updateStateMachine(JsonNode r) {
        refusePublish(r);
        StateMachineRecord m = service.updateStateMachine(required(r, "stateMachineArn"), optional(r, "definition"),
                optional(r, "roleArn"), r.get("loggingConfiguration"), r.get("tracingConfiguration"));
        ObjectNode out = NODES.objectNode();
        out.set("updateDate", time(m.updateDate()));
        out.put("revisionId", m.revisionId());
        return out;
    }

    private static JsonNode configuration(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a kept configuration is not JSON: " + json, e);
        }
    }

    // ---------------------------------------------------------------- tags

    private ObjectNode tagResource(JsonNode r) {
        service.tagResource(required(r, "resourceArn"), tags(r));
        return NODES.objectNode();
    }

    private ObjectNode untagResource(JsonNode r) {
        JsonNode keys = r.get("tagKeys");
        if (keys == null || !keys.isArray()) {
            throw validation("'tagKeys' must be an array of tag keys");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.isTextual()) {
                throw validation("'tagKeys' must be an array of strings");
            }
            names.add(key.asText());
        }
        service.untagResource(required(r, "resourceArn"), names);
        return NODES.objectNode();
    }

    private ObjectNode listTagsForResource(JsonNode r) {
        ObjectNode out = NODES.objectNode();
        var list = out.putArray("tags");
        service.listTagsForResource(required(r, "resourceArn"))
                .forEach((key, value) -> list.addObject().put("key", key).put("value", value));
        return out;
    }

    /** The request's {@code tags}: an array of {@code {"key":..,"value":..}}; a key given twice keeps its last value. */
    private static Map<String, String> tags(JsonNode r) {
        JsonNode tags = r.get("tags");
        if (tags == null || !tags.isArray()) {
            throw validation("'tags' must be an array of {\"key\": ..., \"value\": ...}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode tag : tags) {
            if (!tag.isObject() || !tag.path("key").isTextual()
                    || !(tag.path("value").isTextual() || tag.path("value").isMissingNode())) {
                throw validation("each tag must be {\"key\": string, \"value\": string}, got " + tag);
            }
            out.put(tag.get("key").asText(), tag.path("value").asText(""));
        }
        return out;
    }

    private ObjectNode describeStateMachine(JsonNode r) {
        return machineJson(service.describeStateMachine(required(r, "stateMachineArn")));
    }

    private ObjectNode machineJson(StateMachineRecord m) {
        ObjectNode out = NODES.objectNode().put("stateMachineArn", m.arn()).put("name", m.name())
                .put("status", service.deleting(m.arn()) ? "DELETING" : "ACTIVE").put("definition", m.definition())
                .put("roleArn", m.roleArn())
                .put("type", m.type());
        out.set("creationDate", time(m.creationDate()));
        out.set("loggingConfiguration", configuration(m.logging()));
        out.set("tracingConfiguration", configuration(m.tracing()));
        out.put("revisionId", m.revisionId());
        return out;
    }

    private ObjectNode listStateMachines(JsonNode r) {
        List<StateMachineRecord> all = new ArrayList<>(service.listStateMachines());
        all.sort(Comparator.comparing(StateMachineRecord::creationDate).thenComparing(StateMachineRecord::arn));
        Page<StateMachineRecord> page = page(r, "ListStateMachines", all,
                m -> ascending(m.creationDate()) + "|" + m.arn(), 1000, 100);
        ObjectNode out = NODES.objectNode();
        ArrayNode items = out.putArray("stateMachines");
        for (StateMachineRecord m : page.items()) {
            ObjectNode item = items.addObject().put("stateMachineArn", m.arn()).put("name", m.name())
                    .put("type", m.type());
            item.set("creationDate", time(m.creationDate()));
        }
        page.next(out);
        return out;
    }

    private ObjectNode deleteStateMachine(JsonNode r) {
        service.deleteStateMachine(required(r, "stateMachineArn"));
        return NODES.objectNode();
    }

    private ObjectNode validateDefinition(JsonNode r) {
        List<String> problems = service.validateDefinition(required(r, "definition"));
        ObjectNode out = NODES.objectNode().put("result", problems.isEmpty() ? "OK" : "FAIL");
        ArrayNode diagnostics = out.putArray("diagnostics");
        for (String p : problems) {
            diagnostics.addObject().put("severity", "ERROR").put("code", "SCHEMA_VALIDATION_FAILED").put("message", p);
        }
        out.put("truncated", false);
        return out;
    }

    // ---------------------------------------------------------------- executions

    private ObjectNode startExecution(JsonNode r) {
        ExecutionView e = service.startExecution(required(r, "stateMachineArn"), optional(r, "name"),
                atMostBytes(optional(r, "input"), "input", MAX_PAYLOAD_BYTES));
        ObjectNode out = NODES.objectNode().put("executionArn", e.executionArn());
        out.set("startDate", time(e.startDate()));
        return out;
    }

    private ObjectNode describeExecution(JsonNode r) {
        ExecutionView e = service.describeExecution(required(r, "executionArn"));
        ObjectNode out = NODES.objectNode().put("executionArn", e.executionArn())
                .put("stateMachineArn", e.stateMachineArn()).put("name", e.name()).put("status", e.status());
        out.set("startDate", time(e.startDate()));
        if (e.stopDate() != null) {
            out.set("stopDate", time(e.stopDate()));
        }
        out.put("input", e.input());
        out.putObject("inputDetails").put("included", true);
        if (e.output() != null) {
            out.put("output", e.output());
            out.putObject("outputDetails").put("included", true);
        }
        if (e.error() != null) {
            out.put("error", e.error());
        }
        if (e.cause() != null) {
            out.put("cause", e.cause());
        }
        redrive(out, e);
        return out;
    }

    private static void redrive(ObjectNode out, ExecutionView e) {
        out.put("redriveCount", e.redriveCount());
        if (e.redriveDate() != null) {
            out.set("redriveDate", time(e.redriveDate()));
        }
        out.put("redriveStatus", e.redriveStatus());
        if (e.redriveStatusReason() != null) {
            out.put("redriveStatusReason", e.redriveStatusReason());
        }
    }

    private ObjectNode listExecutions(JsonNode r) {
        String filter = optional(r, "statusFilter");
        if (filter != null && !STATUSES.contains(filter)) {
            throw validation("statusFilter must be one of " + STATUSES + ", got " + filter);
        }
        if ("PENDING_REDRIVE".equals(filter)) {
            // AWS: PENDING_REDRIVE lists the child executions of a Map Run and needs its mapRunArn; with a
            // stateMachineArn it is a validation error
            throw validation("statusFilter PENDING_REDRIVE needs a mapRunArn (the child executions of a Distributed"
                    + " Map run); with a stateMachineArn, filter on FAILED, TIMED_OUT or ABORTED");
        }
        String redriveFilter = optional(r, "redriveFilter");
        if (redriveFilter != null && !redriveFilter.equals("REDRIVEN") && !redriveFilter.equals("NOT_REDRIVEN")) {
            throw validation("redriveFilter must be REDRIVEN or NOT_REDRIVEN, got " + redriveFilter);
        }
        List<ExecutionView> all = service.listExecutions(required(r, "stateMachineArn"), filter);
        if (redriveFilter != null) {
            boolean redriven = redriveFilter.equals("REDRIVEN");
            all = all.stream().filter(e -> (e.redriveCount() > 0) == redriven).toList();
        }
        // newest first (LocalStepFunctions.listExecutions), ties by ARN
        Page<ExecutionView> page = page(r, "ListExecutions", all,
                e -> descending(e.startDate()) + "|" + e.executionArn(), 1000, 100);
        ObjectNode out = NODES.objectNode();
        ArrayNode items = out.putArray("executions");
        for (ExecutionView e : page.items()) {
            ObjectNode item = items.addObject().put("executionArn", e.executionArn())
                    .put("stateMachineArn", e.stateMachineArn()).put("name", e.name()).put("status", e.status());
            item.set("startDate", time(e.startDate()));
            if (e.stopDate() != null) {
                item.set("stopDate", time(e.stopDate()));
            }
            item.put("redriveCount", e.redriveCount());
            if (e.redriveDate() != null) {
                item.set("redriveDate", time(e.redriveDate()));
            }
        }
        page.next(out);
        return out;
    }

    private ObjectNode stopExecution(JsonNode r) {
        Instant stopped = service.stopExecution(required(r, "executionArn"), atMost(optional(r, "error"), "error", 256),
                atMost(optional(r, "cause"), "cause", 32768));
        ObjectNode out = NODES.objectNode();
        out.set("stopDate", time(stopped));
        return out;
    }

    private ObjectNode getExecutionHistory(JsonNode r) {
        List<HistoryEvent> events = new ArrayList<>(service.history(required(r, "executionArn")));
        boolean reverse = r.path("reverseOrder").asBoolean(false);
        if (reverse) {
            java.util.Collections.reverse(events);
        }
        boolean includeData = r.path("includeExecutionData").asBoolean(true);
        Page<HistoryEvent> page = page(r, reverse ? "GetExecutionHistory-reverse" : "GetExecutionHistory", events,
                e -> String.format("%019d", reverse ? Long.MAX_VALUE - e.id() : e.id()), 1000, 100);
        ObjectNode out = NODES.objectNode();
        ArrayNode items = out.putArray("events");
        for (HistoryEvent e : page.items()) {
            items.add(eventJson(e, includeData));
        }
        page.next(out);
        return out;
    }

    /** An event as GetExecutionHistory returns it; the engine's branch and retry bookkeeping stays inside. */
    static ObjectNode eventJson(HistoryEvent e, boolean includeData) {
        ObjectNode json = NODES.objectNode();
        json.set("timestamp", time(e.timestamp()));
        json.put("type", e.type().name());
        json.put("id", e.id());
        json.put("previousEventId", e.previousEventId());
        e.details().fields().forEachRemaining(field -> {
            ObjectNode details = field.getValue().deepCopy();
            if (!includeData) {
                details.remove(List.of("input", "output"));
            } else {
                // AWS says whether a payload was cut short; this engine never truncates.
                if (details.has("input")) {
                    details.putObject("inputDetails").put("truncated", false);
                }
                if (details.has("output")) {
                    details.putObject("outputDetails").put("truncated", false);
                }
            }
            json.set(field.getKey(), details);
        });
        return json;
    }

    private ObjectNode redriveExecution(JsonNode r) {
        Instant date = service.redriveExecution(required(r, "executionArn"), optional(r, "clientToken"));
        ObjectNode out = NODES.objectNode();
        out.set("redriveDate", time(date));
        return out;
    }

    private ObjectNode describeStateMachineForExecution(JsonNode r) {
        StateMachineRecord m = service.describeStateMachineForExecution(required(r, "executionArn"));
        ObjectNode out = NODES.objectNode().put("stateMachineArn", m.arn()).put("name", m.name())
                .put("definition", m.definition()).put("roleArn", m.roleArn());
        out.set("updateDate", time(m.revisionDate()));
        out.set("loggingConfiguration", configuration(m.logging()));
        out.set("tracingConfiguration", configuration(m.tracing()));
        out.put("revisionId", m.revisionId());
        return out;
    }

    // ---------------------------------------------------------------- helpers

    /** Epoch seconds with millisecond fraction, a JSON number. */
    static JsonNode time(Instant instant) {
        return NODES.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    /**
     * A page of a listing and the token of the next one. The token names the operation and the cursor (the sort key of
     * the page's last item), not an offset: items the listing gains or loses between two calls (an execution started
     * meanwhile, one that left a status filter) neither repeat nor shift the next page, as with AWS.
     */
    private record Page<T>(List<T> items, String operation, String nextCursor) {
        void next(ObjectNode out) {
            if (nextCursor != null) {
                out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((operation + ":" + nextCursor).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /**
     * The page of {@code all} that maxResults (default {@code size}, at most {@code max}) and nextToken select;
     * {@code cursor} is each item's sort key, ascending in the listing's order.
     */
    private static <T> Page<T> page(JsonNode r, String operation, List<T> all, Function<T, String> cursor, int max,
                                    int size) {
        JsonNode maxResults = r.get("maxResults");
        if (maxResults != null && !maxResults.isNull()) {
            if (!maxResults.isIntegralNumber() || !maxResults.canConvertToInt() || maxResults.asInt() < 0
                    || maxResults.asInt() > max) {
                throw validation("maxResults must be a whole number from 0 to " + max + ", got " + maxResults);
            }
            size = maxResults.asInt() == 0 ? size : maxResults.asInt();
        }
        int from = 0;
        String token = optional(r, "nextToken");
        if (token != null) {
            String after;
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
            }
            if (!after.startsWith(operation + ":")) {
                throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
            }
            String last = after.substring(operation.length() + 1);
            while (from < all.size() && cursor.apply(all.get(from)).compareTo(last) <= 0) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + size);
        List<T> items = all.subList(from, to);
        return new Page<>(items, operation, to < all.size() && !items.isEmpty() ? cursor.apply(items.getLast()) : null);
    }

    /** Instants as fixed-width text that sorts as they do (or in reverse). */
    private static String ascending(Instant at) {
        return String.format("%019d", epochNanos(at));
    }

    private static String descending(Instant at) {
        return String.format("%019d", Long.MAX_VALUE - epochNanos(at));
    }

    private static long epochNanos(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    }

    private static String required(JsonNode r, String field) {
        String v = optional(r, field);
        if (v == null) {
            throw validation("1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    private static String optional(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw validation("'" + field + "' must be a string");
        }
        return v.asText();
    }

    /** The API's limit on an execution's input (and a state's data): 256 KB, counted in UTF-8 bytes. */
    static final int MAX_PAYLOAD_BYTES = 262_144;

    /** As {@link #atMost}, for the fields whose length AWS counts in UTF-8 bytes (an execution's input). */
    private static String atMostBytes(String value, String field, int maxBytes) {
        // a character is at most 3 bytes (a surrogate pair 4 for 2 chars): most values need no encoding
        if (value != null && (long) value.length() * 3 > maxBytes
                && value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
            throw validation("1 validation error detected: Value at '" + field + "' failed to satisfy constraint:"
                    + " Member must have length less than or equal to " + maxBytes + " bytes (UTF-8)");
        }
        return value;
    }

    /** A string parameter within its documented length, else the ValidationException AWS answers. */
    private static String atMost(String value, String field, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw validation("1 validation error detected: Value at '" + field + "' failed to satisfy constraint:"
                    + " Member must have length less than or equal to " + maxLength);
        }
        return value;
    }

    /**
     * {@code publish: true} asks for a version and its ARN in the answer; this engine keeps no versions, so it says
     * so rather than answering as if one had been published.
     */
    private static void refusePublish(JsonNode r) {
        if (r.path("publish").asBoolean(false) || r.hasNonNull("versionDescription")) {
            throw validation("publish and versionDescription are not supported: the local engine keeps no state"
                    + " machine versions (run the latest revision instead)");
        }
    }

    private static StepFunctionsException validation(String message) {
        return new StepFunctionsException("ValidationException", message);
    }
}
