package com.campaignflow.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a command's injected faults come from: --faults, else the process's CAMPAIGNFLOW_FAULTS. */
class FaultsOptionTest {

    private static Arguments args(String... args) {
        return Arguments.parse(args, 0, Set.of("--faults"));
    }

    @Test
    void theOption_winsOverTheEnvironment() {
        assertThat(CampaignCommands.faults(args("--faults", "writer:once"), Map.of("CAMPAIGNFLOW_FAULTS", "seo:always")))
                .isEqualTo("writer:once");
    }

    @Test
    void withoutTheOption_theEnvironmentVariableApplies() {
        assertThat(CampaignCommands.faults(args(), Map.of("CAMPAIGNFLOW_FAULTS", "editor:latency=2s")))
                .isEqualTo("editor:latency=2s");
        assertThat(CampaignCommands.faults(args(), Map.of("CAMPAIGNFLOW_FAULTS", " "))).isNull();
        assertThat(CampaignCommands.faults(args(), Map.of())).isNull();
    }

    @Test
    void anInvalidSpec_isAUsageError_namingWhereItCameFrom() {
        assertThatThrownBy(() -> CampaignCommands.faults(args(), Map.of("CAMPAIGNFLOW_FAULTS", "writer:sometimes")))
                .isInstanceOf(Arguments.UsageException.class)
                .hasMessageStartingWith("CAMPAIGNFLOW_FAULTS: ").hasMessageContaining("writer:sometimes");
        assertThatThrownBy(() -> CampaignCommands.faults(args("--faults", "nobody:always"), Map.of()))
                .isInstanceOf(Arguments.UsageException.class).hasMessageStartingWith("--faults: ");
    }

    @Test
    void aSecondFaultsOption_isAUsageError_notASilentReplacement() {
        // a game day's "--faults writer:always --faults seo:latency=1ms" must not quietly drop the writer's fault
        assertThatThrownBy(() -> args("--faults", "writer:always", "--faults=seo:latency=1ms"))
                .isInstanceOf(Arguments.UsageException.class)
                .hasMessage("--faults is given twice (writer:always, seo:latency=1ms)");
    }
}
