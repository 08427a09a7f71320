package com.campaignflow.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The REST API of a local cloud as a client sees it: real HTTP with the tenant's {@code x-api-key}. */
final class GatewayClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status and JSON body ({@code {"error","message"}} for errors). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The API's error message, else the whole body. */
        String message() {
            return body.hasNonNull("message") ? body.get("error").asText("error") + ": " + body.get("message").asText()
                    : body.toString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String apiKey;

    GatewayClient(URI endpoint, String apiKey) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A path segment, percent-encoded (checkpoint ids contain '/', kept as the greedy route expects). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("x-api-key", apiKey).header("Accept", "application/json");
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = response.body().length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JsonNodeFactory.instance.objectNode().put("error", "invalid_response")
                        .put("message", new String(response.body(), StandardCharsets.UTF_8));
            }
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("request to the local gateway failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
