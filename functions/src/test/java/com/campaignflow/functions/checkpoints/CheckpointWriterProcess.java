package com.campaignflow.functions.checkpoints;

import com.campaignflow.functions.store.local.FileBlobStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A separate JVM writing checkpoints into a shared data directory (used by the cross-process test). */
public final class CheckpointWriterProcess {

    public static void main(String[] args) {
        CheckpointManager manager = new CheckpointManager(new FileBlobStore(Path.of(args[0])), Clock.systemUTC(),
                CheckpointPolicy.DEFAULT);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            String step = "step_" + args[1] + "_" + i;
            manager.create(new NewCheckpoint("wf-shared", "camp-1", "exec-" + args[1], step, "researcher",
                    "agent_" + step + "_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                    new StateData(List.of(step), List.of(), JsonNodeFactory.instance.objectNode(), 10),
                    "continue", List.of("continue"), 0.5, step, 1));
        }
    }
}
