package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;

/** The local cloud's own wiring: the deployed default state machine, the health-check schedule, restarts. */
class LocalCloudIT {

    @TempDir
    Path dataDir;

    @Test
    void defaultStateMachine_isDeployedWithLocalFunctionArns_andReusedAfterARestart() {
        String revision;
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null); SfnClient sfn = sfn(bed)) {
            DescribeStateMachineResponse machine = sfn.describeStateMachine(r -> r.stateMachineArn(
                    LocalCloud.STATE_MACHINE_ARN));
            assertThat(machine.name()).isEqualTo("campaignflow-workflow");
            assertThat(machine.definition()).doesNotContain("${")
                    .contains("arn:aws:lambda:us-east-1:000000000000:function:WriterFunction");
            revision = machine.revisionId();
        }
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null); SfnClient sfn = sfn(bed)) {
            assertThat(sfn.listStateMachines().stateMachines()).hasSize(1);
            assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(LocalCloud.STATE_MACHINE_ARN)).revisionId())
                    .isEqualTo(revision);
        }
    }

    @Test
    void healthCheckSchedule_invokesTheHealthCheckFunction_whichRecordsServiceHealth() throws InterruptedException {
        LocalCloud.Options options = new LocalCloud.Options(dataDir, null, CloudTestbed.API_KEYS, 0,
                new PrintStream(OutputStream.nullOutputStream()), Duration.ofMillis(200));
        try (LocalCloud cloud = LocalCloud.start(options)) {
            CloudTestbed bed = CloudTestbed.attach(cloud);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode services;
            do {
                Thread.sleep(100); // waiting for the schedule (bounded)
                services = bed.get("/system/health-status").body().get("services");
            } while (!services.toString().contains("\"planner\"") && System.nanoTime() < deadline);

            // agents and stores probed by HealthCheckHandler, recorded in the service health table
            assertThat(services.toString()).contains("\"checkpoint_store\"", "\"campaigns_table\"", "\"planner\"");
        }
    }

    @Test
    void secondCloudOnTheSameDataDirectory_isRefusedWhileTheFirstRuns() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            assertThatThrownBy(() -> CloudTestbed.start(dataDir, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another local cloud").hasMessageContaining(dataDir.toString());
            assertThat(bed.get("/system/health-status").status()).isEqualTo(200);
        }
        CloudTestbed.start(dataDir, null).close(); // released on close
    }

    private static SfnClient sfn(CloudTestbed bed) {
        return SfnClient.builder().endpointOverride(bed.cloud.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
