package com.campaignflow.functions.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointIdsTest {

    @Test
    void parse_acceptsTheDocumentedShape() {
        CheckpointId id = CheckpointIds.parse("wf-abc-123/checkpoint_002");

        assertThat(id.workflowId()).isEqualTo("wf-abc-123");
        assertThat(id.number()).isEqualTo(2);
        assertThat(id.blobKey()).isEqualTo("checkpoints/wf-abc-123/checkpoint_002.json.gz");
        assertThat(CheckpointIds.parse("wf-a/checkpoint_1234").value()).isEqualTo("wf-a/checkpoint_1234");
        assertThat(new CheckpointId("wf-a", 7).value()).isEqualTo("wf-a/checkpoint_007");
        assertThat(new CheckpointId("wf-a", 45).value()).isEqualTo("wf-a/checkpoint_045");
        assertThat(new CheckpointId("wf-a", 999_999).value()).isEqualTo("wf-a/checkpoint_999999");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../wf-a/checkpoint_001|'..'",
            "wf-a/../wf-b/checkpoint_001|'..'",
            "wf-a/%2e%2e/checkpoint_001|percent-encoded",
            "wf-a%2Fcheckpoint_001|percent-encoded",
            "/etc/passwd|absolute",
            "C:\\x\\checkpoint_001|absolute",
            "wf-a/checkpoint_001/../../x|'..'",
            "WF-A/checkpoint_001|must look like",
            "wf-a/checkpoint_01|must look like",
            "wf-a/checkpoint_1234567|must look like",
            "wf-a/checkpoint_12a|must look like",
            "wf-a/checkpoint_|must look like",
            "wf-a/checkpoint_0000|start at 001",
            "wf-a/checkpoint_0042|is written 'wf-a/checkpoint_042'",
            "wf-a/checkpoint_01234|is written 'wf-a/checkpoint_1234'",
            "wf-a/checkpoint_000|start at 001",
            "wf-a/checkpoint_001.json.gz|must look like",
            "wf-a/metadata|must look like",
            "wf-a_b/checkpoint_001|must look like",
    })
    void parse_rejectsHostileOrMalformedIdsWithAClearMessage(String raw, String message) {
        assertThatThrownBy(() -> CheckpointIds.parse(raw))
                .isInstanceOf(InvalidCheckpointIdException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parse_rejectsControlCharactersAndOverLongIds() {
        assertThatThrownBy(() -> CheckpointIds.parse("wf-a/checkpoint_001\n"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> CheckpointIds.parse("wf-" + "a".repeat(120) + "/checkpoint_001"))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> CheckpointIds.parse(" ")).hasMessageContaining("must not be empty");
    }

    @Test
    void parseFor_rejectsACheckpointOfAnotherWorkflow() {
        assertThat(CheckpointIds.parseFor("wf-a", "wf-a/checkpoint_003").number()).isEqualTo(3);
        assertThatThrownBy(() -> CheckpointIds.parseFor("wf-a", "wf-b/checkpoint_003"))
                .isInstanceOf(InvalidCheckpointIdException.class)
                .hasMessageContaining("belongs to workflow wf-b, not wf-a");
    }

    @Test
    void workflowIds_areExactlyWfDashAndOneToSixtyLowercaseLettersDigitsOrDashes() {
        for (String valid : List.of("wf-a", "wf-0", "wf--", "wf-abc-123", "wf-" + "z".repeat(60))) {
            assertThat(CheckpointIds.validateWorkflowId(valid)).isEqualTo(valid);
        }
        for (String invalid : List.of("wf-", "wf-A", "WF-a", "wf-a_b", "wf-a/b", "wf-a.b", "xwf-a", "wf-\u00e9",
                "wf-" + "z".repeat(61), " wf-a", "wf-a ")) {
            assertThatThrownBy(() -> CheckpointIds.validateWorkflowId(invalid))
                    .as(invalid).isInstanceOf(InvalidCheckpointIdException.class);
        }
    }
}
