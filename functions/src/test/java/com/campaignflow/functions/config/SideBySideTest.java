package com.campaignflow.functions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void itemsAreWorkedOnAtMostTheGivenNumberAtOnce_andTheResultsKeepTheirOrder() {
        CyclicBarrier pairs = new CyclicBarrier(2); // every item waits for a second one: one at a time would hang
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        List<String> results = SideBySide.map(List.of(1, 2, 3, 4, 5, 6), 2, item -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                pairs.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no second item under way", e);
            } finally {
                inFlight.decrementAndGet();
            }
            return "item " + item;
        });

        assertThat(results).containsExactly("item 1", "item 2", "item 3", "item 4", "item 5", "item 6");
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void whenItemsFail_theFirstFailingItemsExceptionIsThrown_afterEveryItemWasWorkedOn() {
        AtomicInteger worked = new AtomicInteger();

        assertThatThrownBy(() -> SideBySide.map(List.of(1, 2, 3, 4), 4, item -> {
            worked.incrementAndGet();
            if (item >= 2) {
                throw new IllegalArgumentException("item " + item + " failed");
            }
            return item;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("item 2 failed");
        assertThat(worked.get()).isEqualTo(4);
    }

    @Test
    void theWorkSeesTheFunctionEnvironmentOfTheCaller() throws Exception {
        List<String> seen = FunctionEnvironment.runWith(Map.of("CAMPAIGNS_TABLE", "campaigns-test"),
                () -> SideBySide.map(List.of(1, 2, 3), 3, item -> FunctionEnvironment.get("CAMPAIGNS_TABLE").orElse("unset")));

        assertThat(seen).containsOnly("campaigns-test");
    }
}
