package com.campaignflow.local.cloud;

import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.checkpoints.CheckpointManager;
import com.campaignflow.functions.checkpoints.CheckpointPolicy;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.functions.store.local.FileBlobStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The local stand-in for the checkpoint bucket's lifecycle rule (template.yaml, ExpireOldCheckpoints): deletes the
 * checkpoints past their {@code expires_at} from the data directory, workflow by workflow, as the bucket does on AWS.
 */
final class CheckpointRetention {

    /** How often the local cloud sweeps (the first sweep runs when it starts). */
    static final Duration INTERVAL = Duration.ofHours(1);
    /** A checkpoint's temp file this old is no write in progress (those take milliseconds). */
    static final Duration ABANDONED_WRITE_AGE = Duration.ofMinutes(10);

    private final Path checkpointsDir;
    private final FileBlobStore blobs;
    private final CheckpointManager checkpoints;
    private final PrintStream log;
    private volatile boolean stopped;

    CheckpointRetention(Path dataDir, Durability durability, Clock clock, PrintStream log) {
        this.checkpointsDir = dataDir.resolve("checkpoints");
        this.blobs = new FileBlobStore(dataDir, durability);
        this.checkpoints = new CheckpointManager(blobs, clock, CheckpointPolicy.DEFAULT);
        this.log = log;
    }

    /** Deletes every expired checkpoint; returns how many. A failing workflow is logged and skipped. */
    int sweep() {
        if (!Files.isDirectory(checkpointsDir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> workflows = Files.newDirectoryStream(checkpointsDir, Files::isDirectory)) {
            for (Path dir : workflows) {
                if (stopped) {
                    break;
                }
                String workflowId = dir.getFileName().toString();
                try {
                    CheckpointIds.validateWorkflowId(workflowId);
                    deleted += checkpoints.purgeExpired(workflowId).size();
                } catch (RuntimeException e) {
                    log.println("[retention] " + workflowId + " skipped: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            log.println("[retention] cannot list " + checkpointsDir + ": " + e.getMessage());
        }
        if (deleted > 0) {
            log.println("[retention] deleted " + deleted + " expired checkpoint(s)");
        }
        try {
            int abandoned = blobs.deleteAbandonedWrites("checkpoints/", ABANDONED_WRITE_AGE);
            if (abandoned > 0) {
                log.println("[retention] deleted " + abandoned + " temp file(s) of writes a killed process left");
            }
        } catch (RuntimeException e) {
            log.println("[retention] temp files not cleaned up: " + e.getMessage());
        }
        return deleted;
    }

    /** An in-flight sweep stops after the workflow it is on (the local cloud is closing). */
    void stop() {
        stopped = true;
    }
}
