package com.campaignflow.functions.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.ApiRoute;
import com.campaignflow.functions.api.Router;
import com.campaignflow.functions.config.EnvironmentVariables;
import com.campaignflow.functions.config.EnvironmentVariables.Kind;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.handlers.AuthorizerHandler;
import com.campaignflow.functions.handlers.HandlerEnvironments;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * template.yaml agrees with the code it deploys: handlers exist, each function gets exactly the environment its
 * handler reads (declared in {@link EnvironmentVariables} and confirmed by constructing the handler), the state
 * machine's placeholders are all substituted, and the REST API's events are the router's routes. Each test collects
 * every disagreement before failing, so one run lists them all.
 */
class TemplateConsistencyTest {

    /** What CloudFormation would put where the template holds a dynamic reference ({{resolve:...}}). */
    private static final Map<String, String> RESOLVED_SECRETS = Map.of("API_KEYS", "acme=test-key-acme-0001");

    private final SamTemplate template = SamTemplate.load();
    private final FakeDeployment deployment = new FakeDeployment(template);

    @Test
    void localTablesExpireItems_exactlyWhereTheDeployedTablesHaveATimeToLive() {
        Map<String, String> deployed = new java.util.TreeMap<>();
        template.resources().forEach((id, resource) -> {
            Map<String, Object> r = SamTemplate.map(resource, id);
            if ("AWS::DynamoDB::Table".equals(r.get("Type"))) {
                Object ttl = SamTemplate.map(r.get("Properties"), id).get("TimeToLiveSpecification");
                String variable = id.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
                deployed.put(variable, ttl == null ? null : (String) SamTemplate.map(ttl, id).get("AttributeName"));
            }
        });
        Map<String, String> local = new java.util.TreeMap<>();
        deployed.keySet().forEach(v -> local.put(v,
                com.campaignflow.functions.handlers.Services.TTL_TABLES.contains(v)
                        ? com.campaignflow.functions.handlers.Services.TTL_ATTRIBUTE : null));
        assertThat(deployed).hasSize(5).isEqualTo(local);
    }

    @Test
    void everyFunctionHandler_namesAPublicHandlerClassWithThatMethodAndANoArgumentConstructor() {
        List<String> problems = new ArrayList<>();
        template.functions().forEach((id, properties) -> {
            String handler = (String) properties.get("Handler");
            if (handler == null || !handler.contains("::")) {
                problems.add(id + ": Handler must be class::method, got " + handler);
                return;
            }
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);
            Class<?> type;
            try {
                type = Class.forName(className);
            } catch (ClassNotFoundException e) {
                problems.add(id + ": handler class " + className + " is not on the classpath");
                return;
            }
            if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
                problems.add(id + ": " + className + " must be a public concrete class");
            }
            if (!RequestHandler.class.isAssignableFrom(type) && !RequestStreamHandler.class.isAssignableFrom(type)) {
                problems.add(id + ": " + className + " implements neither RequestHandler nor RequestStreamHandler");
            }
            if (!hasLambdaMethod(type, methodName)) {
                problems.add(id + ": " + className + " has no public " + methodName + "(event, Context) method");
            }
            try {
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                problems.add(id + ": " + className + " has no public no-argument constructor (what Lambda calls)");
            }
        });
        assertThat(problems).as("template.yaml handlers").isEmpty();
    }

    @Test
    void everyHandlerWithADeclaredEnvironment_isDeployed_andEveryDeployedHandlerHasOne() {
        Set<String> deployed = new TreeSet<>();
        template.functions().values().forEach(p -> deployed.add(handlerClassName(p)));
        Set<String> declared = HandlerEnvironments.handlers().stream().map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(deployed).as("handlers deployed by template.yaml vs declared in HandlerEnvironments")
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void everyFunction_setsTheVariablesItsHandlerRequires_andNoneItDoesNotRead() {
        List<String> problems = new ArrayList<>();
        template.functions().forEach((id, properties) -> {
            EnvironmentVariables.Group declared = HandlerEnvironments.of(handlerClass(properties));
            Set<String> set = template.environment(id).keySet();
            for (String required : declared.names(Kind.REQUIRED)) {
                if (!set.contains(required)) {
                    problems.add(id + ": " + required + " is read by its handler (" + declared.name()
                            + ") but not set");
                }
            }
            for (String variable : set) {
                if (declared.names(Kind.LOCAL_ONLY).contains(variable)) {
                    problems.add(id + ": " + variable + " is for the local cloud only and must not be deployed");
                } else if (!declared.contains(variable) && !EnvironmentVariables.isStandard(variable)) {
                    problems.add(id + ": " + variable + " is set but its handler (" + declared.name()
                            + ") never reads it");
                }
            }
        });
        assertThat(problems).as("function environments in template.yaml").isEmpty();
    }

    /**
     * Starts each handler the way Lambda does (no-argument constructor) under its template environment, with made-up
     * physical ids, and records what it reads. The service caches key on the declared variables, so every declared
     * variable is read on every construction; the SDK clients are shared per JVM as per container, so a variable
     * needed only to build a client may have been satisfied by an earlier function: the declaration test above is
     * what guarantees required variables are set.
     */
    @Test
    void everyHandler_constructedUnderItsTemplateEnvironment_startsAndReadsExactlyItsDeclaredVariables() {
        List<String> problems = new ArrayList<>();
        template.functions().forEach((id, properties) -> {
            Class<?> type = handlerClass(properties);
            Map<String, String> environment = new LinkedHashMap<>(deployment.lambdaRuntimeVariables(id));
            template.environment(id).forEach((name, value) -> environment.put(name, deployedValue(id, name, value)));
            Set<String> reads = ConcurrentHashMap.newKeySet();
            try {
                Constructor<?> constructor = type.getConstructor();
                FunctionEnvironment.runWith(environment,
                        () -> FunctionEnvironment.observeReads(reads::add, constructor::newInstance));
            } catch (InvocationTargetException e) {
                problems.add(id + ": " + type.getSimpleName() + " fails to start under its template environment: "
                        + e.getCause());
                return;
            } catch (Exception e) {
                problems.add(id + ": " + type.getSimpleName() + " cannot be constructed: " + e);
                return;
            }
            Set<String> read = reads.stream().filter(v -> !EnvironmentVariables.isStandard(v))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> declared = new TreeSet<>(HandlerEnvironments.of(type).names());
            if (!read.equals(declared)) {
                Set<String> undeclared = new TreeSet<>(read);
                undeclared.removeAll(declared);
                Set<String> unread = new TreeSet<>(declared);
                unread.removeAll(read);
                problems.add(id + ": " + type.getSimpleName() + " read undeclared " + undeclared
                        + " and did not read declared " + unread);
            }
        });
        assertThat(problems).as("handlers started under their template.yaml environments").isEmpty();
    }

    @Test
    void definitionPlaceholders_andDefinitionSubstitutions_nameTheSameAgentFunctions() throws Exception {
        Map<String, Object> stateMachine = template.properties("CampaignStateMachine");
        Path definition = template.repositoryRoot().resolve((String) stateMachine.get("DefinitionUri"));
        Set<String> placeholders = placeholders(Files.readString(definition));
        Map<String, Object> substitutions = SamTemplate.map(stateMachine.get("DefinitionSubstitutions"),
                "DefinitionSubstitutions");

        assertThat(substitutions.keySet()).as("DefinitionSubstitutions vs the ${...} placeholders of " + definition)
                .containsExactlyInAnyOrderElementsOf(placeholders);
        List<String> problems = new ArrayList<>();
        substitutions.forEach((placeholder, value) -> {
            String function = placeholder.replaceFirst("Arn$", "");
            if (!value.equals(Map.of("Ref", function + ".Alias"))) {
                problems.add(placeholder + " must be !Ref " + function + ".Alias (the SnapStart alias), got " + value);
            }
            if (!SamTemplate.FUNCTION.equals(template.type(function))) {
                problems.add(placeholder + ": " + function + " is not a function of the template");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void agentFunctionArnsOfTheApiFunction_areExactlyTheDefinitionSubstitutions() throws Exception {
        Map<String, Object> substitutions = SamTemplate.map(
                template.properties("CampaignStateMachine").get("DefinitionSubstitutions"), "DefinitionSubstitutions");
        String json = deployedValue("ApiFunction", "AGENT_FUNCTION_ARNS",
                template.environment("ApiFunction").get("AGENT_FUNCTION_ARNS"));
        JsonNode arns = new ObjectMapper().readTree(json);

        Map<String, String> expected = new LinkedHashMap<>();
        substitutions.forEach((k, v) -> expected.put(k, deployment.resolve(v, "DefinitionSubstitutions." + k)));
        Map<String, String> actual = new LinkedHashMap<>();
        arns.properties().forEach(e -> actual.put(e.getKey(), e.getValue().asText()));
        assertThat(actual).as("AGENT_FUNCTION_ARNS (plan state machines) vs DefinitionSubstitutions (default)")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void stateMachineRole_mayInvokeEveryAgentFunction_andNoOther() {
        Set<String> substituted = SamTemplate.map(template.properties("CampaignStateMachine")
                .get("DefinitionSubstitutions"), "DefinitionSubstitutions").keySet().stream()
                .map(p -> p.replaceFirst("Arn$", "")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> invocable = new TreeSet<>();
        for (Object policy : SamTemplate.list(template.properties("StateMachineRole").get("Policies"), "Policies")) {
            Map<String, Object> document = SamTemplate.map(SamTemplate.map(policy, "policy").get("PolicyDocument"),
                    "PolicyDocument");
            for (Object statement : SamTemplate.list(document.get("Statement"), "Statement")) {
                Map<String, Object> s = SamTemplate.map(statement, "Statement");
                if (!"lambda:InvokeFunction".equals(s.get("Action"))) {
                    continue;
                }
                for (Object resource : SamTemplate.list(s.get("Resource"), "Resource")) {
                    String text = resource.toString();
                    Matcher m = Pattern.compile("(\\w+Function)").matcher(text);
                    if (m.find()) {
                        invocable.add(m.group(1));
                    }
                }
            }
        }
        assertThat(invocable).as("functions StateMachineRole may invoke vs the agent functions of the definition")
                .containsExactlyInAnyOrderElementsOf(substituted);
    }

    @Test
    void everyRestRoute_hasAnApiEvent_andEveryApiEventIsARoute() {
        Set<String> routes = Arrays.stream(ApiRoute.values()).map(r -> r.method() + " " + r.openApiPath())
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> events = restApiEvents().keySet().stream().map(e -> e.replace("+}", "}"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(events).as("Api events in template.yaml vs ApiRoute").containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void apiEvents_markGreedyExactlyThePathParametersTheRouterLetsSpanSlashes() {
        List<String> problems = new ArrayList<>();
        restApiEvents().forEach((event, function) -> {
            String method = event.substring(0, event.indexOf(' '));
            String path = event.substring(event.indexOf(' ') + 1);
            Matcher parameter = Pattern.compile("\\{(\\w+)(\\+?)}").matcher(path);
            while (parameter.find()) {
                boolean greedyInTemplate = !parameter.group(2).isEmpty();
                String probe = path.substring(0, parameter.start()) + "p1/p2" + path.substring(parameter.end());
                probe = probe.replaceAll("\\{\\w+\\+?}", "p");
                boolean greedyInRouter = spansSlashes(method, probe, path.replace("+}", "}"), parameter.group(1));
                if (greedyInTemplate != greedyInRouter) {
                    problems.add(event + ": {" + parameter.group(1) + "} is " + (greedyInTemplate ? "" : "not ")
                            + "greedy in template.yaml but the router " + (greedyInRouter ? "lets" : "does not let")
                            + " it span '/'");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void onlyTheApiFunction_servesTheRestApi() {
        assertThat(new LinkedHashSet<>(restApiEvents().values())).containsExactly("ApiFunction");
    }

    @Test
    void planStateMachinePrefix_isWhatTheApiFunctionMayCreateAndRun_andTheWebSocketFunctionMayRead() {
        String prefix = (String) template.environment("ApiFunction").get("STATE_MACHINE_PREFIX");
        String apiPolicies = template.properties("ApiFunction").get("Policies").toString();
        String webSocketPolicies = template.properties("WebSocketFunction").get("Policies").toString();

        assertThat(prefix).isNotBlank();
        assertThat(apiPolicies).contains(":stateMachine:" + prefix + "*", ":execution:" + prefix + "*:*");
        assertThat(webSocketPolicies).contains(":execution:" + prefix + "*:*");
    }

    @Test
    void authorizerIdentitySources_areWhereTheAuthorizerLooksForTheKey() {
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(SamTemplate.map(
                template.properties("RestApi").get("Auth"), "Auth").get("Authorizers"), "Authorizers")
                .get("ApiKeyAuthorizer"), "ApiKeyAuthorizer");
        List<Object> headers = SamTemplate.list(SamTemplate.map(authorizer.get("Identity"), "Identity").get("Headers"),
                "Identity.Headers");
        List<Object> webSocketSources = SamTemplate.list(
                template.properties("WebSocketConnectAuthorizer").get("IdentitySource"), "IdentitySource");
        AuthorizerHandler handler = new AuthorizerHandler(ApiKeys.parse(RESOLVED_SECRETS.get("API_KEYS")));
        String key = RESOLVED_SECRETS.get("API_KEYS").split("=", 2)[1];

        assertThat(headers).hasSize(1);
        APIGatewayCustomAuthorizerEvent rest = new APIGatewayCustomAuthorizerEvent();
        rest.setMethodArn("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/campaigns");
        rest.setHeaders(Map.of(headers.getFirst().toString(), key));
        assertThat(handler.handleRequest(rest, null).getPrincipalId()).as("REST key in header " + headers.getFirst())
                .isEqualTo("acme");

        assertThat(webSocketSources).hasSize(1);
        String source = webSocketSources.getFirst().toString();
        assertThat(source).startsWith("route.request.querystring.");
        APIGatewayCustomAuthorizerEvent connect = new APIGatewayCustomAuthorizerEvent();
        connect.setMethodArn("arn:aws:execute-api:us-east-1:123456789012:w1s2/prod/$connect");
        connect.setQueryStringParameters(Map.of(source.substring("route.request.querystring.".length()), key));
        assertThat(handler.handleRequest(connect, null).getPrincipalId()).as("WebSocket key in " + source)
                .isEqualTo("acme");
    }

    /** "METHOD /path" of every Api event of every function, to the function's logical id. */
    private Map<String, String> restApiEvents() {
        Map<String, String> events = new LinkedHashMap<>();
        template.functions().forEach((id, properties) -> {
            Object all = properties.get("Events");
            if (all == null) {
                return;
            }
            SamTemplate.map(all, id + ".Events").forEach((name, e) -> {
                Map<String, Object> event = SamTemplate.map(e, id + ".Events." + name);
                if ("Api".equals(event.get("Type"))) {
                    Map<String, Object> p = SamTemplate.map(event.get("Properties"), name + ".Properties");
                    String key = p.get("Method").toString().toUpperCase(java.util.Locale.ROOT) + " " + p.get("Path");
                    if (events.put(key, id) != null) {
                        throw new IllegalStateException("two Api events for " + key);
                    }
                }
            });
        });
        return events;
    }

    /** Whether the router sends {@code method path} to the route {@code template} with {@code parameter} = "p1/p2". */
    private static boolean spansSlashes(String method, String path, String template, String parameter) {
        try {
            Router.Match match = Router.route(method, path);
            return match.route().openApiPath().equals(template) && "p1/p2".equals(match.parameter(parameter));
        } catch (RuntimeException notARoute) {
            return false;
        }
    }

    private String deployedValue(String functionId, String variable, Object value) {
        String resolved = deployment.resolve(value, functionId + " " + variable);
        if (resolved.contains("{{resolve:")) {
            String secret = RESOLVED_SECRETS.get(variable);
            if (secret == null) {
                throw new IllegalStateException(functionId + " " + variable + " is a dynamic reference: add what it "
                        + "resolves to to RESOLVED_SECRETS");
            }
            return secret;
        }
        return resolved;
    }

    private static Set<String> placeholders(String definition) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(definition);
        return m.results().map(r -> r.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String handlerClassName(Map<String, Object> properties) {
        String handler = (String) properties.get("Handler");
        return handler.substring(0, handler.indexOf("::"));
    }

    private static Class<?> handlerClass(Map<String, Object> properties) {
        try {
            return Class.forName(handlerClassName(properties));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("handler class missing: " + e.getMessage());
        }
    }

    private static boolean hasLambdaMethod(Class<?> type, String name) {
        for (Method method : type.getMethods()) {
            if (!method.getName().equals(name) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Class<?>[] p = method.getParameterTypes();
            if (p.length == 2 && p[1] == Context.class) {
                return true;
            }
            if (p.length == 3 && p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class) {
                return true;
            }
        }
        return false;
    }
}
