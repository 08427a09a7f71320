package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.store.local.FileBlobStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
            } while (!(services.toString().contains("\"campaigns_table\"")
                    && services.findValues("last_check").stream().allMatch(JsonNode::isTextual))
                    && System.nanoTime() < deadline);

            // agents and stores probed by HealthCheckHandler, recorded in the service health table (before the first
            // check the agents and the checkpoint store are listed unchecked, last_check null; the tables not at all)
            assertThat(services.toString()).contains("\"checkpoint_store\"", "\"campaigns_table\"", "\"planner\"");
            assertThat(services.findValues("last_check")).as(services.toString()).allSatisfy(t ->
                    assertThat(t.isTextual()).isTrue());
        }
    }

    @Test
    void checkpointsPastTheirRetention_areDeletedWhenTheCloudStarts_asTheBucketsLifecycleRuleWould()
            throws Exception {
        Instant now = Instant.now();
        String expired = checkpoint("wf-expired", Clock.fixed(now.minus(Duration.ofDays(31)), ZoneOffset.UTC));
        String fresh = checkpoint("wf-fresh", Clock.fixed(now.minus(Duration.ofDays(29)), ZoneOffset.UTC));
        Path expiredFile = dataDir.resolve(CheckpointIds.parse(expired).blobKey());
        Path freshFile = dataDir.resolve(CheckpointIds.parse(fresh).blobKey());
        assertThat(expiredFile).isRegularFile();

        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            assertThat(bed.cloud.firstRetentionSweep().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(expiredFile).doesNotExist();
            assertThat(freshFile).isRegularFile();
            CheckpointManager checkpoints = new CheckpointManager(new FileBlobStore(dataDir), Clock.systemUTC(),
                    CheckpointPolicy.DEFAULT);
            assertThat(checkpoints.list("wf-expired")).isEmpty();
            assertThat(checkpoints.list("wf-fresh")).extracting(CheckpointEntry::checkpointId).containsExactly(fresh);
        }
    }

    /** A planner checkpoint of a new workflow, written as of {@code clock}. */
    private String checkpoint(String workflowId, Clock clock) {
        CheckpointManager checkpoints = new CheckpointManager(new FileBlobStore(dataDir), clock, CheckpointPolicy.DEFAULT);
        ObjectNode data = CloudTestbed.JSON.createObjectNode();
        data.putObject("planner").put("outline", "a");
        return checkpoints.create(new NewCheckpoint(workflowId, "camp-" + workflowId, "exec-1", "planner", "planner",
                "agent_planner_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                new StateData(List.of("planner"), List.of(), data, 17), "continue", List.of("continue"), 0.8,
                "planner done", 3)).checkpointId();
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

    @Test
    void anEncodedSlashInAnId_isAnInvalidId_notAnotherPath() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            CloudTestbed.Answer campaign = bed.get("/campaigns/a%2Fb");
            assertThat(campaign.status()).as(campaign.body().toString()).isEqualTo(400);
            assertThat(campaign.body().path("errors").get(0).path("field").asText()).isEqualTo("campaign_id");

            CloudTestbed.Answer checkpoints = bed.get("/workflows/wf-a%2Fb/checkpoints");
            assertThat(checkpoints.status()).as(checkpoints.body().toString()).isEqualTo(400);
        }
    }

    private static SfnClient sfn(CloudTestbed bed) {
        return SfnClient.builder().endpointOverride(bed.cloud.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(bed.awsCredentials())
                .build();
    }
}
