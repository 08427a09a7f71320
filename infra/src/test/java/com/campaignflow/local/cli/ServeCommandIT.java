package com.campaignflow.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.Main;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as its own process: it prints its endpoint and development key, answers the REST API, the
 * Step Functions API and the dashboard on one port, stops on SIGTERM, and keeps the key for the next start.
 */
class ServeCommandIT {

    private static final Pattern ENDPOINT = Pattern.compile("local cloud on (http://localhost:\\d+)");
    private static final Pattern KEY = Pattern.compile("API key\\s+(\\S+) \\(tenant local");
    private static final Pattern AWS_KEY = Pattern.compile("AWS access key\\s+(\\S+) secret (\\S+)");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void serve_answersOnOnePort_stopsOnSigterm_andKeepsItsDevelopmentKey() throws Exception {
        Served first = serve();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(first.endpoint
                    + "/system/health-status")).header("x-api-key", first.key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(first.endpoint
                    + "/system/health-status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            // the gateway's own errors take template.yaml's GatewayResponses: the API's {"error","message"} shape
            assertThat(JSON.readTree(anonymous.body()).path("error").asText()).isEqualTo("unauthorized");
            HttpResponse<String> wrongKey = http.send(HttpRequest.newBuilder(URI.create(first.endpoint
                    + "/system/health-status")).header("x-api-key", "not-a-key-of-anyone").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(wrongKey.body()).path("message").asText()).isEqualTo("the API key is not valid");
            HttpResponse<String> noRoute = http.send(HttpRequest.newBuilder(URI.create(first.endpoint
                    + "/campaigns")).header("x-api-key", first.key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noRoute.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(noRoute.body()).path("error").asText()).isEqualTo("not_found");
            HttpRequest.Builder listMachines = HttpRequest.newBuilder(URI.create(first.endpoint + "/"))
                    .header("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> unsigned = http.send(listMachines.copy().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).as("the Step Functions API takes the printed key only").isEqualTo(403);
            HttpResponse<String> machines = http.send(listMachines.header("Authorization", "AWS4-HMAC-SHA256 Credential="
                    + first.awsKeyId + "/20261128/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(machines.body()).contains("campaignflow-workflow");
            HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(first.endpoint + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dashboard.statusCode()).isEqualTo(200);
        } finally {
            first.process.destroy(); // SIGTERM
        }
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();

        Served second = serve();
        second.process.destroy();
        second.process.waitFor(30, TimeUnit.SECONDS);
        assertThat(second.key).isEqualTo(first.key);
    }

    private record Served(Process process, String endpoint, String key, String awsKeyId) {
    }

    private Served serve() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0",
                "--data-dir", dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String endpoint = null;
        String key = null;
        String awsKeyId = null;
        List<String> lines = new ArrayList<>();
        String line;
        while (key == null && (line = out.readLine()) != null) { // bounded: serve prints its banner, then waits
            lines.add(line);
            Matcher e = ENDPOINT.matcher(line);
            if (e.find()) {
                endpoint = e.group(1);
            }
            Matcher aws = AWS_KEY.matcher(line);
            if (aws.find()) {
                awsKeyId = aws.group(1);
            }
            Matcher k = KEY.matcher(line);
            if (k.find()) {
                key = k.group(1);
            }
        }
        assertThat(endpoint).as("serve output %s", lines).isNotNull();
        assertThat(key).as("serve output %s", lines).isNotNull();
        assertThat(awsKeyId).as("serve output %s", lines).isNotNull();
        return new Served(process, endpoint, key, awsKeyId);
    }
}
