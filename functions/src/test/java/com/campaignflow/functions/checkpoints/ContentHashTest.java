package com.campaignflow.functions.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Text in the Basic Multilingual Plane, with no control characters but the short-escaped ones. */
    private static final List<String> TEXTS = List.of("", "plain prose, the writer's article.", "caf\u00e9 \u00fcber",
            "\u4e2d\u6587 \u65e5\u672c\u8a9e", "say \"hi\"", "back\\slash", "line\nbreak\ttab",
            "\u007f del and \u2028 separator", "x".repeat(20_000) + "\u00e9");
    /** What only Jackson's escaping decides: surrogate pairs and other control characters are written as \\uXXXX. */
    private static final List<String> ESCAPED = List.of("emoji \ud83d\ude80 pair", "unit\u001fseparator", "lone \ud83d");

    @Test
    void strings_areWrittenByteForByteAsJacksonEscapesThem() throws Exception {
        for (String text : java.util.stream.Stream.concat(TEXTS.stream(), ESCAPED.stream()).toList()) {
            assertThat(ContentHash.canonicalBytes(TextNode.valueOf(text)))
                    .as(text.length() > 40 ? text.substring(0, 40) : text)
                    .isEqualTo(JSON.writeValueAsBytes(TextNode.valueOf(text)));
        }
        assertThat(ContentHash.needsNoEscape("plain caf\u00e9 \u4e2d")).isTrue();
        assertThat(ContentHash.needsNoEscape("emoji \ud83d\ude80")).isFalse(); // surrogates take Jackson's path
    }

    /**
     * For text in the Basic Multilingual Plane a verifier in another language can rebuild the canonical JSON, e.g.
     * Python's json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False) (see docs/contracts.md).
     */
    @Test
    void canonicalJson_ofTextInTheBasicPlane_isWhatPythonsJsonDumpsWrites(@TempDir Path dir) throws Exception {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < TEXTS.size(); i++) {
            node.putObject("k" + (TEXTS.size() - i)).put("text", TEXTS.get(i)).put("n", i).put("ok", i % 2 == 0)
                    .putArray("list").add(1.5).addNull();
        }
        Path input = dir.resolve("state.json");
        Files.write(input, JSON.writeValueAsBytes(node));
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1],encoding='utf-8'));"
                    + " sys.stdout.buffer.write(json.dumps(d,sort_keys=True,separators=(',',':'),ensure_ascii=False)"
                    + ".encode('utf-8'))", input.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("python3 is not installed: the cross-check needs it");
            return;
        }
        byte[] expected = python.getInputStream().readAllBytes();
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(new String(expected, StandardCharsets.UTF_8)).isZero();

        JsonNode back = JSON.readTree(input.toFile());
        assertThat(new String(ContentHash.canonicalBytes(back), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }
}
