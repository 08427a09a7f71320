package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local cloud on a temp data directory and an HTTP client of its REST API for one tenant. Campaign requests are
 * built from events/create-campaign.json (the README's sample), with another id and strategy.
 */
final class CloudTestbed implements AutoCloseable {

    static final String API_KEY = "test-key-0001";
    static final String API_KEYS = "local=" + API_KEY;
    static final Duration CAMPAIGN_TIMEOUT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    /** One HTTP answer. */
    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
    }

    final LocalCloud cloud;
    private final HttpClient http = HttpClient.newHttpClient();

    private CloudTestbed(LocalCloud cloud) {
        this.cloud = cloud;
    }

    static CloudTestbed start(Path dataDir, String faults) {
        return new CloudTestbed(LocalCloud.start(new LocalCloud.Options(dataDir, faults, API_KEYS, 0, log(), Duration.ZERO)));
    }

    /** A cloud whose checkpoints and tables live on an AWS-compatible endpoint ({@code serve --aws-endpoint}). */
    static CloudTestbed startOnAwsEndpoint(Path dataDir, String awsEndpoint) {
        return new CloudTestbed(LocalCloud.start(new LocalCloud.Options(dataDir, null, API_KEYS, 0, log(), Duration.ZERO)
                .withAwsEndpoint(awsEndpoint)));
    }

    /** A client of a cloud started elsewhere (closing it closes the cloud). */
    static CloudTestbed attach(LocalCloud cloud) {
        return new CloudTestbed(cloud);
    }

    /** Function and gateway logs of every test cloud: target/local-cloud-tests.log (appended). */
    private static synchronized PrintStream log() {
        if (log == null) {
            try {
                log = new PrintStream(new java.io.FileOutputStream("target/local-cloud-tests.log", true), true,
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                log = new PrintStream(OutputStream.nullOutputStream());
            }
        }
        return log;
    }

    private static PrintStream log;

    /** The sample request with this campaign id and strategy. */
    static ObjectNode request(String campaignId, String strategy) {
        try {
            ObjectNode request = (ObjectNode) JSON.readTree(sampleEvent("create-campaign.json").toFile());
            request.put("campaign_id", campaignId);
            request.put("strategy", strategy);
            return request;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the repository's events/ folder (tests run in infra/). */
    static Path sampleEvent(String name) {
        Path path = Path.of("..", "events", name);
        assertThat(path).exists();
        return path;
    }

    /** The key the cloud's Step Functions and Lambda APIs take (its functions' own), for SDK clients of tests. */
    AwsCredentialsProvider awsCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.awsCredentials().accessKeyId(),
                cloud.awsCredentials().secretAccessKey()));
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("x-api-key", API_KEY).GET().build());
    }

    Answer post(String path, JsonNode body) {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("x-api-key", API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the campaign and waits for its result. */
    JsonNode runCampaign(ObjectNode request) {
        Answer created = post("/campaigns", request);
        assertThat(created.status()).as("POST /campaigns: %s", created.body()).isEqualTo(202);
        return awaitResult(request.get("campaign_id").asText(), created.body().get("workflow_execution_id").asText());
    }

    /** Polls GET /campaigns/{id} until the execution's result is final. */
    JsonNode awaitResult(String campaignId, String executionArn) {
        long deadline = System.nanoTime() + CAMPAIGN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Answer answer = get("/campaigns/" + campaignId);
            assertThat(answer.status()).as("GET /campaigns/%s: %s", campaignId, answer.body()).isEqualTo(200);
            JsonNode result = answer.body().get("result");
            if (result != null && !result.path("status").asText().equals("running")
                    && result.path("workflow_execution_id").asText().equals(executionArn)) {
                return result;
            }
            // waiting for an execution (bounded by CAMPAIGN_TIMEOUT)
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("campaign " + campaignId + " did not finish within " + CAMPAIGN_TIMEOUT);
    }

    /** The checkpoint listing of a workflow. */
    JsonNode checkpoints(String workflowId) {
        Answer answer = get("/workflows/" + workflowId + "/checkpoints");
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** The agent runs recorded for a campaign (AgentPerformance). */
    JsonNode performance(String campaignId) {
        Answer answer = get("/campaigns/" + campaignId + "/performance");
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        return answer.body().get("runs");
    }

    /** The progress messages the campaign's agents published, in order (the local cloud's progress log). */
    List<JsonNode> progressMessages(String campaignId) {
        try {
            List<JsonNode> messages = new ArrayList<>();
            for (String line : Files.readAllLines(cloud.dataDir().resolve("progress").resolve(campaignId + ".jsonl"))) {
                messages.add(JSON.readTree(line));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stored checkpoint as its object holds it (decompressed), read from the data directory. */
    JsonNode checkpointObject(String checkpointId) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(
                cloud.dataDir().resolve("checkpoints").resolve(checkpointId + ".json.gz")))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String workflowIdOf(String executionArn) {
        return executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }

    private URI uri(String path) {
        return cloud.endpoint().resolve(path);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        cloud.close();
    }

    static Path tempDir(Path parent, String name) {
        try {
            return Files.createDirectories(parent.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
