package com.campaignflow.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.store.local.Durability;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesTest {

    @TempDir
    Path dataDir;

    @Test
    void campaignflowFsync_defaultsToSynced_falseSkipsFsync_andAnythingElseIsAnError() throws Exception {
        assertThat(FunctionEnvironment.runWith(Map.of(), Services::localDurability)).isEqualTo(Durability.SYNCED);
        assertThat(FunctionEnvironment.runWith(Map.of("CAMPAIGNFLOW_FSYNC", "false"), Services::localDurability))
                .isEqualTo(Durability.PROCESS_SAFE);
        assertThatThrownBy(() -> FunctionEnvironment.runWith(Map.of("CAMPAIGNFLOW_FSYNC", "no"), Services::localDurability))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CAMPAIGNFLOW_FSYNC must be true or false");
    }

    @Test
    void checkpointRetentionDays_setsHowLongACheckpointStaysValid_defaultThirty() throws Exception {
        assertThat(expiryOfANewCheckpoint(Map.of())).isEqualTo(Duration.ofDays(30));
        assertThat(expiryOfANewCheckpoint(Map.of("CHECKPOINT_RETENTION_DAYS", "7"))).isEqualTo(Duration.ofDays(7));
        assertThat(expiryOfANewCheckpoint(Map.of("CHECKPOINT_RETENTION_DAYS", "3650"))).isEqualTo(Duration.ofDays(3650));
        for (String bad : List.of("0", "-3", "3651", "seven", "7.5")) {
            assertThatThrownBy(() -> expiryOfANewCheckpoint(Map.of("CHECKPOINT_RETENTION_DAYS", bad))).as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("CHECKPOINT_RETENTION_DAYS must be a whole number of days from 1 to 3650; got '"
                            + bad + "'");
        }
    }

    private Duration expiryOfANewCheckpoint(Map<String, String> environment) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        CheckpointEntry entry = FunctionEnvironment.runWith(environment, () -> {
            Services services = Services.local(dataDir.resolve(String.valueOf(environment.hashCode())), Map.of(), null,
                    d -> { }, clock);
            return services.checkpoints().create(new NewCheckpoint("wf-retention", "camp-1", "exec-1", "planner",
                    "planner", "agent_planner_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                    new StateData(List.of("planner"), List.of(), JsonNodeFactory.instance.objectNode(), 17), "next",
                    List.of("continue"), 0.9, "planned", 5));
        });
        return Duration.between(entry.createdAt(), entry.expiresAt());
    }
}
