package com.campaignflow.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.store.local.Durability;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesTest {

    @Test
    void campaignflowFsync_defaultsToSynced_falseSkipsFsync_andAnythingElseIsAnError() throws Exception {
        assertThat(FunctionEnvironment.runWith(Map.of(), Services::localDurability)).isEqualTo(Durability.SYNCED);
        assertThat(FunctionEnvironment.runWith(Map.of("CAMPAIGNFLOW_FSYNC", "false"), Services::localDurability))
                .isEqualTo(Durability.PROCESS_SAFE);
        assertThatThrownBy(() -> FunctionEnvironment.runWith(Map.of("CAMPAIGNFLOW_FSYNC", "no"), Services::localDurability))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CAMPAIGNFLOW_FSYNC must be true or false");
    }
}
