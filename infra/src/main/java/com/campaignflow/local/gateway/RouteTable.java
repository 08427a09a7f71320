package com.campaignflow.local.gateway;

import com.campaignflow.local.template.RestRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST routes, matched like API Gateway: literal path segments beat {@code {param}} segments, which beat a greedy
 * {@code {proxy+}}; a method-specific route beats {@code ANY} on the same resource.
 */
final class RouteTable {

    sealed interface Lookup {
    }

    record Found(RestRoute route, Map<String, String> pathParameters) implements Lookup {
    }

    record NotFound() implements Lookup {
    }

    private record Resource(String path, List<String> segments, Map<String, RestRoute> byMethod) {
    }

    private final List<Resource> resources;

    RouteTable(List<RestRoute> routes) {
        Map<String, Resource> byPath = new LinkedHashMap<>();
        for (RestRoute route : routes) {
            byPath.computeIfAbsent(route.path(), path -> new Resource(path, segments(path), new LinkedHashMap<>()))
                    .byMethod().put(route.method(), route);
        }
        List<Resource> sorted = new ArrayList<>(byPath.values());
        sorted.sort(Comparator.comparing(RouteTable::specificity));
        this.resources = List.copyOf(sorted);
    }

    /** Whether any resource matches the path, whatever the method. */
    boolean knowsPath(String rawPath) {
        List<String> requested = segments(rawPath);
        return resources.stream().anyMatch(r -> match(r, requested) != null);
    }

    /** The route for the method and path; NotFound when none declares both (API Gateway does not tell which). */
    Lookup lookup(String method, String rawPath) {
        List<String> requested = segments(rawPath);
        for (Resource resource : resources) {
            Map<String, String> parameters = match(resource, requested);
            if (parameters == null) {
                continue;
            }
            RestRoute route = resource.byMethod().getOrDefault(method, resource.byMethod().get("ANY"));
            if (route != null) {
                return new Found(route, parameters);
            }
        }
        return new NotFound();
    }

    private static Map<String, String> match(Resource resource, List<String> requested) {
        List<String> template = resource.segments();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= requested.size()) {
                    return null; // a greedy parameter needs at least one segment
                }
                List<String> rest = requested.subList(i, requested.size()).stream().map(RouteTable::decode).toList();
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", rest));
                return parameters;
            }
            if (i >= requested.size()) {
                return null;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), decode(requested.get(i)));
            } else if (!segment.equals(decode(requested.get(i)))) {
                return null;
            }
        }
        return template.size() == requested.size() ? parameters : null;
    }

    /** Per segment: 'a' literal, 'b' parameter, 'c' greedy; then longer first. Lexicographic order = priority. */
    private static String specificity(Resource resource) {
        StringBuilder key = new StringBuilder();
        for (String segment : resource.segments()) {
            key.append(segment.endsWith("+}") ? 'c' : segment.startsWith("{") ? 'b' : 'a');
        }
        return key.append('~').toString();
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
