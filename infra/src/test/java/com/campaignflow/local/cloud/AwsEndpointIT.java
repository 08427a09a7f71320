package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code serve --aws-endpoint URL}: the local cloud with checkpoints in S3 and tables in DynamoDB of an
 * AWS-compatible endpoint (a moto server started here; {@code pip install "moto[server]"}), through the production
 * adapters, while Step Functions, Lambda and API Gateway stay local.
 */
class AwsEndpointIT {

    private static Process moto;
    private static String endpoint;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startMoto() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Path.of("target", "moto-aws-endpoint.log");
        Files.createDirectories(log.getParent());
        moto = new ProcessBuilder("python3", "-c", "import sys; from moto.server import main; sys.exit(main())",
                "-H", "127.0.0.1", "-p", Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        endpoint = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
                if (c.getResponseCode() < 500) {
                    break;
                }
            } catch (IOException notYet) {
                if (!moto.isAlive()) {
                    throw new IllegalStateException("moto server did not start (pip install \"moto[server]\"); see "
                            + log.toAbsolutePath());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("moto server not ready after 60 s; see " + log.toAbsolutePath());
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.destroy();
        }
    }

    @Test
    void campaign_keepsItsCheckpointsInS3AndItsRecordsInDynamoDb_ofTheEndpoint() {
        try (CloudTestbed bed = CloudTestbed.startOnAwsEndpoint(dataDir, endpoint)) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-on-moto", "sequential"));

            assertThat(result.get("status").asText()).isEqualTo("completed");
            assertThat(result.get("checkpoints_created").asInt()).isEqualTo(6);
            String workflowId = CloudTestbed.workflowIdOf(result.get("workflow_execution_id").asText());

            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l"))).build();
                 DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(URI.create(endpoint))
                         .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                         .build()) {
                List<String> keys = new ArrayList<>();
                s3.listObjectsV2(r -> r.bucket(AwsEndpointResources.NAMES.get("CHECKPOINT_BUCKET"))
                        .prefix("checkpoints/" + workflowId + "/")).contents().forEach(o -> keys.add(o.key()));
                assertThat(keys).contains("checkpoints/" + workflowId + "/checkpoint_001.json.gz",
                        "checkpoints/" + workflowId + "/checkpoint_006.json.gz",
                        "checkpoints/" + workflowId + "/metadata.json");
                // what template.yaml gives the real bucket and tables: checkpoints expire, progress and markers too
                assertThat(s3.getBucketLifecycleConfiguration(l -> l.bucket(AwsEndpointResources.NAMES
                        .get("CHECKPOINT_BUCKET"))).rules()).singleElement().satisfies(rule -> {
                            assertThat(rule.filter().prefix()).isEqualTo("checkpoints/");
                            assertThat(rule.expiration().days()).isEqualTo(30);
                        });
                for (String ttlTable : List.of("CONNECTIONS_TABLE", "IDEMPOTENCY_TABLE")) {
                    assertThat(dynamoDb.describeTimeToLive(d -> d.tableName(AwsEndpointResources.NAMES.get(ttlTable)))
                            .timeToLiveDescription().attributeName()).as(ttlTable).isEqualTo("expires_at");
                }
                assertThat(dynamoDb.getItem(g -> g.tableName(AwsEndpointResources.NAMES.get("CAMPAIGNS_TABLE"))
                        .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                .fromS("camp-on-moto"), "sk", software.amazon.awssdk.services.dynamodb.model
                                .AttributeValue.fromS("campaign"))))
                        .hasItem()).isTrue();
            }
            // nothing of the campaign went to the data directory's file stores
            assertThat(Files.exists(dataDir.resolve("checkpoints"))).isFalse();
        }
    }
}
