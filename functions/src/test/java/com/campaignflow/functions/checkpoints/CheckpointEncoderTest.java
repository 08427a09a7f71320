package com.campaignflow.functions.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CheckpointEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StateData state(String... steps) {
        ObjectNode data = JSON.createObjectNode();
        for (String step : steps) {
            data.putObject(step).put("text", "output of " + step + " \"quoted\" \u00e9\u4e2d\n\t\u0001")
                    .put("score", 0.5).putArray("list").add(3).add(JSON.nullNode()).add(true);
        }
        return new StateData(List.of(steps), List.of("x"), data, 50);
    }

    private static Checkpoint checkpoint(StateData state, String hash) {
        Instant at = Instant.parse("2026-11-26T01:02:03Z");
        return new Checkpoint("wf-a/checkpoint_001", "wf-a", "camp-1", "exec-1", "writer", "writer",
                "agent_writer_completed", CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE, at, at, state,
                "Continue \u0001 from the writer", List.of("continue"), hash, 0.9, "done", 12);
    }

    private static byte[] gunzip(byte[] data) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    @Test
    void pieces_joinToExactlyTheCanonicalJson_whateverTheKeys() {
        for (StateData s : List.of(state(), state("writer"), state("writer", "editor", "a\"b", "\u00e9t\u00e9", "planner"))) {
            CanonicalState canonical = CanonicalState.of(s);

            assertThat(canonical.bytes()).isEqualTo(ContentHash.canonicalBytes(s.toJson()));
            assertThat(canonical.hash()).isEqualTo(ContentHash.of(s.toJson()));
        }
    }

    @Test
    void encoded_isOneJsonDocumentAcrossGzipMembers_withStateDataCanonicalAndTheOtherFieldsIntact() throws Exception {
        StateData s = state("writer", "editor", "planner");
        CanonicalState canonical = CanonicalState.of(s);

        byte[] encoded = new CheckpointEncoder().encode(checkpoint(s, canonical.hash()), canonical);

        ParsedCheckpoint parsed = ParsedCheckpoint.parse(gunzip(encoded));
        JsonNode root = parsed.root();
        // compared as parsed JSON on both sides (a number parses as the smallest node type that holds it)
        assertThat(root).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(checkpoint(s, canonical.hash()).toJson().toString()));
        byte[] json = gunzip(encoded);
        assertThat(java.util.Arrays.copyOfRange(json, parsed.stateDataOffset(),
                parsed.stateDataOffset() + parsed.stateDataLength())).isEqualTo(canonical.bytes());
        assertThat(root.path("resume_instructions").asText()).isEqualTo("Continue \u0001 from the writer");
    }

    @Test
    void anEntryCarriedIntoTheNextCheckpoint_isCompressedOnce_andBothCheckpointsReadBack() throws Exception {
        CheckpointEncoder encoder = new CheckpointEncoder();
        StateData before = state("planner", "researcher");
        StateData after = state("planner", "researcher", "writer");
        CanonicalState first = CanonicalState.of(before);
        CanonicalState second = CanonicalState.of(after);

        byte[] one = encoder.encode(checkpoint(before, first.hash()), first);
        byte[] two = encoder.encode(checkpoint(after, second.hash()), second);

        // the planner's member is the same bytes in both files
        byte[] plannerMember = CheckpointEncoder.gzip(first.entries().get(0));
        assertThat(indexOf(one, plannerMember)).isPositive();
        assertThat(indexOf(two, plannerMember)).isPositive();
        assertThat(JSON.readTree(gunzip(two)).path("state_data")).isEqualTo(after.toJson());
        assertThat(JSON.readTree(gunzip(one)).path("state_data")).isEqualTo(before.toJson());
    }

    @Test
    void theSameOutputUnderAnotherStep_isKeptUnderThatStepsName() {
        CheckpointEncoder encoder = new CheckpointEncoder();
        ObjectNode output = JSON.createObjectNode().put("text", "same words");
        ObjectNode first = JSON.createObjectNode();
        first.set("research_a", output);
        ObjectNode second = JSON.createObjectNode();
        second.set("research_a", output);
        second.set("research_b", output.deepCopy());
        StateData one = new StateData(List.of("research_a"), List.of(), first, 30);
        StateData two = new StateData(List.of("research_a", "research_b"), List.of(), second, 60);

        encoder.canonicalState(one);
        CanonicalState both = encoder.canonicalState(two);

        assertThat(both.bytes()).isEqualTo(ContentHash.canonicalBytes(two.toJson()));
        assertThat(new String(both.entries().get(1), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("\"research_b\":");
    }

    @Test
    void anOutputChangedInPlaceAfterACheckpoint_isSerialisedAgain_notTakenFromWhatWasKept() throws Exception {
        CheckpointEncoder encoder = new CheckpointEncoder();
        StateData s = state("planner", "writer");
        CanonicalState before = encoder.canonicalState(s);

        ((ObjectNode) s.intermediateData().get("writer")).put("text", "rewritten in place");
        ((ObjectNode) s.intermediateData().get("planner")).putArray("list").add("replaced");
        CanonicalState after = encoder.canonicalState(s);

        assertThat(after.bytes()).isEqualTo(ContentHash.canonicalBytes(s.toJson())).isNotEqualTo(before.bytes());
        assertThat(after.hash()).isEqualTo(ContentHash.of(s.toJson()));
        // an equal output read back from elsewhere (other node objects, other strings) gives the same bytes
        StateData reparsed = new StateData(s.completedAgents(), s.failedAgents(),
                (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(s.intermediateData())), s.currentProgress());
        assertThat(encoder.canonicalState(reparsed).bytes()).isEqualTo(after.bytes());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void gzipMembers_readBackWithTheirChecksumsAndSizes_whateverTheInput() throws Exception {
        java.util.Random random = new java.util.Random(7);
        byte[] incompressible = new byte[300_000];
        random.nextBytes(incompressible);
        byte[] prose = "the writer's article, again and again. ".repeat(5_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] data : List.of(new byte[0], new byte[] {'x'}, incompressible, prose)) {
            byte[] member = CheckpointEncoder.gzip(data);
            assertThat(gunzip(member)).isEqualTo(data); // GZIPInputStream checks the CRC-32 and the size
            assertThat(CheckpointEncoder.gzip(data)).isEqualTo(member); // a reused deflater starts afresh
        }
    }

    @Test
    void storedMembers_readBackWithTheirChecksumsAndSizes_upToTheLargestStoredBlockAndPastIt() throws Exception {
        java.util.Random random = new java.util.Random(11);
        for (int size : new int[] {0, 1, 255, 256, 65_535, 65_536, 200_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            byte[] member = CheckpointEncoder.stored(data);
            assertThat(gunzip(member)).as("%d bytes", size).isEqualTo(data);
            if (size <= 65_535) {
                assertThat(member).as("stored, not compressed").hasSize(10 + 5 + size + 8);
            }
        }
    }

    @Test
    void checkpointWithManyNewOutputs_compressedSideBySide_readsBackAsTheCanonicalState() throws Exception {
        ObjectNode data = JSON.createObjectNode();
        List<String> steps = List.of("planner", "researcher", "writer", "editor", "seo", "distribution");
        for (String step : steps) {
            data.putObject(step).put("text", (step + " wrote this sentence. ").repeat(600));
        }
        StateData state = new StateData(steps, List.of(), data, 100);
        CheckpointEncoder encoder = new CheckpointEncoder();
        CanonicalState canonical = encoder.canonicalState(state);

        byte[] encoded = encoder.encode(checkpoint(state, canonical.hash()), canonical);

        JsonNode json = JSON.readTree(gunzip(encoded));
        assertThat(json.path("state_data")).isEqualTo(state.toJson());
        assertThat(new CheckpointEncoder().encode(checkpoint(state, canonical.hash()), canonical)).isEqualTo(encoded);
        // the outputs serialised side by side are the pieces a single thread makes, in the same order
        assertThat(canonical.bytes()).isEqualTo(CanonicalState.of(state).bytes());
        assertThat(canonical.hash()).isEqualTo(CanonicalState.of(state).hash());
    }
}
