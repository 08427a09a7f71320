package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint ids contain '/', which clients may encode as %2F: the gateway must hand such paths to the API
 * (as API Gateway does) so that good ids resume and hostile ones get the API's JSON error, never a server page.
 */
class EncodedCheckpointIdIT {

    @TempDir
    Path dataDir;

    @Test
    void encodedSlashInCheckpointId_resumesTheCampaign_andEncodedTraversalIsRefusedWithJson() {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            JsonNode result = bed.runCampaign(CloudTestbed.request("camp-encoded-id", "sequential"));
            String workflowId = CloudTestbed.workflowIdOf(result.get("workflow_execution_id").asText());
            var body = JsonNodeFactory.instance.objectNode().put("action", "continue");

            CloudTestbed.Answer resumed = bed.post("/workflows/resume/" + workflowId + "%2Fcheckpoint_005", body);
            assertThat(resumed.status()).isEqualTo(202);
            assertThat(resumed.body().get("workflow_execution_id").asText()).contains(workflowId + "-continue-");

            CloudTestbed.Answer hostile = bed.post("/workflows/resume/" + workflowId + "%2F..%2F..%2Fetc", body);
            assertThat(hostile.status()).isEqualTo(400);
            assertThat(hostile.body().get("error").asText()).isEqualTo("invalid_checkpoint_id");
        }
    }
}
