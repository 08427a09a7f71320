package com.campaignflow.functions.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultSpecParserTest {

    @Test
    void parse_readsEveryKindAndSeveralFaultsPerAgent() {
        var faults = FaultSpecParser.parse("researcher:always, writer:once,seo:latency=2s,editor:fail=0.5,seo:latency=250ms");

        assertThat(faults.get("researcher")).containsExactly(new FaultSpec.Always());
        assertThat(faults.get("writer")).containsExactly(new FaultSpec.Once());
        assertThat(faults.get("seo")).containsExactly(new FaultSpec.Latency(Duration.ofSeconds(2)),
                new FaultSpec.Latency(Duration.ofMillis(250)));
        assertThat(faults.get("editor")).containsExactly(new FaultSpec.Probability(0.5));
        assertThat(FaultSpecParser.parse("editor:fail=.25,seo:latency=900s,writer:latency=0015m").get("editor"))
                .containsExactly(new FaultSpec.Probability(0.25));
        assertThat(FaultSpecParser.parse("writer:latency=0015m").get("writer"))
                .containsExactly(new FaultSpec.Latency(Duration.ofMinutes(15)));
        assertThat(FaultSpecParser.parse(" ")).isEmpty();
        assertThat(FaultSpecParser.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "researcher|must be <agent>:<fault>",
            "researcher:|must be <agent>:<fault>",
            "poet:always|unknown agent 'poet'",
            "writer:sometimes|fault must be always, once",
            "seo:latency=2h|latency must look like",
            "seo:latency=20m|above the 15 minute",
            "editor:fail=1.5|within [0, 1]",
            "editor:fail=half|needs a probability",
            "editor:fail=0x1p-1|needs a probability",
            "editor:fail=0.5d|needs a probability",
            "editor:fail=NaN|needs a probability",
            "seo:latency=99999999999s|above the 15 minute",
            "seo:latency=99999999999999999999999ms|above the 15 minute",
            "writer:once,|must be <agent>:<fault>, got ''",
            "writer:once,,seo:always|must be <agent>:<fault>, got ''",
    })
    void parse_rejectsBadSpecsNamingTheEntry(String spec, String message) {
        assertThatThrownBy(() -> FaultSpecParser.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parse_errorNamesTheOffendingEntryAmongOthers() {
        assertThatThrownBy(() -> FaultSpecParser.parse("writer:once,seo:latency=fast"))
                .hasMessageContaining("'seo:latency=fast'");
    }
}
