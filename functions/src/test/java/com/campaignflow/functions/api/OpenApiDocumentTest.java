package com.campaignflow.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.api.exceptions.MethodNotAllowedException;
import com.campaignflow.functions.api.exceptions.PayloadTooLargeException;
import com.campaignflow.functions.api.exceptions.RouteNotFoundException;
import com.campaignflow.functions.api.exceptions.UnauthorizedException;
import com.campaignflow.functions.api.exceptions.UnsupportedMediaTypeException;
import com.campaignflow.functions.campaigns.CampaignNotFoundException;
import com.campaignflow.functions.checkpoints.CheckpointNotFoundException;
import com.campaignflow.functions.checkpoints.CheckpointExpiredException;
import com.campaignflow.functions.checkpoints.CorruptCheckpointException;
import com.campaignflow.functions.checkpoints.InvalidCheckpointIdException;
import com.campaignflow.functions.checkpoints.InvalidWorkflowIdException;
import com.campaignflow.functions.health.ConcurrentUpdateException;
import com.campaignflow.functions.orchestration.CampaignConflictException;
import com.campaignflow.functions.planning.CampaignRefusedException;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Keeps functions/src/main/resources/openapi.yaml true to the router, the handler's statuses and the error mapper. */
class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static Map<String, Object> document;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            document = new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static Map<String, Object> paths() {
        return map(document.get("paths"));
    }

    private static Map<String, Object> operation(ApiRoute route) {
        Map<String, Object> path = map(paths().get(route.openApiPath()));
        assertThat(path).as("path %s in openapi.yaml", route.openApiPath()).isNotNull();
        Map<String, Object> operation = map(path.get(route.method().toLowerCase()));
        assertThat(operation).as("%s %s in openapi.yaml", route.method(), route.openApiPath()).isNotNull();
        return operation;
    }

    /** events/api-*.json are API Gateway's own events: resource and pathParameters as template.yaml's Api events give them. */
    @Test
    void everyRestSampleEvent_namesARouteOfTheTemplate_withItsParameterNames() throws IOException {
        Set<String> routes = new TreeSet<>();
        Matcher declared = Pattern.compile("Path: (\\S+)\\s+Method: (\\w+)")
                .matcher(Files.readString(Path.of("..", "template.yaml")));
        while (declared.find()) {
            routes.add(declared.group(2).toUpperCase() + " " + declared.group(1));
        }
        assertThat(routes).hasSize(ApiRoute.values().length);
        List<Path> samples;
        try (var files = Files.list(Path.of("..", "events"))) {
            samples = files.filter(f -> f.getFileName().toString().startsWith("api-")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(6);
        ObjectMapper json = new ObjectMapper();
        Pattern placeholder = Pattern.compile("\\{([a-z_]+)\\+?}");
        for (Path sample : samples) {
            var event = json.readTree(sample.toFile());
            String resource = event.path("resource").asText();
            assertThat(routes).as("%s", sample).contains(event.path("httpMethod").asText() + " " + resource);
            assertThat(event.path("requestContext").path("resourcePath").asText()).as("%s", sample).isEqualTo(resource);
            Set<String> names = new TreeSet<>();
            Matcher m = placeholder.matcher(resource);
            while (m.find()) {
                names.add(m.group(1));
            }
            Set<String> given = new TreeSet<>();
            event.path("pathParameters").fieldNames().forEachRemaining(given::add);
            assertThat(given).as("%s: pathParameters", sample).isEqualTo(names);
        }
    }

    @Test
    void isOpenApi303_securedByTheApiKeyHeader() {
        assertThat(document.get("openapi")).isEqualTo("3.0.3");
        assertThat(map(map(map(document.get("components")).get("securitySchemes")).get("ApiKey")))
                .containsEntry("type", "apiKey").containsEntry("in", "header").containsEntry("name", "x-api-key");
        assertThat(document.get("security")).isEqualTo(List.of(Map.of("ApiKey", List.of())));
    }

    @Test
    void everyRouteOfTheRouter_isDocumentedWithExactlyTheStatusesItAnswers() {
        for (ApiRoute route : ApiRoute.values()) {
            Set<Integer> documented = new TreeSet<>();
            map(operation(route).get("responses")).keySet().forEach(code -> documented.add(Integer.parseInt(code)));
            assertThat(documented).as("responses of %s %s", route.method(), route.openApiPath())
                    .isEqualTo(route.statuses());
        }
    }

    @Test
    void everyDocumentedOperation_isARouteOfTheRouter() {
        Set<String> routes = new TreeSet<>();
        for (ApiRoute route : ApiRoute.values()) {
            routes.add(route.method() + " " + route.openApiPath());
        }
        Set<String> documented = new TreeSet<>();
        paths().forEach((path, item) -> map(item).keySet().stream().filter(HTTP_METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void everyPathParameter_isDeclared_andOnlyRoutesWithABodyDescribeOne() {
        Pattern placeholder = Pattern.compile("\\{([a-z_]+)}");
        for (ApiRoute route : ApiRoute.values()) {
            Map<String, Object> operation = operation(route);
            Set<String> declared = new TreeSet<>();
            for (Object p : (List<?>) operation.getOrDefault("parameters", List.of())) {
                Map<String, Object> parameter = resolve(map(p));
                if ("path".equals(parameter.get("in"))) {
                    declared.add((String) parameter.get("name"));
                }
            }
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = placeholder.matcher(route.openApiPath());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            assertThat(declared).as("path parameters of %s", route.openApiPath()).isEqualTo(inTemplate);
            assertThat(operation.containsKey("requestBody")).as("requestBody of %s %s", route.method(),
                    route.openApiPath()).isEqualTo(route.takesBody());
        }
    }

    @Test
    void everyReference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(resolve(Map.of("$ref", ref))).as(ref).isNotNull();
        }
    }

    @Test
    void theSampleCampaignRequest_usesOnlyDocumentedFields() throws IOException {
        Path sample = Files.isDirectory(Path.of("../events")) ? Path.of("../events/create-campaign.json")
                : Path.of("events/create-campaign.json");
        Map<String, Object> schema = resolve(Map.of("$ref", "#/components/schemas/CampaignRequest"));
        Set<String> fields = new ObjectMapper().readValue(sample.toFile(), Map.class).keySet();
        assertThat(map(schema.get("properties")).keySet()).containsAll(fields);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyErrorCodeTheMapperProduces_isInTheErrorSchema() {
        List<RuntimeException> errors = List.of(new InvalidRequestException("f", "m"),
                new InvalidCheckpointIdException("m"), new InvalidWorkflowIdException("m"), new UnauthorizedException("m"), new RouteNotFoundException("GET", "/"),
                new CampaignNotFoundException("c"), new CheckpointNotFoundException("c"),
                new MethodNotAllowedException("PUT", "/", List.of("GET")), new CampaignConflictException("m"),
                new PayloadTooLargeException(2, 1), new UnsupportedMediaTypeException(null),
                new CorruptCheckpointException("wf-a/checkpoint_002", "bad gzip", null, null),
                new CheckpointExpiredException("wf-a/checkpoint_002", java.time.Instant.EPOCH, null),
                new CampaignRefusedException("m", 5, List.of("planner")), new ConcurrentUpdateException("m"),
                new StoreUnavailableException("m", new java.io.IOException("disk")),
                new IllegalStateException("boom"));
        List<Object> codes = (List<Object>) map(map(map(resolve(Map.of("$ref", "#/components/schemas/Error")).get("properties"))
                .get("error"))).get("enum");
        for (RuntimeException error : errors) {
            ApiResponse response = ErrorMapper.toResponse(error, "req-1");
            assertThat(codes).as(error.getClass().getSimpleName()).contains(response.body().path("error").asText());
        }
    }

    private static Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        Object target = document;
        for (String part : ((String) ref).substring(2).split("/")) {
            target = target == null ? null : map(target).get(part);
        }
        return map(target);
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add((String) v);
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(item -> collectRefs(item, refs));
        }
    }
}
