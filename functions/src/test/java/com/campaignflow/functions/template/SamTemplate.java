package com.campaignflow.functions.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's template.yaml, read with {@link CloudFormationYaml}, and the few views the tests need. */
final class SamTemplate {

    static final String FUNCTION = "AWS::Serverless::Function";

    private final Path repositoryRoot;
    private final Map<String, Object> root;

    private SamTemplate(Path repositoryRoot, Map<String, Object> root) {
        this.repositoryRoot = repositoryRoot;
        this.root = root;
    }

    /** template.yaml of the repository the tests run in (found upwards from the working directory). */
    static SamTemplate load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
        }
        try {
            return new SamTemplate(dir, CloudFormationYaml.read(dir.resolve("template.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path repositoryRoot() {
        return repositoryRoot;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"), "Resources");
    }

    String type(String logicalId) {
        Object resource = resources().get(logicalId);
        return resource == null ? null : (String) map(resource, logicalId).get("Type");
    }

    Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = map(resources().get(logicalId), logicalId);
        return map(resource.getOrDefault("Properties", Map.of()), logicalId + ".Properties");
    }

    /** The AWS::Serverless::Function resources: logical id to Properties, in template order. */
    Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (FUNCTION.equals(map(resource, id).get("Type"))) {
                functions.put(id, properties(id));
            }
        });
        return functions;
    }

    /** The environment of a function as deployed: Globals.Function.Environment.Variables, then its own. */
    Map<String, Object> environment(String functionId) {
        Map<String, Object> variables = new LinkedHashMap<>(variables(globalFunctionProperties(), "Globals.Function"));
        variables.putAll(variables(properties(functionId), functionId));
        return variables;
    }

    Map<String, Object> globalFunctionProperties() {
        Map<String, Object> globals = map(root.getOrDefault("Globals", Map.of()), "Globals");
        return map(globals.getOrDefault("Function", Map.of()), "Globals.Function");
    }

    /** The Default of a parameter (null if the parameter has none or does not exist). */
    Object parameterDefault(String name) {
        Map<String, Object> parameters = map(root.getOrDefault("Parameters", Map.of()), "Parameters");
        Object parameter = parameters.get(name);
        return parameter == null ? null : map(parameter, name).get("Default");
    }

    boolean hasParameter(String name) {
        return map(root.getOrDefault("Parameters", Map.of()), "Parameters").containsKey(name);
    }

    private static Map<String, Object> variables(Map<String, Object> properties, String where) {
        Object environment = properties.get("Environment");
        if (environment == null) {
            return Map.of();
        }
        return map(map(environment, where + ".Environment").getOrDefault("Variables", Map.of()),
                where + ".Environment.Variables");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " is not a mapping in template.yaml: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String where) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(where + " is not a list in template.yaml: " + value);
        }
        return (List<Object>) value;
    }

    /** The {@code ${...}} references of a Fn::Sub string (not {@code ${!literal}}). */
    static List<String> subReferences(String text) {
        Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(text);
        return m.results().map(r -> r.group(1)).toList();
    }
}
