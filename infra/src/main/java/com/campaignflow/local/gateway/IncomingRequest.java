package com.campaignflow.local.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request (or WebSocket upgrade request) as API Gateway sees it: headers and query string in arrival order
 * with their repeated values, the caller's address and the body.
 */
record IncomingRequest(String method, String rawPath, List<Map.Entry<String, String>> headers, String rawQuery,
                       String sourceIp, byte[] body) {

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).reduce((a, b) -> b);
    }

    String userAgent() {
        return header("User-Agent").orElse(null);
    }

    /** Header name → last value, as API Gateway's {@code headers}. */
    Map<String, String> singleHeaders() {
        Map<String, String> single = new LinkedHashMap<>();
        headers.forEach(h -> single.put(h.getKey(), h.getValue()));
        return single;
    }

    Map<String, List<String>> multiHeaders() {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach(h -> multi.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        return multi;
    }

    Map<String, List<String>> multiQuery() {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return multi;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            multi.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return multi;
    }

    /** Query parameter → last value, as API Gateway's {@code queryStringParameters}. */
    Map<String, String> singleQuery() {
        Map<String, String> single = new LinkedHashMap<>();
        multiQuery().forEach((name, values) -> single.put(name, values.getLast()));
        return single;
    }

    Optional<String> queryParameter(String name) {
        return Optional.ofNullable(singleQuery().get(name));
    }

    String decodedPath() {
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The value of an API Gateway identity source ({@code method.request.header.X}, {@code route.request.querystring.x}). */
    Optional<String> identitySource(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        int headerAt = lower.indexOf(".request.header.");
        if (headerAt >= 0) {
            return header(source.substring(headerAt + ".request.header.".length())).filter(v -> !v.isEmpty());
        }
        int queryAt = lower.indexOf(".request.querystring.");
        if (queryAt >= 0) {
            return queryParameter(source.substring(queryAt + ".request.querystring.".length())).filter(v -> !v.isEmpty());
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a malformed escape is passed through as API Gateway does
        }
    }
}
