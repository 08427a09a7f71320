package com.campaignflow.functions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void readsWhatInstantToStringWrites_atEveryPrecision_asInstantParseDoes() {
        Random random = new Random(42);
        long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        ChronoUnit[] precisions = {ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS};
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                    random.nextInt(1_000_000_000)).truncatedTo(precisions[i % precisions.length]);
            String text = instant.toString();
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T01:00:00.5Z", "2026-11-26T01:00:00.12345Z", "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.1Z", "+10000-01-01T00:00:00Z", "2026-11-26T01:00:00+01:00",
            "2026-11-26T24:00:00Z", "2026-11-26T01:00:00.Z", "2016-12-31T23:59:60Z"})
    void otherValidForms_meanWhatInstantParseSays(String text) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-31T00:00:00Z",
            "2026-11-26T01:60:00Z", "2026-11-26T01:00:61Z",
            "2026-11-26T01:00:00.1234567890Z", "2026-1a-26T01:00:00Z", "2026-11-26T01:00:00.12a4Z", "2026-11-26 01:00:00Z",
            "not a time at all, really", ""})
    void invalidText_failsAsInstantParseDoes(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
