package com.campaignflow.functions.faults;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    private final InMemoryDocumentTable table = new InMemoryDocumentTable();
    private final List<Duration> slept = new ArrayList<>();
    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");

    private FaultInjector injector(String spec, long seed) {
        return new FaultInjector(FaultSpecParser.parse(spec), table, slept::add, new Random(seed), clock);
    }

    @Test
    void always_failsEveryRunWithAnInjectedFault() {
        FaultInjector faults = injector("researcher:always", 1);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> faults.beforeRun("researcher", "wf-1", "researcher"))
                    .isInstanceOf(InjectedFaultException.class).hasMessageContaining("researcher always fails");
        }
        assertThatCode(() -> faults.beforeRun("writer", "wf-1", "writer")).doesNotThrowAnyException();
    }

    @Test
    void once_failsTheFirstRunPerWorkflowAndStep_evenAcrossInjectorInstances() {
        assertThatThrownBy(() -> injector("writer:once", 1).beforeRun("writer", "wf-1", "writer"))
                .isInstanceOf(InjectedFaultException.class);
        // another container: same table, fresh injector
        assertThatCode(() -> injector("writer:once", 1).beforeRun("writer", "wf-1", "writer")).doesNotThrowAnyException();
        assertThatThrownBy(() -> injector("writer:once", 1).beforeRun("writer", "wf-2", "writer"))
                .isInstanceOf(InjectedFaultException.class);
        assertThat(table.get("fault#wf-1", "writer#writer").orElseThrow().path("expires_at").asLong())
                .as("the marker expires with the workflow's checkpoints, 30 days on")
                .isEqualTo(clock.instant().plus(Duration.ofDays(30)).getEpochSecond());
    }

    @Test
    void healthProbes_meetAlwaysAndLatencyFaults_butNotOnce_whichIsPerCampaignStep() {
        FaultInjector faults = injector("writer:once,seo:latency=2s,editor:always", 1);

        assertThatCode(() -> faults.beforeProbe("writer")).doesNotThrowAnyException();
        assertThat(table.scan()).as("no marker spent on a probe").isEmpty();
        assertThatThrownBy(() -> faults.beforeRun("writer", "wf-1", "writer")).as("the campaign's first run still fails")
                .isInstanceOf(InjectedFaultException.class);
        assertThatThrownBy(() -> faults.beforeProbe("editor")).isInstanceOf(InjectedFaultException.class);
        faults.beforeProbe("seo");
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void latency_sleepsThroughTheInjectedSleeper() {
        injector("seo:latency=2s", 1).beforeRun("seo", "wf-1", "seo");

        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void probability_isReproducibleForASeedAndNearTheRate() {
        FaultInjector a = injector("editor:fail=0.3", 42);
        FaultInjector b = injector("editor:fail=0.3", 42);
        int failuresA = 0;
        int agree = 0;
        for (int i = 0; i < 1000; i++) {
            boolean fa = fails(a);
            boolean fb = fails(b);
            failuresA += fa ? 1 : 0;
            agree += fa == fb ? 1 : 0;
        }
        assertThat(agree).isEqualTo(1000);
        assertThat(failuresA).isBetween(240, 360);
    }

    private static boolean fails(FaultInjector f) {
        try {
            f.beforeRun("editor", "wf-1", "editor");
            return false;
        } catch (InjectedFaultException e) {
            return true;
        }
    }
}
