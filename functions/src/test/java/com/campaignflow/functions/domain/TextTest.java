package com.campaignflow.functions.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.functions.runtime.AgentResult;
import org.junit.jupiter.api.Test;

class TextTest {

    private static final String ROCKET = "\uD83D\uDE80";

    @Test
    void prefix_neverEndsInHalfAnEmoji() {
        String text = "abc" + ROCKET + "def";

        assertThat(Text.prefix(text, 4)).isEqualTo("abc");
        assertThat(Text.prefix(text, 5)).isEqualTo("abc" + ROCKET);
        assertThat(Text.prefix(text, 3)).isEqualTo("abc");
        assertThat(Text.prefix(text, 100)).isSameAs(text);
        assertThat(Text.ellipsize(text, 4)).isEqualTo("abc...");
        assertThat(Text.ellipsize("short", 40)).isEqualTo("short");
    }

    @Test
    void agentSummary_cutAtAnEmoji_keepsWholeCharacters() {
        String summary = AgentResult.shorten("x".repeat(196) + ROCKET + " launch day");

        assertThat(summary).hasSize(199).endsWith("x...");
        assertThat(summary.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)).isTrue();
    }
}
