package com.campaignflow.functions.planning;

import com.campaignflow.functions.agents.Agent;
import com.campaignflow.functions.agents.AgentFailedException;
import com.campaignflow.functions.agents.rules.RuleBasedAgents;
import com.campaignflow.functions.domain.AgentName;
import com.campaignflow.functions.domain.CampaignRequest;
import com.campaignflow.functions.domain.Text;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads and validates a campaign request (the body of {@code POST /campaigns}, the file of {@code local run}).
 * Problems become one {@link InvalidRequestException} naming each wrong field and what is wrong with it: every
 * unknown or read-only field, then the first problem of each field below, in this order (within a field such as
 * keywords, the first wrong entry). A body that is not a JSON object is the only problem reported.
 *
 * <pre>
 * campaign_id        required, [A-Za-z0-9_-]{1,64}
 * company_context    required text, at most 10,000 characters
 * target_audience    required text, at most 2,000 characters
 * content_objective  required text, at most 5,000 characters
 * priority           low | normal | high | urgent, default normal
 * content_type       blog_post | social_media | email | landing_page | press_release, default blog_post
 * strategy           sequential | parallel, default sequential
 * keywords           at most 20 distinct non-blank strings of at most 80 characters
 * agent_parameters   agent wire name -> {name: value}: at most 20 names per agent matching [a-z][a-z0-9_]{0,39};
 *                    values are strings (at most 500 characters), numbers, booleans, or arrays of at most 20 of
 *                    those; at most 8 KB in all (they are stored with the campaign, and each agent reads its own)
 * </pre>
 * Text is trimmed and must not contain control characters other than tab and line breaks; the three texts and each
 * keyword must contain a letter or digit. Unknown fields are
 * rejected; fields campaignflow sets itself (status, workflow_id, ...) are rejected as read-only. An optional field
 * given as JSON {@code null} takes its default.
 */
public final class CampaignRequestParser {

    /** Largest accepted body; the longest valid request is well under it. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern PARAMETER_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");
    static final List<String> STRATEGIES = List.of("sequential", "parallel");
    static final int MAX_KEYWORDS = 20;
    static final int MAX_KEYWORD_LENGTH = 80;
    static final int MAX_PARAMETERS_PER_AGENT = 20;
    static final int MAX_PARAMETER_STRING_LENGTH = 500;
    static final int MAX_PARAMETER_ARRAY_SIZE = 20;
    static final int MAX_AGENT_PARAMETERS_BYTES = 8 * 1024;

    private static final List<String> FIELDS = List.of("campaign_id", "company_context", "target_audience",
            "content_objective", "priority", "content_type", "strategy", "keywords", "agent_parameters");
    private static final Set<String> READ_ONLY = Set.of("workflow_id", "status", "tenant", "owner", "created_at",
            "updated_at", "completed_at", "execution_arn", "degradation_level", "result", "quality_score");

    private final Map<String, Agent> agents;

    /** Checks agent parameters as the rule-based agents read them. */
    public CampaignRequestParser() {
        this(ruleBasedAgents());
    }

    /** @param agents the agents that will run, by name: each refuses parameters it could not run with */
    public CampaignRequestParser(Map<String, Agent> agents) {
        this.agents = Map.copyOf(agents);
    }

    private static Map<String, Agent> ruleBasedAgents() {
        RuleBasedAgents catalog = new RuleBasedAgents();
        Map<String, Agent> byName = new LinkedHashMap<>();
        catalog.names().forEach(name -> byName.put(name, catalog.agent(name)));
        return byName;
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Error messages must not echo the request back.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    public CampaignRequest parse(String json) {
        if (json == null) {
            throw new InvalidRequestException("body", "a JSON object is required");
        }
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public CampaignRequest parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidRequestException("body", "a JSON object is required");
        }
        if (json.length > MAX_BODY_BYTES) {
            throw new InvalidRequestException("body", "must be at most " + MAX_BODY_BYTES + " bytes, got " + json.length);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidRequestException("body", "is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("body", "cannot be read: " + e.getMessage());
        }
        return parse(root);
    }

    /** Validates an already parsed request. */
    public CampaignRequest parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object, got " + typeOf(root));
        }
        List<InvalidRequestException.Problem> problems = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (READ_ONLY.contains(name)) {
                problems.add(new InvalidRequestException.Problem(name,
                        "is read-only: campaignflow sets it; remove it from the request"));
            } else if (!FIELDS.contains(name)) {
                problems.add(new InvalidRequestException.Problem(name,
                        "is not a campaign request field; expected " + FIELDS));
            }
        });
        String campaignId = checked(problems, () -> campaignId(root));
        String companyContext = checked(problems, () -> requiredText(root, "company_context", 10_000));
        String targetAudience = checked(problems, () -> requiredText(root, "target_audience", 2_000));
        String contentObjective = checked(problems, () -> requiredText(root, "content_objective", 5_000));
        String priority = checked(problems, () -> oneOf(root, "priority", PRIORITIES, "normal"));
        String contentType = checked(problems,
                () -> oneOf(root, "content_type", MinimalViableWorkflow.CONTENT_TYPES, "blog_post"));
        String strategy = checked(problems, () -> oneOf(root, "strategy", STRATEGIES, "sequential"));
        List<String> keywords = checked(problems, () -> keywords(root.get("keywords")));
        Map<String, Map<String, Object>> agentParameters = checked(problems,
                () -> agentParameters(root.get("agent_parameters")));
        if (!problems.isEmpty()) {
            // refused anyway, so no stored campaign is replayed with it: name a parallel research focus too
            // (read from the JSON: the agent parameters may be among the problems)
            InvalidRequestException.Problem focus = researchFocusWithParallelStrategy(strategy,
                    root.path("agent_parameters").path("researcher").has("focus"));
            if (focus != null) {
                problems.add(focus);
            }
            throw new InvalidRequestException(problems);
        }
        return new CampaignRequest(campaignId, companyContext, targetAudience, contentObjective, priority, contentType,
                strategy, keywords, agentParameters);
    }

    /**
     * Refuses a research focus with strategy parallel: the plan gives each research branch its own focus, which a
     * request-wide one would silently lose to. Checked for new campaigns and new parameters only (not by
     * {@link #parse}), so that campaigns stored before it was refused can still be replayed, resumed and rerun.
     */
    public static void refuseResearchFocusWithParallelStrategy(CampaignRequest request) {
        InvalidRequestException.Problem problem = researchFocusWithParallelStrategy(request.strategy(),
                request.agentParameters().getOrDefault("researcher", Map.of()).containsKey("focus"));
        if (problem != null) {
            throw new InvalidRequestException(List.of(problem));
        }
    }

    /** The problem of a research focus with strategy parallel; null when there is none. */
    private static InvalidRequestException.Problem researchFocusWithParallelStrategy(String strategy,
                                                                                     boolean researchFocus) {
        if (!"parallel".equals(strategy) || !researchFocus) {
            return null;
        }
        return new InvalidRequestException.Problem("agent_parameters.researcher.focus", "cannot be chosen with strategy"
                + " parallel, whose three research branches have the foci "
                + String.join(", ", MasterPlanner.RESEARCH_FOCUSES) + "; use strategy sequential to research one focus");
    }

    /** The field's value, or null with its problems added to {@code problems}. */
    private static <T> T checked(List<InvalidRequestException.Problem> problems, Supplier<T> field) {
        try {
            return field.get();
        } catch (InvalidRequestException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static String campaignId(JsonNode root) {
        String campaignId = requiredText(root, "campaign_id", 64);
        if (!CAMPAIGN_ID.matcher(campaignId).matches()) {
            throw new InvalidRequestException("campaign_id",
                    "must be 1 to 64 letters, digits, '_' or '-', got '" + campaignId + "'");
        }
        return campaignId;
    }

    private static String requiredText(JsonNode root, String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidRequestException(field, "is required");
        }
        return wordText(node, field, maxLength);
    }

    /** Text the agents write about: it must hold a word ("!!!" or "..." gives them nothing to work with). */
    private static String wordText(JsonNode node, String field, int maxLength) {
        String value = text(node, field, maxLength);
        if (value.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw new InvalidRequestException(field,
                    "must contain at least one letter or digit, got '" + Text.ellipsize(value, 40) + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field, int maxLength) {
        if (!node.isTextual()) {
            throw new InvalidRequestException(field, "must be a string, got " + typeOf(node));
        }
        String value = node.textValue().strip();
        if (value.isEmpty()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        int characters = Text.characters(value);
        if (characters > maxLength) {
            throw new InvalidRequestException(field,
                    "must be at most " + maxLength + " characters, got " + characters);
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
            throw new InvalidRequestException(field, "must not contain control characters (tab and line breaks"
                    + " aside)");
        }
        refuseLoneSurrogate(field, value);
        return value;
    }

    /** Half a surrogate pair (a {@code "\\ud800"} escape) is not text: it would be stored as '?'. */
    public static void refuseLoneSurrogate(String field, String value) {
        int at = Text.loneSurrogate(value);
        if (at >= 0) {
            throw new InvalidRequestException(field, String.format("must be valid Unicode: character %d is half of a"
                    + " surrogate pair (\\u%04x)", Text.characters(value.substring(0, at)) + 1, (int) value.charAt(at)));
        }
    }

    private static String oneOf(JsonNode root, String field, List<String> allowed, String defaultValue) {
        JsonNode node = root.get(field);
        if (node == null) {
            return defaultValue;
        }
        if (node.isNull()) {
            throw nullGiven(field, "one of " + String.join(", ", allowed), "for " + defaultValue);
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException(field, "must be a string, one of " + allowed + ", got " + typeOf(node));
        }
        if (!allowed.contains(node.textValue())) {
            throw new InvalidRequestException(field,
                    "must be one of " + String.join(", ", allowed) + ", got '" + node.textValue() + "'");
        }
        return node.textValue();
    }

    private static List<String> keywords(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isNull()) {
            throw nullGiven("keywords", "an array of strings", "and the planner takes them from the request's texts");
        }
        if (!node.isArray()) {
            throw new InvalidRequestException("keywords", "must be an array of strings, got " + typeOf(node));
        }
        if (node.size() > MAX_KEYWORDS) {
            throw new InvalidRequestException("keywords",
                    "must have at most " + MAX_KEYWORDS + " keywords, got " + node.size());
        }
        List<String> keywords = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String field = "keywords[" + i + "]";
            String keyword = wordText(node.get(i), field, MAX_KEYWORD_LENGTH);
            Integer first = seen.putIfAbsent(keyword.toLowerCase(Locale.ROOT), i);
            if (first != null) {
                throw new InvalidRequestException(field, "repeats keywords[" + first + "] ('" + keyword + "')");
            }
            keywords.add(keyword);
        }
        return keywords;
    }

    private Map<String, Map<String, Object>> agentParameters(JsonNode node) {
        if (node == null) {
            return Map.of();
        }
        if (node.isNull()) {
            throw nullGiven("agent_parameters", "an object of agent name to parameters", "for none");
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("agent_parameters",
                    "must be an object of agent name to parameters, got " + typeOf(node));
        }
        int size = node.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_AGENT_PARAMETERS_BYTES) {
            throw new InvalidRequestException("agent_parameters",
                    "must be at most " + MAX_AGENT_PARAMETERS_BYTES + " bytes as JSON, got " + size);
        }
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        List<InvalidRequestException.Problem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> agent : node.properties()) { // every wrong agent named, not just the first
            Map<String, Object> checked = checked(problems, () -> agentParameters(agent.getKey(), agent.getValue()));
            if (checked != null) {
                parameters.put(agent.getKey(), checked);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return parameters;
    }

    private Map<String, Object> agentParameters(String agentName, JsonNode values) {
        String field = "agent_parameters." + agentName;
        if (!isAgent(agentName)) {
            throw new InvalidRequestException(field, "is not an agent; expected one of " + agentNames());
        }
        if (!values.isObject()) {
            throw new InvalidRequestException(field, "must be an object of parameter name to value, got "
                    + typeOf(values));
        }
        if (values.size() > MAX_PARAMETERS_PER_AGENT) {
            throw new InvalidRequestException(field,
                    "must have at most " + MAX_PARAMETERS_PER_AGENT + " parameters, got " + values.size());
        }
        Map<String, Object> agentParameters = new LinkedHashMap<>();
        List<InvalidRequestException.Problem> problems = new ArrayList<>(); // every wrong parameter named at once
        Agent runs = agents.get(agentName);
        for (Map.Entry<String, JsonNode> parameter : values.properties()) {
            String name = field + "." + parameter.getKey();
            Object value = checked(problems, () -> parameterValue(name, parameter.getKey(), parameter.getValue()));
            if (value == null) {
                continue;
            }
            if (runs != null) {
                // each parameter alone: the agents' checks are per parameter
                try {
                    runs.checkParameters(Map.of(parameter.getKey(), value));
                } catch (AgentFailedException e) {
                    // refused here rather than failing the campaign (and counting against the agent's health)
                    problems.add(new InvalidRequestException.Problem(name, e.getMessage()));
                    continue;
                }
            }
            agentParameters.put(parameter.getKey(), value);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return agentParameters;
    }

    /** A parameter's value as the agents take it: a scalar, or a bounded list of scalars. */
    private static Object parameterValue(String field, String parameterName, JsonNode value) {
        if (!PARAMETER_NAME.matcher(parameterName).matches()) {
            throw new InvalidRequestException(field, "parameter names must match " + PARAMETER_NAME.pattern());
        }
        if (!value.isArray()) {
            return scalar(value, field);
        }
        if (value.size() > MAX_PARAMETER_ARRAY_SIZE) {
            throw new InvalidRequestException(field,
                    "must have at most " + MAX_PARAMETER_ARRAY_SIZE + " values, got " + value.size());
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(scalar(value.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(items);
    }

    private static Object scalar(JsonNode value, String field) {
        if (value.isTextual()) {
            return text(value, field, MAX_PARAMETER_STRING_LENGTH);
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new InvalidRequestException(field, "is out of range");
            }
            return value.canConvertToInt() ? (Object) value.intValue() : (Object) value.longValue();
        }
        if (value.isFloatingPointNumber()) {
            double number = value.doubleValue();
            double size = Math.abs(number);
            // the request is stored in DynamoDB, whose numbers are 0 or 1e-130 to under 1e126 in size
            if (!Double.isFinite(number) || (size != 0 && (size < 1e-130 || size >= 1e126))) {
                throw new InvalidRequestException(field, "is out of range: a number is 0 or from 1e-130 to 1e125"
                        + " in size, got " + value.asText());
            }
            return number;
        }
        throw new InvalidRequestException(field, "must be a string, number or boolean"
                + (value.isContainerNode() ? " (or an array of those at the top level)" : "") + ", got " + typeOf(value));
    }

    private static boolean isAgent(String name) {
        for (AgentName agent : AgentName.values()) {
            if (agent.wireName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> agentNames() {
        return Arrays.stream(AgentName.values()).map(AgentName::wireName).toList();
    }

    /**
     * An optional field sent as null: refused, as API Gateway's request model refuses it on AWS (its types do not
     * include null), with what to send instead.
     */
    private static InvalidRequestException nullGiven(String field, String expected, String absentMeans) {
        return new InvalidRequestException(field, "must be " + expected + ", got null; leave the field out "
                + absentMeans);
    }

    private static String typeOf(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
