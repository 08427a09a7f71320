package com.campaignflow.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    /** The local cloud's answer for resources it does not run itself: tables are dropped, the state machine named. */
    private static final IntrinsicResolver LOCAL = new LocalIntrinsics("campaignflow", (id, attribute) ->
            "CampaignStateMachine".equals(id)
                    ? Optional.of("arn:aws:states:us-east-1:000000000000:stateMachine:" + id)
                    : "WebSocketApi".equals(id) ? Optional.of("localws") : Optional.empty());

    private static SamTemplate fixture() throws URISyntaxException {
        return SamTemplate.parse(Path.of(SamTemplateTest.class.getResource("/templates/local-cloud-fixture.yaml").toURI()), LOCAL);
    }

    private static SamTemplate parse(String yaml) {
        return SamTemplate.parse(new StringReader(yaml), LOCAL);
    }

    @Test
    void shortFormTags_becomeTheirLongFormIntrinsics() {
        Map<String, Object> yaml = CloudFormationYaml.load(new StringReader("""
                a: !Ref Table
                b: !GetAtt Fn.Arn
                c: !Sub 'x-${AWS::Region}'
                d: !Join [',', [a, !Ref B]]
                e: !If [IsProd, !Select [0, !Split [',', 'a,b']], !FindInMap [M, K, V]]
                f: !Equals [!Not [!And [!Condition C1, !Or [x, y]]], z]
                g: !ImportValue Shared
                h: !Base64 text
                i: !GetAZs ''
                j: !GetAtt [Fn, Arn]
                """));

        assertThat(yaml).containsEntry("a", Map.of("Ref", "Table"))
                .containsEntry("b", Map.of("Fn::GetAtt", List.of("Fn", "Arn")))
                .containsEntry("c", Map.of("Fn::Sub", "x-${AWS::Region}"))
                .containsEntry("d", Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "B")))))
                .containsEntry("e", Map.of("Fn::If", List.of("IsProd",
                        Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", "a,b")))),
                        Map.of("Fn::FindInMap", List.of("M", "K", "V")))))
                .containsEntry("f", Map.of("Fn::Equals", List.of(Map.of("Fn::Not", List.of(Map.of("Fn::And",
                        List.of(Map.of("Condition", "C1"), Map.of("Fn::Or", List.of("x", "y")))))), "z")))
                .containsEntry("g", Map.of("Fn::ImportValue", "Shared"))
                .containsEntry("h", Map.of("Fn::Base64", "text"))
                .containsEntry("i", Map.of("Fn::GetAZs", ""))
                .containsEntry("j", Map.of("Fn::GetAtt", List.of("Fn", "Arn")));
    }

    @Test
    void functions_mergeGlobalsWithTheirOwnProperties() throws Exception {
        SamTemplate template = fixture();

        SamFunction api = template.function("ApiFunction").orElseThrow();
        assertThat(api.handler()).isEqualTo(new HandlerSpec("com.campaignflow.local.fixtures.ProxyEchoHandler", "handleRequest"));
        assertThat(api.runtime()).isEqualTo("java21");
        assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(api.memoryMb()).isEqualTo(512);
        assertThat(api.arn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:ApiFunction");

        SamFunction health = template.function("HealthCheckFunction").orElseThrow();
        assertThat(health.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(health.memoryMb()).isEqualTo(256);
        assertThat(template.function("AuthorizerFunction").orElseThrow().handler().methodName()).isEqualTo("handleRequest");
        assertThat(template.functions()).containsOnlyKeys("ApiFunction", "AuthorizerFunction", "HealthCheckFunction",
                "WebSocketFunction", "SlowFunction");
    }

    @Test
    void environment_resolvesIntrinsicsLocallyAndDropsWhatTheLocalCloudProvides() throws Exception {
        SamFunction api = fixture().function("ApiFunction").orElseThrow();

        assertThat(api.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GREETING", "hello",
                "LOG_LEVEL", "DEBUG",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:CampaignStateMachine",
                "HEALTH_FUNCTION_ARN", "arn:aws:lambda:us-east-1:000000000000:function:HealthCheckFunction",
                "WEBSOCKET_ENDPOINT", "https://localws.execute-api.us-east-1.amazonaws.com/Prod"));
        assertThat(api.environment()).doesNotContainKey("CAMPAIGNS_TABLE");
    }

    @Test
    void environment_resolverIsToldWhichFunctionAndVariableItResolves() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        SamTemplate.parse(new StringReader("""
                Resources:
                  Table: {Type: AWS::DynamoDB::Table}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment: {Variables: {T: !Ref Table}}
                """), request -> {
            asked.add(request.functionLogicalId() + " " + request.variable() + " " + request.intrinsic()
                    + " " + request.resourceTypes().get("Table"));
            return Optional.of("local-table");
        });

        assertThat(asked).containsExactly("Fn T {Ref=Table} AWS::DynamoDB::Table");
    }

    @Test
    void environment_anIntrinsicTheLocalCloudCannotResolve_isAnErrorNamingFunctionVariableAndIntrinsic() {
        Map<String, String> unresolvable = new java.util.LinkedHashMap<>();
        unresolvable.put("!If [IsProd, p, d]", "Fn::If");
        unresolvable.put("!Select [0, [x, y]]", "Fn::Select");
        unresolvable.put("!FindInMap [M, dev, size]", "Fn::FindInMap");
        unresolvable.put("!ImportValue other-stack-export", "Fn::ImportValue");
        unresolvable.put("!GetAtt Table.Arn", "Fn::GetAtt Table.Arn");
        unresolvable.put("!Base64 hello", "Fn::Base64");
        unresolvable.put("!Join [',', !Split ['|', 'a|b']]", "Fn::Join");
        unresolvable.put("!Ref Nothing", "Ref Nothing");
        unresolvable.forEach((value, intrinsic) -> assertThatThrownBy(() -> parse("""
                Resources:
                  Table: {Type: AWS::DynamoDB::Table}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment: {Variables: {SETTING: %s}}
                """.formatted(value))).as(value).isInstanceOf(TemplateException.class)
                .hasMessageContaining("function Fn, environment variable SETTING: the local cloud cannot resolve "
                        + intrinsic));
    }

    @Test
    void environment_refOfNoValue_leavesTheVariableUnset_asOnAws() {
        SamFunction fn = parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment: {Variables: {GONE: !Ref AWS::NoValue, KEPT: k}}
                """).function("Fn").orElseThrow();

        assertThat(fn.environment()).containsExactly(Map.entry("KEPT", "k"));
    }

    @Test
    void timeoutAndMemory_outsideLambdasLimits_areRefused() {
        String function = """
                Resources:
                  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.B, %s}}
                """;
        assertThat(parse(function.formatted("Timeout: 900, MemorySize: 10240")).function("Fn").orElseThrow().timeout())
                .isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> parse(function.formatted("Timeout: 901"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resources.Fn.Properties.Timeout is 901 seconds; Lambda allows at most 900");
        assertThatThrownBy(() -> parse(function.formatted("MemorySize: 20000"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resources.Fn.Properties.MemorySize is 20000 MB; Lambda allows 128 to 10240 MB");
        assertThatThrownBy(() -> parse(function.formatted("MemorySize: 64"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("MemorySize is 64 MB");
    }

    @Test
    void restRoutes_comeFromApiEventsWithTheirAuthorizer() throws Exception {
        SamTemplate template = fixture();

        assertThat(template.restRoutes()).extracting(RestRoute::method, RestRoute::path, RestRoute::functionLogicalId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "/campaigns/{campaignId}", "ApiFunction"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/campaigns", "ApiFunction"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/campaigns/latest", "ApiFunction"),
                        org.assertj.core.groups.Tuple.tuple("ANY", "/files/{proxy+}", "ApiFunction"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/system/health-status", "ApiFunction"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/slow", "SlowFunction"));
        Authorizer authorizer = new Authorizer("ApiKeyAuthorizer", "AuthorizerFunction", Authorizer.PayloadType.REQUEST,
                List.of("method.request.header.X-Api-Key"));
        assertThat(template.restRoutes().getFirst().authorizer()).contains(authorizer);
        assertThat(template.restRoutes().get(4).authorizer()).as("the health route: Authorizer NONE").isEmpty();
        assertThat(template.restAuthorizer()).contains(authorizer);
        assertThat(template.restStage()).isEqualTo("Prod");
        assertThat(template.cors()).contains(new CorsConfig("*", "GET,POST,OPTIONS", "Content-Type,X-Api-Key", "600", false));
    }

    @Test
    void webSocketRoutes_followRouteTargetsThroughIntegrationsToFunctions() throws Exception {
        SamTemplate template = fixture();

        assertThat(template.webSocketRoutes()).containsOnly(
                entry("$connect", "WebSocketFunction"), entry("$disconnect", "WebSocketFunction"),
                entry("echo", "WebSocketFunction"), entry("whoami", "WebSocketFunction"),
                entry("oneway", "WebSocketFunction"));
        assertThat(template.webSocketRouteResponses()).as("the two-way routes").containsOnly("echo", "whoami");
        assertThat(template.webSocketAuthorizer()).contains(new Authorizer("WebSocketAuthorizer", "AuthorizerFunction",
                Authorizer.PayloadType.REQUEST, List.of("route.request.querystring.api_key")));
        assertThat(template.webSocketStage()).isEqualTo("live");
        assertThat(template.webSocketRouteSelection()).isEqualTo("$request.body.action");
    }

    @Test
    void scheduleEvents_areKeptOnTheFunction() throws Exception {
        assertThat(fixture().function("HealthCheckFunction").orElseThrow().scheduleEvents())
                .containsExactly(new SamFunction.ScheduleEvent("EveryMinute", "rate(1 minute)", true));
    }

    @Test
    void scheduleExpressions_areParsedAsEventBridgeDoes_andAMalformedRateNamesFunctionAndEvent() {
        assertThat(new SamFunction.ScheduleEvent("E", "rate(1 minute)", true).rate()).contains(Duration.ofMinutes(1));
        assertThat(new SamFunction.ScheduleEvent("E", "rate(5 minutes)", true).rate()).contains(Duration.ofMinutes(5));
        assertThat(new SamFunction.ScheduleEvent("E", "rate(1 hour)", true).rate()).contains(Duration.ofHours(1));
        assertThat(new SamFunction.ScheduleEvent("E", "rate(3 days)", true).rate()).contains(Duration.ofDays(3));
        assertThat(new SamFunction.ScheduleEvent("E", "cron(0 12 * * ? *)", true).rate()).isEmpty();

        String function = """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Events:
                        Tick: {Type: Schedule, Properties: {Schedule: '%s'}}
                """;
        for (String bad : List.of("rate(banana)", "rate(1 hours)", "rate(5 hour)", "rate(0 minutes)", "rate(-1 minute)",
                "rate(1.5 hours)", "rate(2 weeks)", "every minute")) {
            assertThatThrownBy(() -> parse(function.formatted(bad))).as(bad).isInstanceOf(TemplateException.class)
                    .hasMessageContaining("Resources.Fn.Properties.Events.Tick.Properties.Schedule: '" + bad + "'");
        }
    }

    @Test
    void scheduleInput_isWhatTheFunctionReceives_andMustBeJson() {
        SamFunction.ScheduleEvent event = parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Events:
                        Tick: {Type: Schedule, Properties: {Schedule: rate(1 minute), Input: '{"custom": true}'}}
                """).function("Fn").orElseThrow().scheduleEvents().getFirst();

        assertThat(event.input()).isEqualTo("{\"custom\": true}");
        assertThatThrownBy(() -> parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Events:
                        Tick: {Type: Schedule, Properties: {Schedule: rate(1 minute), Input: 'not json'}}
                """)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resources.Fn.Properties.Events.Tick.Properties.Input must be a JSON text");
    }

    @Test
    void implicitApi_usesGlobalsAndTokenAuthorizerDefaults() {
        SamTemplate template = parse("""
                Globals:
                  Api:
                    Auth:
                      DefaultAuthorizer: Tok
                      Authorizers:
                        Tok: {FunctionArn: !GetAtt Auth.Arn}
                Resources:
                  Auth: {Type: AWS::Serverless::Function, Properties: {Handler: a.Auth}}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::run
                      Events:
                        Any: {Type: Api, Properties: {Path: '/{proxy+}', Method: ANY}}
                """);

        assertThat(template.restRoutes()).singleElement().satisfies(route -> {
            assertThat(route.method()).isEqualTo("ANY");
            assertThat(route.authorizer()).contains(new Authorizer("Tok", "Auth", Authorizer.PayloadType.TOKEN,
                    List.of("method.request.header.Authorization")));
        });
        assertThat(template.function("Fn").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(template.function("Fn").orElseThrow().memoryMb()).isEqualTo(128);
    }

    @Test
    void malformedTemplates_getErrorsNamingWhatIsWrong() {
        assertThatThrownBy(() -> parse("Resources: [a, b"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("- just a list"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("mapping at the top level");
        assertThatThrownBy(() -> parse("Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {}}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.Fn.Properties.Handler is missing");
        assertThatThrownBy(() -> parse("Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: 'not a class'}}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.Fn.Properties.Handler");
        assertThatThrownBy(() -> parse("Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.B, Timeout: soon}}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.Fn.Properties.Timeout must be a positive integer");
        assertThatThrownBy(() -> parse("Resources:\n  Fn: {Properties: {}}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.Fn.Type is missing");
        assertThatThrownBy(() -> parse("Resources:\n  X: {Type: A}\n  X: {Type: B}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("duplicate key X");
        assertThatThrownBy(() -> parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Events:
                        One: {Type: Api, Properties: {Path: '/a/{id}', Method: get}}
                        Two: {Type: Api, Properties: {Path: '/a/{other}', Method: GET}}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("route GET /a/{other} is declared by both");
        assertThatThrownBy(() -> parse("""
                Resources:
                  Route:
                    Type: AWS::ApiGatewayV2::Route
                    Properties: {RouteKey: $connect, Target: integrations/abc123}
                """)).isInstanceOf(TemplateException.class).hasMessageContaining("Resources.Route.Properties.Target must reference");
    }
}
