package com.campaignflow.local.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the parts of a SAM template the local cloud runs; see {@link SamTemplate}. */
final class SamTemplateParser {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final String SERVERLESS_API = "AWS::Serverless::Api";
    private static final String IMPLICIT_API = "ServerlessRestApi";
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.([A-Za-z0-9.]+))?}");
    // SAM defaults when neither the function nor Globals set them.
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;
    // Lambda's limits
    private static final int MAX_TIMEOUT_SECONDS = 900;
    private static final int MIN_MEMORY_MB = 128;
    private static final int MAX_MEMORY_MB = 10_240;

    private final Map<String, Object> template;
    private final IntrinsicResolver resolver;
    private final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    private final Map<String, String> resourceTypes = new LinkedHashMap<>();
    private final Map<String, String> parameterDefaults = new LinkedHashMap<>();

    SamTemplateParser(Map<String, Object> template, IntrinsicResolver resolver) {
        this.template = template;
        this.resolver = resolver;
    }

    SamTemplate parse() {
        Map<String, Object> resourceSection = mapping(template.get("Resources"), "Resources");
        if (resourceSection.isEmpty()) {
            throw new TemplateException("template has no Resources");
        }
        resourceSection.forEach((id, value) -> {
            Map<String, Object> resource = mapping(value, "Resources." + id);
            Object type = resource.get("Type");
            if (!(type instanceof String typeName) || typeName.isBlank()) {
                throw new TemplateException("Resources." + id + ".Type is missing or not a string");
            }
            resources.put(id, resource);
            resourceTypes.put(id, typeName);
        });
        mapping(template.getOrDefault("Parameters", Map.of()), "Parameters").forEach((name, value) -> {
            Object defaultValue = mapping(value, "Parameters." + name).get("Default");
            if (defaultValue instanceof String || defaultValue instanceof Number || defaultValue instanceof Boolean) {
                parameterDefaults.put(name, defaultValue.toString());
            }
        });
        Map<String, Object> globals = mapping(template.getOrDefault("Globals", Map.of()), "Globals");
        Map<String, Object> functionGlobals = mapping(globals.getOrDefault("Function", Map.of()), "Globals.Function");
        Map<String, Object> apiGlobals = mapping(globals.getOrDefault("Api", Map.of()), "Globals.Api");

        Map<String, SamFunction> functions = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if (FUNCTION.equals(resourceTypes.get(id))) {
                functions.put(id, function(id, resource, functionGlobals));
            }
        });

        List<RestRoute> routes = new ArrayList<>();
        String restStage = null;
        Optional<CorsConfig> cors = Optional.empty();
        Map<String, GatewayResponse> gatewayResponses = Map.of();
        Map<String, Map<String, Object>> apis = new LinkedHashMap<>();
        for (SamFunction function : functions.values()) {
            for (SamFunction.ApiEvent event : function.apiEvents()) {
                String apiId = event.restApiId() == null ? IMPLICIT_API : event.restApiId();
                Map<String, Object> api = apis.computeIfAbsent(apiId, key -> apiProperties(key, apiGlobals));
                routes.add(new RestRoute(event.method(), event.path(), function.logicalId(),
                        routeAuthorizer(apiId, api, event, functions)));
                if (restStage == null) {
                    restStage = api.get("StageName") instanceof String stage ? stage : "Prod";
                }
                if (cors.isEmpty()) {
                    cors = cors(api.get("Cors"), "Resources." + apiId + ".Properties.Cors");
                }
                if (gatewayResponses.isEmpty()) {
                    gatewayResponses = gatewayResponses(api.get("GatewayResponses"),
                            "Resources." + apiId + ".Properties.GatewayResponses");
                }
            }
        }
        checkUniqueRoutes(routes);

        WebSocketApi webSocket = webSocketApi(functions);
        return new SamTemplate(functions, routes, restStage == null ? "Prod" : restStage, cors, gatewayResponses,
                webSocket.routes(), webSocket.routeResponses(), webSocket.authorizer(), webSocket.stage(),
                webSocket.routeSelection());
    }

    // ---- functions ----

    private SamFunction function(String id, Map<String, Object> resource, Map<String, Object> globals) {
        String where = "Resources." + id + ".Properties";
        Map<String, Object> properties = mapping(resource.getOrDefault("Properties", Map.of()), where);
        Object handler = properties.getOrDefault("Handler", globals.get("Handler"));
        if (!(handler instanceof String handlerText)) {
            throw new TemplateException(where + ".Handler is missing (and not set in Globals.Function)");
        }
        HandlerSpec spec;
        try {
            spec = HandlerSpec.parse(handlerText);
        } catch (TemplateException e) {
            throw new TemplateException(where + ".Handler: " + e.getMessage());
        }
        String runtime = String.valueOf(properties.getOrDefault("Runtime", globals.getOrDefault("Runtime", "java21")));
        int timeout = positiveInt(properties.getOrDefault("Timeout", globals.getOrDefault("Timeout", DEFAULT_TIMEOUT_SECONDS)),
                where + ".Timeout");
        if (timeout > MAX_TIMEOUT_SECONDS) {
            throw new TemplateException(where + ".Timeout is " + timeout + " seconds; Lambda allows at most "
                    + MAX_TIMEOUT_SECONDS + " (15 minutes)");
        }
        int memory = positiveInt(properties.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", DEFAULT_MEMORY_MB)),
                where + ".MemorySize");
        if (memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB) {
            throw new TemplateException(where + ".MemorySize is " + memory + " MB; Lambda allows " + MIN_MEMORY_MB
                    + " to " + MAX_MEMORY_MB + " MB");
        }

        // SAM merges Globals maps key by key, the function's own value winning.
        Map<String, Object> variables = new LinkedHashMap<>(environmentVariables(globals, "Globals.Function"));
        variables.putAll(environmentVariables(properties, where));
        Map<String, String> environment = new LinkedHashMap<>();
        variables.forEach((name, value) -> resolveVariable(id, name, value, where).ifPresent(v -> environment.put(name, v)));

        List<SamFunction.ApiEvent> apiEvents = new ArrayList<>();
        List<SamFunction.ScheduleEvent> schedules = new ArrayList<>();
        mapping(properties.getOrDefault("Events", Map.of()), where + ".Events").forEach((name, value) -> {
            String eventWhere = where + ".Events." + name;
            Map<String, Object> event = mapping(value, eventWhere);
            Map<String, Object> eventProperties = mapping(event.getOrDefault("Properties", Map.of()), eventWhere + ".Properties");
            switch (String.valueOf(event.get("Type"))) {
                case "Api" -> apiEvents.add(apiEvent(name, eventProperties, eventWhere));
                case "Schedule", "ScheduleV2" -> schedules.add(scheduleEvent(name, eventProperties, eventWhere));
                default -> {
                    // Other event sources (SQS, S3 ...) are not emulated; the function is still invocable.
                }
            }
        });
        Object alias = properties.getOrDefault("AutoPublishAlias", globals.get("AutoPublishAlias"));
        return new SamFunction(id, spec, runtime, Duration.ofSeconds(timeout), memory, environment, apiEvents, schedules,
                alias instanceof String name && !name.isBlank() ? name : null);
    }

    private Map<String, Object> environmentVariables(Map<String, Object> properties, String where) {
        Map<String, Object> environment = mapping(properties.getOrDefault("Environment", Map.of()), where + ".Environment");
        return mapping(environment.getOrDefault("Variables", Map.of()), where + ".Environment.Variables");
    }

    private Optional<String> resolveVariable(String functionId, String name, Object value, String where) {
        return switch (value) {
            case null -> Optional.empty();
            case String s -> Optional.of(s);
            case Number n -> Optional.of(n.toString());
            case Boolean b -> Optional.of(b.toString());
            case Map<?, ?> intrinsic when intrinsic.size() == 1 -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) intrinsic;
                yield resolver.resolve(new IntrinsicResolver.Request(functionId, name, typed,
                        Map.copyOf(resourceTypes), Map.copyOf(parameterDefaults)));
            }
            default -> throw new TemplateException(where + ".Environment.Variables." + name
                    + " must be a string or one intrinsic function, got " + value);
        };
    }

    private SamFunction.ScheduleEvent scheduleEvent(String name, Map<String, Object> properties, String where) {
        String expressionWhere = where + ".Properties.Schedule";
        String expression = requiredString(properties.getOrDefault("Schedule", properties.get("ScheduleExpression")),
                expressionWhere);
        Object input = properties.get("Input");
        if (input != null && !(input instanceof String json && isJson(json))) {
            throw new TemplateException(where + ".Properties.Input must be a JSON text (the event the function gets),"
                    + " got " + describe(input));
        }
        SamFunction.ScheduleEvent event = new SamFunction.ScheduleEvent(name, expression,
                !Boolean.FALSE.equals(properties.get("Enabled")) && !"DISABLED".equals(properties.get("State")),
                (String) input);
        try {
            event.rate();
        } catch (IllegalArgumentException e) {
            throw new TemplateException(expressionWhere + ": " + e.getMessage());
        }
        return event;
    }

    private static boolean isJson(String text) {
        try {
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            return !text.isBlank();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    private SamFunction.ApiEvent apiEvent(String name, Map<String, Object> properties, String where) {
        String path = requiredString(properties.get("Path"), where + ".Properties.Path");
        if (!path.startsWith("/")) {
            throw new TemplateException(where + ".Properties.Path must start with '/', got '" + path + "'");
        }
        String method = requiredString(properties.get("Method"), where + ".Properties.Method").toUpperCase(Locale.ROOT);
        String restApiId = null;
        Object apiRef = properties.get("RestApiId");
        if (apiRef != null) {
            restApiId = referencedResource(apiRef).orElseThrow(() ->
                    new TemplateException(where + ".Properties.RestApiId must be !Ref of an API resource, got " + apiRef));
            if (!resources.containsKey(restApiId)) {
                throw new TemplateException(where + ".Properties.RestApiId refers to unknown resource " + restApiId);
            }
        }
        Map<String, Object> auth = mapping(properties.getOrDefault("Auth", Map.of()), where + ".Properties.Auth");
        String authorizer = auth.get("Authorizer") instanceof String a ? a : null;
        return new SamFunction.ApiEvent(name, "ANY".equals(method) ? "ANY" : method, path, restApiId, authorizer);
    }

    // ---- REST API ----

    private Map<String, Object> apiProperties(String apiId, Map<String, Object> apiGlobals) {
        Map<String, Object> merged = new LinkedHashMap<>(apiGlobals);
        Map<String, Object> resource = resources.get(apiId);
        if (resource != null) {
            if (!SERVERLESS_API.equals(resourceTypes.get(apiId))) {
                throw new TemplateException("RestApiId " + apiId + " is a " + resourceTypes.get(apiId)
                        + "; the local gateway serves AWS::Serverless::Api routes");
            }
            merged.putAll(mapping(resource.getOrDefault("Properties", Map.of()), "Resources." + apiId + ".Properties"));
        }
        return merged;
    }

    private Optional<Authorizer> routeAuthorizer(String apiId, Map<String, Object> api, SamFunction.ApiEvent event,
                                                 Map<String, SamFunction> functions) {
        String where = "Resources." + apiId + ".Properties.Auth";
        Map<String, Object> auth = mapping(api.getOrDefault("Auth", Map.of()), where);
        String name = event.authorizer() != null ? event.authorizer()
                : auth.get("DefaultAuthorizer") instanceof String d ? d : null;
        if (name == null || "NONE".equals(name) || "AWS_IAM".equals(name)) {
            return Optional.empty();
        }
        Map<String, Object> authorizers = mapping(auth.getOrDefault("Authorizers", Map.of()), where + ".Authorizers");
        if (!authorizers.containsKey(name)) {
            throw new TemplateException("authorizer " + name + " is not defined in " + where + ".Authorizers");
        }
        String authorizerWhere = where + ".Authorizers." + name;
        Map<String, Object> definition = mapping(authorizers.get(name), authorizerWhere);
        Object functionArn = definition.get("FunctionArn");
        if (functionArn == null) {
            throw new TemplateException(authorizerWhere + " has no FunctionArn (only Lambda authorizers run locally)");
        }
        String functionId = referencedFunction(functionArn, functions).orElseThrow(() ->
                new TemplateException(authorizerWhere + ".FunctionArn does not refer to a function of this template"));
        Authorizer.PayloadType type;
        try {
            type = Authorizer.PayloadType.valueOf(String.valueOf(definition.getOrDefault("FunctionPayloadType", "TOKEN")));
        } catch (IllegalArgumentException e) {
            throw new TemplateException(authorizerWhere + ".FunctionPayloadType must be TOKEN or REQUEST");
        }
        Map<String, Object> identity = mapping(definition.getOrDefault("Identity", Map.of()), authorizerWhere + ".Identity");
        List<String> sources = new ArrayList<>();
        if (type == Authorizer.PayloadType.TOKEN) {
            sources.add("method.request.header." + identity.getOrDefault("Header", "Authorization"));
        } else {
            strings(identity.get("Headers"), authorizerWhere + ".Identity.Headers")
                    .forEach(h -> sources.add("method.request.header." + h));
            strings(identity.get("QueryStrings"), authorizerWhere + ".Identity.QueryStrings")
                    .forEach(q -> sources.add("method.request.querystring." + q));
        }
        return Optional.of(new Authorizer(name, functionId, type, sources));
    }

    private Optional<CorsConfig> cors(Object cors, String where) {
        if (cors == null) {
            return Optional.empty();
        }
        if (cors instanceof String origin) {
            return Optional.of(new CorsConfig(unquote(origin), "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT", null, null, false));
        }
        Map<String, Object> config = mapping(cors, where);
        Object origin = resolved(config.get("AllowOrigin"), "AllowOrigin");
        if (!(origin instanceof String originText)) {
            throw new TemplateException(where + ".AllowOrigin is required (a string, or an intrinsic over parameters)");
        }
        return Optional.of(new CorsConfig(unquote(originText),
                config.get("AllowMethods") instanceof String m ? unquote(m) : "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT",
                config.get("AllowHeaders") instanceof String h ? unquote(h) : null,
                config.get("MaxAge") == null ? null : unquote(String.valueOf(config.get("MaxAge"))),
                Boolean.TRUE.equals(config.get("AllowCredentials"))));
    }

    /**
     * A value that may be an intrinsic over parameters, e.g. {@code !Sub "'${DashboardOrigin}'"}: resolved like an
     * environment value (parameter defaults); other values as they are.
     */
    private Object resolved(Object value, String name) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) intrinsic;
            return resolver.resolve(new IntrinsicResolver.Request(null, name, typed,
                    Map.copyOf(resourceTypes), Map.copyOf(parameterDefaults))).orElse(null);
        }
        return value;
    }

    /** The API's GatewayResponses: per response type, a status override, headers and a JSON body template. */
    private Map<String, GatewayResponse> gatewayResponses(Object responses, String where) {
        if (responses == null) {
            return Map.of();
        }
        Map<String, GatewayResponse> byType = new LinkedHashMap<>();
        mapping(responses, where).forEach((type, value) -> {
            String at = where + "." + type;
            Map<String, Object> response = mapping(value, at);
            Integer status = null;
            Object code = response.get("StatusCode");
            if (code != null) {
                if (!String.valueOf(code).matches("[1-5]\\d{2}")) {
                    throw new TemplateException(at + ".StatusCode must be an HTTP status such as '404', got "
                            + describe(code));
                }
                status = Integer.parseInt(String.valueOf(code));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, Object> parameters = mapping(response.getOrDefault("ResponseParameters", Map.of()),
                    at + ".ResponseParameters");
            mapping(parameters.getOrDefault("Headers", Map.of()), at + ".ResponseParameters.Headers")
                    .forEach((header, headerValue) -> {
                        if (!(resolved(headerValue, header) instanceof String text)) {
                            throw new TemplateException(at + ".ResponseParameters.Headers." + header
                                    + " must be a quoted literal such as \"'*'\"");
                        }
                        headers.put(header, unquote(text));
                    });
            Object template = mapping(response.getOrDefault("ResponseTemplates", Map.of()), at + ".ResponseTemplates")
                    .get("application/json");
            byType.put(type, new GatewayResponse(status, headers, template == null ? null : String.valueOf(template)));
        });
        return byType;
    }

    /** SAM Cors values are API Gateway mapping expressions: literal strings wrapped in single quotes. */
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'") ? value.substring(1, value.length() - 1) : value;
    }

    private static void checkUniqueRoutes(List<RestRoute> routes) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (RestRoute route : routes) {
            String key = route.method() + " " + route.path().replaceAll("\\{[^}]+}", "{}");
            String previous = seen.putIfAbsent(key, route.functionLogicalId());
            if (previous != null) {
                throw new TemplateException("route " + route.method() + " " + route.path() + " is declared by both "
                        + previous + " and " + route.functionLogicalId());
            }
        }
    }

    // ---- WebSocket API ----

    private record WebSocketApi(Map<String, String> routes, Set<String> routeResponses, Optional<Authorizer> authorizer,
                                String stage, String routeSelection) {
    }

    private WebSocketApi webSocketApi(Map<String, SamFunction> functions) {
        Map<String, String> routes = new LinkedHashMap<>();
        Optional<Authorizer> authorizer = Optional.empty();
        String stage = null;
        String routeSelection = "$request.body.action";
        Map<String, String> routeKeysById = new LinkedHashMap<>();
        Set<String> routesSelectingResponses = new HashSet<>();
        Set<String> routesWithResponses = new HashSet<>();
        for (Map.Entry<String, Map<String, Object>> entry : resources.entrySet()) {
            String id = entry.getKey();
            String where = "Resources." + id + ".Properties";
            Map<String, Object> properties = mapping(entry.getValue().getOrDefault("Properties", Map.of()), where);
            switch (resourceTypes.get(id)) {
                case "AWS::ApiGatewayV2::Route" -> {
                    String routeKey = requiredString(properties.get("RouteKey"), where + ".RouteKey");
                    routeKeysById.put(id, routeKey);
                    if (properties.get("RouteResponseSelectionExpression") != null) {
                        routesSelectingResponses.add(id);
                    }
                    Object target = properties.get("Target");
                    if (target == null) {
                        continue; // a route without integration answers nothing; API Gateway would refuse the message
                    }
                    String integrationId = referencedResource(target)
                            .filter(ref -> "AWS::ApiGatewayV2::Integration".equals(resourceTypes.get(ref)))
                            .orElseThrow(() -> new TemplateException(where + ".Target must reference an "
                                    + "AWS::ApiGatewayV2::Integration (integrations/${Integration}), got " + target));
                    String integrationWhere = "Resources." + integrationId + ".Properties";
                    Map<String, Object> integration = mapping(
                            resources.get(integrationId).getOrDefault("Properties", Map.of()), integrationWhere);
                    String function = referencedFunction(integration.get("IntegrationUri"), functions).orElseThrow(() ->
                            new TemplateException(integrationWhere + ".IntegrationUri does not refer to a function of this template"));
                    if (routes.putIfAbsent(routeKey, function) != null) {
                        throw new TemplateException("WebSocket route " + routeKey + " is declared twice");
                    }
                    if ("$connect".equals(routeKey) && properties.get("AuthorizerId") != null) {
                        authorizer = Optional.of(webSocketAuthorizer(properties.get("AuthorizerId"), where, functions));
                    }
                }
                case "AWS::ApiGatewayV2::Api" -> {
                    if ("WEBSOCKET".equals(properties.get("ProtocolType"))
                            && properties.get("RouteSelectionExpression") instanceof String expression) {
                        if (!expression.matches("\\$request\\.body\\.[A-Za-z0-9_.]+")) {
                            throw new TemplateException(where + ".RouteSelectionExpression must be $request.body.<field>, got "
                                    + expression);
                        }
                        routeSelection = expression;
                    }
                }
                case "AWS::ApiGatewayV2::RouteResponse" -> referencedResource(properties.get("RouteId"))
                        .ifPresent(routesWithResponses::add);
                case "AWS::ApiGatewayV2::Stage" -> {
                    if (stage == null && properties.get("StageName") instanceof String name) {
                        stage = name;
                    }
                }
                default -> {
                }
            }
        }
        // API Gateway sends an integration's response back to the client only on a two-way route: one with a
        // RouteResponseSelectionExpression and a RouteResponse.
        Set<String> routeResponses = new HashSet<>();
        routeKeysById.forEach((id, routeKey) -> {
            if (routesSelectingResponses.contains(id) && routesWithResponses.contains(id)) {
                routeResponses.add(routeKey);
            }
        });
        return new WebSocketApi(routes, routeResponses, authorizer, stage == null ? "Prod" : stage, routeSelection);
    }

    private Authorizer webSocketAuthorizer(Object reference, String routeWhere, Map<String, SamFunction> functions) {
        String id = referencedResource(reference)
                .filter(ref -> "AWS::ApiGatewayV2::Authorizer".equals(resourceTypes.get(ref)))
                .orElseThrow(() -> new TemplateException(routeWhere + ".AuthorizerId must be !Ref of an AWS::ApiGatewayV2::Authorizer"));
        String where = "Resources." + id + ".Properties";
        Map<String, Object> properties = mapping(resources.get(id).getOrDefault("Properties", Map.of()), where);
        String function = referencedFunction(properties.get("AuthorizerUri"), functions).orElseThrow(() ->
                new TemplateException(where + ".AuthorizerUri does not refer to a function of this template"));
        return new Authorizer(id, function, Authorizer.PayloadType.REQUEST,
                strings(properties.get("IdentitySource"), where + ".IdentitySource"));
    }

    // ---- references ----

    /** The resource named by {@code !Ref X}, {@code !GetAtt X.Attr}, or the one {@code ${X}} of a Sub/Join. */
    private Optional<String> referencedResource(Object value) {
        List<String> found = new ArrayList<>();
        collectReferences(value, found);
        return found.stream().filter(resources::containsKey).findFirst();
    }

    private Optional<String> referencedFunction(Object value, Map<String, SamFunction> functions) {
        List<String> found = new ArrayList<>();
        collectReferences(value, found);
        return found.stream().filter(functions::containsKey).findFirst();
    }

    private static void collectReferences(Object value, List<String> found) {
        switch (value) {
            case String text -> {
                Matcher matcher = SUB_REFERENCE.matcher(text);
                while (matcher.find()) {
                    found.add(matcher.group(1));
                }
            }
            case Map<?, ?> map -> map.forEach((key, argument) -> {
                if ("Ref".equals(key) && argument instanceof String id) {
                    // SAM's !Ref Function.Alias (AutoPublishAlias) names the function's alias
                    found.add(id.endsWith(".Alias") ? id.substring(0, id.length() - ".Alias".length()) : id);
                } else if ("Fn::GetAtt".equals(key) && argument instanceof List<?> parts && !parts.isEmpty()) {
                    found.add(String.valueOf(parts.get(0)));
                } else {
                    collectReferences(argument, found);
                }
            });
            case List<?> list -> list.forEach(item -> collectReferences(item, found));
            case null, default -> {
            }
        }
    }

    // ---- shape checks ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new TemplateException(where + " must be a mapping, got " + describe(value));
    }

    private static String requiredString(Object value, String where) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw new TemplateException(where + " must be a non-empty string, got " + describe(value));
    }

    private static List<String> strings(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new TemplateException(where + " must be a string or a list of strings, got " + describe(value));
    }

    private static int positiveInt(Object value, String where) {
        if (value instanceof Integer number && number > 0) {
            return number;
        }
        throw new TemplateException(where + " must be a positive integer, got " + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof Map || value instanceof List ? value.toString()
                : "'" + value + "' (" + value.getClass().getSimpleName() + ")";
    }
}
