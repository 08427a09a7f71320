package com.campaignflow.functions.api;

import com.campaignflow.functions.domain.Text;
import com.campaignflow.functions.orchestration.ResumeAction;
import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the small request bodies (rerun, resume, manual checkpoint, redrive). Strict: malformed
 * JSON, duplicate or unknown fields and wrong types are {@link InvalidRequestException}s naming the field. Agent
 * parameters are only checked for shape here; the campaign request parser validates their names and values.
 */
public final class RequestBodies {

    /** {@code POST /campaigns/{id}/rerun}. */
    public record Rerun(List<String> agents, Map<String, Map<String, Object>> parameters) {
    }

    /** {@code POST /workflows/resume/{checkpoint_id}}. */
    public record Resume(ResumeAction action, Map<String, Map<String, Object>> parameters) {
    }

    /** {@code POST /workflows/{id}/checkpoints/manual}. */
    public record Manual(String note) {
    }

    static final int MAX_NOTE_LENGTH = 200;
    private static final int MAX_AGENTS = 20;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private RequestBodies() {
    }

    public static Rerun rerun(byte[] body) {
        ObjectNode json = object(body, true);
        onlyFields(json, Set.of("agents", "parameters"));
        JsonNode agents = json.get("agents");
        if (agents == null || agents.isNull()) {
            throw new InvalidRequestException("agents", "is required: name the agents to rerun, e.g. [\"editor\"]");
        }
        if (!agents.isArray()) {
            throw new InvalidRequestException("agents", "must be an array of agent names, got " + typeOf(agents));
        }
        if (agents.isEmpty() || agents.size() > MAX_AGENTS) {
            throw new InvalidRequestException("agents", "must name 1 to " + MAX_AGENTS + " agents");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            JsonNode agent = agents.get(i);
            if (!agent.isTextual() || agent.asText().isBlank()) {
                throw new InvalidRequestException("agents[" + i + "]", "must be an agent name, got " + typeOf(agent));
            }
            names.add(agent.asText());
        }
        return new Rerun(List.copyOf(names), parameters(json.get("parameters")));
    }

    public static Resume resume(byte[] body) {
        ObjectNode json = object(body, true);
        onlyFields(json, Set.of("action", "parameters"));
        JsonNode action = json.get("action");
        if (action == null || action.isNull()) {
            throw new InvalidRequestException("action", "is required: continue, retry or skip");
        }
        if (!action.isTextual()) {
            throw new InvalidRequestException("action", "must be continue, retry or skip, got " + typeOf(action));
        }
        ResumeAction parsed;
        try {
            parsed = ResumeAction.fromWireName(action.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("action", "must be continue, retry or skip");
        }
        return new Resume(parsed, parameters(json.get("parameters")));
    }

    public static Manual manual(byte[] body) {
        ObjectNode json = object(body, false);
        onlyFields(json, Set.of("note"));
        JsonNode note = json.get("note");
        if (note == null) {
            return new Manual(null);
        }
        if (note.isNull()) {
            throw new InvalidRequestException("note", "must be a string; leave it out for no note, got null");
        }
        if (!note.isTextual()) {
            throw new InvalidRequestException("note", "must be a string, got " + typeOf(note));
        }
        String text = note.asText().strip();
        if (Text.characters(text) > MAX_NOTE_LENGTH) {
            throw new InvalidRequestException("note", "must be at most " + MAX_NOTE_LENGTH + " characters, got "
                    + Text.characters(text));
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("note", "must not contain control characters");
        }
        CampaignRequestParser.refuseLoneSurrogate("note", text);
        return new Manual(text.isEmpty() ? null : text);
    }

    /** Redrive takes no parameters: an absent body or {@code {}}. */
    public static void redrive(byte[] body) {
        onlyFields(object(body, false), Set.of());
    }

    private static ObjectNode object(byte[] body, boolean required) {
        if (body == null || body.length == 0) {
            if (required) {
                throw new InvalidRequestException("body", "a JSON object is required");
            }
            return MAPPER.createObjectNode();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidRequestException("body", "is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("body", "cannot be read");
        }
        if (root == null || root.isMissingNode()) {
            if (required) {
                throw new InvalidRequestException("body", "a JSON object is required");
            }
            return MAPPER.createObjectNode();
        }
        if (!root.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object, got " + typeOf(root));
        }
        return (ObjectNode) root;
    }

    private static void onlyFields(ObjectNode json, Set<String> allowed) {
        json.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new InvalidRequestException(name, allowed.isEmpty() ? "this request takes no fields"
                        : "is not a field of this request; expected " + new java.util.TreeSet<>(allowed));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> parameters(JsonNode parameters) {
        if (parameters == null) {
            return Map.of();
        }
        if (parameters.isNull()) { // as API Gateway's request model refuses it on AWS
            throw new InvalidRequestException("parameters",
                    "must be an object of agent name to parameters, got null; leave the field out for none");
        }
        if (!parameters.isObject()) {
            throw new InvalidRequestException("parameters",
                    "must be an object of agent name to parameters, got " + typeOf(parameters));
        }
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        parameters.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isObject()) {
                throw new InvalidRequestException("parameters." + entry.getKey(),
                        "must be an object of parameter name to value, got " + typeOf(entry.getValue()));
            }
            result.put(entry.getKey(), MAPPER.convertValue(entry.getValue(), LinkedHashMap.class));
        });
        return result;
    }

    static String typeOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
