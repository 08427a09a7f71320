package com.campaignflow.functions.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.store.local.FileBlobStore;
import com.campaignflow.functions.store.local.ForwardingBlobStore;
import com.campaignflow.functions.store.local.InMemoryBlobStore;
import com.campaignflow.functions.testing.Concurrently;
import com.campaignflow.functions.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WF = "wf-test-1";

    private final MutableClock clock = MutableClock.at("2026-11-26T01:02:03Z");
    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private final CheckpointManager manager = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);

    private static NewCheckpoint automatic(String step, String execution, int progress) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject(step).put("notes", "output of " + step);
        return new NewCheckpoint(WF, "camp-1", execution, step, step, "agent_" + step + "_completed",
                CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE,
                new StateData(List.of("planner", step), List.of(), data, progress),
                "Continue from " + step + " output: next agent is writer", List.of("continue", "retry", "skip"),
                0.8, step + " done", 7);
    }

    private JsonNode rawJson(String key) throws Exception {
        byte[] data = store.get(key).orElseThrow().data();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    @Test
    void manualCheckpoint_includesTheCheckpointItCopies_andWhatThatOneIncludes() {
        manager.create(automatic("planner", "exec-1", 20));
        NewCheckpoint researcher = automatic("researcher", "exec-1", 40);
        StateData built = new StateData(List.of("planner", "researcher"), List.of(),
                researcher.stateData().intermediateData(), 40, List.of(WF + "/checkpoint_001"));
        manager.create(new NewCheckpoint(WF, "camp-1", "exec-1", "researcher", "researcher", researcher.phaseName(),
                CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE, built, researcher.resumeInstructions(),
                researcher.availableActions(), 0.8, "researcher done", 7));

        CheckpointEntry manual = manager.createManual(WF, "before writing");

        StateData copied = manager.read(manual.checkpointId()).stateData();
        assertThat(copied.includedCheckpoints()).containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002");
        assertThat(copied.intermediateData()).isEqualTo(built.intermediateData());
    }

    @Test
    void aManualCheckpointOfAManualCheckpoint_describesTheStepCheckpointBoth_copy() {
        NewCheckpoint planner = automatic("planner", "exec-1", 20);
        manager.create(planner);
        manager.createManual(WF, "first");

        CheckpointEntry second = manager.createManual(WF, "second");

        Checkpoint copy = manager.read(second.checkpointId());
        assertThat(copy.phaseName()).isEqualTo("manual_" + planner.phaseName());
        assertThat(copy.resumeInstructions()).isEqualTo("Manual checkpoint of " + WF + "/checkpoint_002: second. "
                + planner.resumeInstructions());
        assertThat(copy.availableActions()).isEqualTo(planner.availableActions());
    }

    @Test
    void create_writesGzipJsonWithTheDocumentedStructureAndMetadata() throws Exception {
        CheckpointEntry entry = manager.create(automatic("researcher", "exec-1", 40));

        assertThat(entry.checkpointId()).isEqualTo(WF + "/checkpoint_001");
        JsonNode json = rawJson("checkpoints/wf-test-1/checkpoint_001.json.gz");
        assertThat(json.path("checkpoint_id").asText()).isEqualTo(WF + "/checkpoint_001");
        assertThat(json.path("workflow_id").asText()).isEqualTo(WF);
        assertThat(json.path("phase_name").asText()).isEqualTo("agent_researcher_completed");
        assertThat(json.path("type").asText()).isEqualTo("automatic");
        assertThat(json.path("status").asText()).isEqualTo("active");
        assertThat(json.path("created_at").asText()).isEqualTo("2026-11-26T01:02:03Z");
        assertThat(json.path("expires_at").asText()).isEqualTo("2026-12-26T01:02:03Z");
        assertThat(json.path("state_data").path("completed_agents")).extracting(JsonNode::asText)
                .containsExactly("planner", "researcher");
        assertThat(json.path("state_data").path("failed_agents").isArray()).isTrue();
        assertThat(json.path("state_data").path("intermediate_data").path("researcher").path("notes").asText())
                .isEqualTo("output of researcher");
        assertThat(json.path("state_data").path("current_progress").asInt()).isEqualTo(40);
        assertThat(json.path("resume_instructions").asText()).startsWith("Continue from researcher");
        assertThat(json.path("available_actions")).extracting(JsonNode::asText).containsExactly("continue", "retry", "skip");
        assertThat(json.path("content_hash").asText()).isEqualTo(ContentHash.of(json.path("state_data")));

        JsonNode metadata = JSON.readTree(store.get("checkpoints/wf-test-1/metadata.json").orElseThrow().data());
        assertThat(metadata.path("checkpoints")).hasSize(1);
        assertThat(metadata.path("checkpoints").get(0).path("size_bytes").asLong()).isEqualTo(entry.sizeBytes()).isPositive();

        Checkpoint read = manager.read(entry.checkpointId());
        assertThat(read.stateData().currentProgress()).isEqualTo(40);
        assertThat(read.summary()).isEqualTo("researcher done");
    }

    @Test
    void create_manyConcurrentBranches_getUniqueConsecutiveNumbersAndMetadataLosesNone(@TempDir Path dir) throws Exception {
        CheckpointManager onFiles = new CheckpointManager(new FileBlobStore(dir), clock, CheckpointPolicy.DEFAULT);

        List<String> ids = Concurrently.run(12, i -> () -> onFiles.create(automatic("researcher_" + i, "exec-1", 50))
                .checkpointId());

        assertThat(new HashSet<>(ids)).hasSize(12);
        assertThat(onFiles.list(WF)).extracting(CheckpointEntry::checkpointId)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 12)
                        .mapToObj(n -> String.format(WF + "/checkpoint_%03d", n)).toList());
        JsonNode metadata = JSON.readTree(dir.resolve("checkpoints/wf-test-1/metadata.json").toFile());
        assertThat(metadata.path("checkpoints")).hasSize(12);
    }

    @Test
    void aThirdRunOfAStep_isToldTheFirstRunsCheckpoint_notTheSecondOne() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));                      // 001
        manager.create(automatic("researcher", "exec-1", 40));                   // 002: the first run
        String key = "checkpoints/" + WF + "/metadata.json";
        ObjectNode metadata = (ObjectNode) JSON.readTree(store.get(key).orElseThrow().data());
        metadata.withArray("checkpoints").remove(1);
        store.put(key, JSON.writeValueAsBytes(metadata)); // the first run's entry is not written yet
        String first = "checkpoints/" + WF + "/checkpoint_002.json.gz";
        BlobStore withoutTheFirst = new ForwardingBlobStore(store) {
            @Override
            public Optional<Blob> get(String k) {
                return k.equals(first) ? Optional.empty() : super.get(k);
            }

            @Override
            public List<String> list(String prefix) {
                return super.list(prefix).stream().filter(k -> !k.equals(first)).toList();
            }
        };
        new CheckpointManager(withoutTheFirst, clock, CheckpointPolicy.DEFAULT)
                .create(automatic("researcher", "exec-1", 40));                  // 003: a second run that missed it
        CheckpointManager thirdRun = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);

        assertThatThrownBy(() -> thirdRun.create(automatic("researcher", "exec-1", 40)))
                .isInstanceOfSatisfying(StepAlreadyCheckpointedException.class,
                        e -> assertThat(e.existing().checkpointId()).isEqualTo(WF + "/checkpoint_002"));
    }

    @Test
    void aSecondRunsCheckpoint_leavesNoEntry_whenAnotherRunRecordedItBeforeItWasDeleted() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));                      // 001
        manager.create(automatic("researcher", "exec-1", 40));                   // 002: the first run
        CheckpointManager other = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);
        BlobStore recordedMeanwhile = new ForwardingBlobStore(store) {
            @Override
            public void delete(String key) {
                other.create(automatic("writer", "exec-1", 60)); // 004: its listing holds 003, which it records
                super.delete(key);
            }
        };
        CheckpointManager secondRun = new CheckpointManager(recordedMeanwhile, clock, CheckpointPolicy.DEFAULT);

        assertThatThrownBy(() -> secondRun.create(automatic("researcher", "exec-1", 40)))   // 003, then removed
                .isInstanceOf(StepAlreadyCheckpointedException.class);

        JsonNode metadata = JSON.readTree(store.get("checkpoints/" + WF + "/metadata.json").orElseThrow().data());
        assertThat(metadata.path("checkpoints")).extracting(e -> e.path("checkpoint_id").asText())
                .containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002", WF + "/checkpoint_004");
    }

    /**
     * Runs of one step at once in separate processes (each its own manager), beside other steps checkpointing: one
     * checkpoint of the step stays, and every other run is told that one, never a checkpoint that is then removed.
     */
    @Test
    void concurrentRunsOfOneStep_allEndWithTheOneCheckpointThatStays(@TempDir Path dir) throws Exception {
        FileBlobStore files = new FileBlobStore(dir);
        for (int round = 0; round < 20; round++) {
            String workflow = "wf-race-" + round;
            new CheckpointManager(files, clock, CheckpointPolicy.DEFAULT).create(inWorkflow(workflow, "planner"));
            List<String> outcomes = Concurrently.run(8, i -> () -> {
                CheckpointManager process = new CheckpointManager(files, clock, CheckpointPolicy.DEFAULT);
                String step = i % 2 == 0 ? "researcher" : "branch_" + i;
                try {
                    return step + " " + process.create(inWorkflow(workflow, step)).checkpointId();
                } catch (StepAlreadyCheckpointedException e) {
                    return step + " " + e.existing().checkpointId();
                }
            });
            List<CheckpointEntry> stored = new CheckpointManager(files, clock, CheckpointPolicy.DEFAULT).list(workflow);
            List<String> researcher = stored.stream().filter(e -> "researcher".equals(e.stepId()))
                    .map(CheckpointEntry::checkpointId).toList();
            assertThat(researcher).as("round %d: %s", round, outcomes).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.startsWith("researcher "))
                    .as("round %d", round).containsOnly("researcher " + researcher.getFirst());
            assertThat(stored).as("round %d", round).hasSize(1 + 1 + 4);
        }
    }

    private static NewCheckpoint inWorkflow(String workflow, String step) {
        NewCheckpoint c = automatic(step, "exec-1", 40);
        return new NewCheckpoint(workflow, c.campaignId(), c.executionId(), c.stepId(), c.agentName(), c.phaseName(),
                c.type(), c.status(), c.stateData(), c.resumeInstructions(), c.availableActions(), c.qualityScore(),
                c.summary(), c.durationMillis());
    }

    @Test
    void read_truncatedCheckpoint_raisesCorruptNamingItAndOfferingThePreviousValidOne() {
        manager.create(automatic("planner", "exec-1", 20));
        manager.create(automatic("researcher", "exec-1", 40));
        String key = "checkpoints/wf-test-1/checkpoint_002.json.gz";
        byte[] data = store.get(key).orElseThrow().data();
        store.corrupt(key, Arrays.copyOf(data, data.length / 2));

        assertThatThrownBy(() -> manager.read(WF + "/checkpoint_002"))
                .isInstanceOfSatisfying(CorruptCheckpointException.class, e -> {
                    assertThat(e.checkpointId()).isEqualTo(WF + "/checkpoint_002");
                    assertThat(e.previousValidCheckpointId()).contains(WF + "/checkpoint_001");
                })
                .hasMessageContaining("truncated")
                .hasMessageContaining("previous valid checkpoint: " + WF + "/checkpoint_001");
    }

    @Test
    void read_tamperedStateData_failsTheContentHashCheck() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));
        String key = "checkpoints/wf-test-1/checkpoint_001.json.gz";
        ObjectNode json = (ObjectNode) rawJson(key);
        ((ObjectNode) json.path("state_data")).put("current_progress", 99);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(JSON.writeValueAsBytes(json));
        }
        store.corrupt(key, bytes.toByteArray());

        assertThatThrownBy(() -> manager.read(WF + "/checkpoint_001"))
                .isInstanceOfSatisfying(CorruptCheckpointException.class,
                        e -> assertThat(e.previousValidCheckpointId()).isEmpty())
                .hasMessageContaining("content hash mismatch");
    }

    @Test
    void read_unknownCheckpoint_isNotFound() {
        assertThatThrownBy(() -> manager.read(WF + "/checkpoint_007"))
                .isInstanceOf(CheckpointNotFoundException.class).hasMessageContaining("checkpoint_007");
    }

    @Test
    void expiredCheckpoints_areReportedExpiredAndPurgeable() {
        manager.create(automatic("planner", "exec-1", 20));
        clock.advance(Duration.ofDays(20));
        manager.create(automatic("researcher", "exec-1", 40));
        clock.advance(Duration.ofDays(15));

        assertThat(manager.list(WF)).extracting(CheckpointEntry::status)
                .containsExactly(CheckpointStatus.EXPIRED, CheckpointStatus.ACTIVE);
        assertThat(manager.read(WF + "/checkpoint_001").status()).isEqualTo(CheckpointStatus.EXPIRED);

        assertThat(manager.purgeExpired(WF)).containsExactly(WF + "/checkpoint_001");
        assertThat(manager.list(WF)).extracting(CheckpointEntry::checkpointId).containsExactly(WF + "/checkpoint_002");
        assertThat(store.get("checkpoints/wf-test-1/checkpoint_001.json.gz")).isEmpty();
    }

    @Test
    void aRecoveredCheckpointWhoseRenewalTheIndexMissed_isNotPurgedAtItsOldExpiry() {
        manager.create(automatic("planner", "exec-1", 20));
        byte[] indexBefore = store.get("checkpoints/wf-test-1/metadata.json").orElseThrow().data();
        clock.advance(Duration.ofDays(20));
        manager.markStatus(WF + "/checkpoint_001", CheckpointStatus.RECOVERED); // a resume from it: 30 days from now
        // the process stopped between the object and the index (or a power cut lost the index, which is not fsync'd)
        store.put("checkpoints/wf-test-1/metadata.json", indexBefore);
        clock.advance(Duration.ofDays(15)); // past the first expiry, within the renewed one

        assertThat(manager.purgeExpired(WF)).isEmpty();
        assertThat(manager.read(WF + "/checkpoint_001").status()).isEqualTo(CheckpointStatus.RECOVERED);
    }

    @Test
    void cap_prunesOldestAutomaticOnesOfEarlierExecutions_neverManualOrTheLatest() {
        CheckpointManager capped = new CheckpointManager(store, clock, new CheckpointPolicy(Duration.ofDays(1), 2));
        capped.create(automatic("planner", "exec-1", 10));          // 001 pruned
        capped.createManual(WF, "before research");                  // 002 manual, kept
        capped.create(automatic("researcher", "exec-1", 20));        // 003 pruned
        capped.create(automatic("writer", "exec-2", 30));            // 004
        capped.create(automatic("editor", "exec-2", 40));            // 005 latest

        assertThat(capped.list(WF)).extracting(CheckpointEntry::checkpointId, CheckpointEntry::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple(WF + "/checkpoint_002", CheckpointType.MANUAL),
                org.assertj.core.groups.Tuple.tuple(WF + "/checkpoint_004", CheckpointType.AUTOMATIC),
                org.assertj.core.groups.Tuple.tuple(WF + "/checkpoint_005", CheckpointType.AUTOMATIC));
    }

    @Test
    void cap_neverPrunesWhatARunningOrResumedExecutionReads() {
        CheckpointManager capped = new CheckpointManager(store, clock, new CheckpointPolicy(Duration.ofDays(1), 2));
        capped.create(automatic("planner", "exec-1", 10));           // 001: exec-1's, pruned once exec-2 writes
        capped.create(automatic("researcher", "exec-1", 20));        // 002: resumed from, so kept
        capped.markStatus(WF + "/checkpoint_002", CheckpointStatus.RECOVERED);
        capped.create(automatic("writer", "exec-2", 30));            // 003..005: the running execution's own
        capped.create(automatic("editor", "exec-2", 40));
        capped.create(automatic("seo", "exec-2", 50));

        assertThat(capped.list(WF)).extracting(CheckpointEntry::checkpointId).containsExactly(
                WF + "/checkpoint_002", WF + "/checkpoint_003", WF + "/checkpoint_004", WF + "/checkpoint_005");
        assertThat(capped.read(WF + "/checkpoint_003").stateData().currentProgress()).isEqualTo(30);
    }

    @Test
    void cap_keepsARecoveredCheckpoint_whoseStatusChangeNeverReachedMetadataJson() {
        boolean[] indexDown = {false};
        BlobStore flakyIndex = new ForwardingBlobStore(store) {
            @Override
            public boolean putIfVersion(String key, byte[] data, String expectedVersion) {
                if (indexDown[0] && key.endsWith("metadata.json")) {
                    throw new IllegalStateException("503 Slow Down");
                }
                return super.putIfVersion(key, data, expectedVersion);
            }
        };
        CheckpointManager capped = new CheckpointManager(flakyIndex, clock, new CheckpointPolicy(Duration.ofDays(1), 2));
        capped.create(automatic("planner", "exec-1", 10));           // 001
        capped.create(automatic("researcher", "exec-1", 20));        // 002: resumed from
        indexDown[0] = true;
        assertThatThrownBy(() -> capped.markStatus(WF + "/checkpoint_002", CheckpointStatus.RECOVERED))
                .hasMessageContaining("503");
        indexDown[0] = false;
        CheckpointManager next = new CheckpointManager(store, clock, new CheckpointPolicy(Duration.ofDays(1), 2));
        assertThat(next.list(WF)).extracting(CheckpointEntry::status)
                .containsExactly(CheckpointStatus.ACTIVE, CheckpointStatus.ACTIVE); // the index missed the change

        next.create(automatic("writer", "exec-2", 30));              // 003..004: the resumed execution's own
        next.create(automatic("editor", "exec-2", 40));

        assertThat(next.list(WF)).extracting(CheckpointEntry::checkpointId).containsExactly(
                WF + "/checkpoint_002", WF + "/checkpoint_003", WF + "/checkpoint_004");
        assertThat(next.read(WF + "/checkpoint_002").status()).isEqualTo(CheckpointStatus.RECOVERED);
    }

    @Test
    void metadataEntriesOfAnotherWorkflowOrWithABadId_areLeftOut_andDeleteNothing() throws Exception {
        CheckpointManager capped = new CheckpointManager(store, clock, new CheckpointPolicy(Duration.ofDays(1), 1));
        String other = "wf-other-1";
        NewCheckpoint draft = automatic("planner", "exec-9", 10);
        capped.create(new NewCheckpoint(other, draft.campaignId(), draft.executionId(), draft.stepId(), draft.agentName(),
                draft.phaseName(), draft.type(), draft.status(), draft.stateData(), draft.resumeInstructions(),
                draft.availableActions(), draft.qualityScore(), draft.summary(), draft.durationMillis()));
        capped.create(automatic("planner", "exec-1", 10));
        String key = "checkpoints/" + WF + "/metadata.json";
        ObjectNode metadata = (ObjectNode) JSON.readTree(store.get(key).orElseThrow().data());
        ObjectNode foreign = metadata.withArray("checkpoints").get(0).deepCopy();
        foreign.put("checkpoint_id", other + "/checkpoint_001");
        foreign.put("execution_id", "exec-0");
        metadata.withArray("checkpoints").insert(0, foreign);
        metadata.withArray("checkpoints").add(foreign.deepCopy().put("checkpoint_id", "garbage"));
        store.put(key, JSON.writeValueAsBytes(metadata));
        CheckpointManager reader = new CheckpointManager(store, clock, new CheckpointPolicy(Duration.ofDays(1), 1));

        reader.create(automatic("researcher", "exec-2", 20));
        reader.markStatus(WF + "/checkpoint_002", CheckpointStatus.RECOVERED);

        assertThat(store.get("checkpoints/" + other + "/checkpoint_001.json.gz")).isPresent();
        assertThat(reader.list(WF)).extracting(CheckpointEntry::checkpointId, CheckpointEntry::status).containsExactly(
                tuple(WF + "/checkpoint_002", CheckpointStatus.RECOVERED));
        assertThat(JSON.readTree(store.get(key).orElseThrow().data()).path("checkpoints"))
                .extracting(n -> n.path("checkpoint_id").asText()).containsExactly(WF + "/checkpoint_002");
    }

    @Test
    void aStoredCheckpoint_isReturned_evenWhenMetadataJsonCannotBeWritten() throws Exception {
        InMemoryBlobStore backing = new InMemoryBlobStore();
        boolean[] indexDown = {true};
        BlobStore failingIndex = new ForwardingBlobStore(backing) {
            @Override
            public boolean putIfAbsent(String key, byte[] data) {
                failIfIndex(key);
                return super.putIfAbsent(key, data);
            }

            @Override
            public boolean putIfVersion(String key, byte[] data, String expectedVersion) {
                failIfIndex(key);
                return super.putIfVersion(key, data, expectedVersion);
            }

            private void failIfIndex(String key) {
                if (indexDown[0] && key.endsWith("metadata.json")) {
                    throw new IllegalStateException("503 Slow Down");
                }
            }
        };
        CheckpointManager flaky = new CheckpointManager(failingIndex, clock, CheckpointPolicy.DEFAULT);

        CheckpointEntry entry = flaky.create(automatic("researcher", "exec-1", 40));

        assertThat(entry.checkpointId()).isEqualTo(WF + "/checkpoint_001");
        assertThat(flaky.read(entry.checkpointId()).stateData().currentProgress()).isEqualTo(40);
        assertThat(backing.get("checkpoints/" + WF + "/metadata.json")).isEmpty();
        indexDown[0] = false;
        flaky.create(automatic("writer", "exec-1", 60));
        assertThat(JSON.readTree(backing.get("checkpoints/" + WF + "/metadata.json").orElseThrow().data())
                .path("checkpoints")).extracting(n -> n.path("checkpoint_id").asText())
                .containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002");
    }

    @Test
    void findByExecutionAndStep_findsTheAutomaticCheckpointOfThatRunOnly() {
        manager.create(automatic("researcher", "exec-1", 40));
        CheckpointEntry second = manager.create(automatic("researcher", "exec-2", 40));

        assertThat(manager.findByExecutionAndStep(WF, "exec-2", "researcher")).contains(second);
        assertThat(manager.findByExecutionAndStep(WF, "exec-3", "researcher")).isEmpty();
        assertThat(manager.findByExecutionAndStep(WF, "exec-1", "writer")).isEmpty();
    }

    @Test
    void aSecondRunOfAStep_findsTheFirstRunsCheckpoint_evenWhenMetadataJsonHoldsEntriesOfDeletedOnes()
            throws Exception {
        manager.create(automatic("planner", "exec-1", 20));          // 001, its entry left behind below
        manager.create(automatic("researcher", "exec-2", 40));       // 002: the first run of exec-2's researcher
        String key = "checkpoints/" + WF + "/metadata.json";
        ObjectNode metadata = (ObjectNode) JSON.readTree(store.get(key).orElseThrow().data());
        ArrayNode entries = metadata.withArray("checkpoints");
        ObjectNode stale = (ObjectNode) entries.get(0);
        entries.removeAll();
        entries.add(stale).add(stale.deepCopy().put("checkpoint_id", WF + "/checkpoint_003"))
                .add(stale.deepCopy().put("checkpoint_id", WF + "/checkpoint_004"));
        store.put(key, JSON.writeValueAsBytes(metadata)); // two entries whose objects are gone, 002's missing
        store.delete("checkpoints/" + WF + "/checkpoint_001.json.gz");
        CheckpointManager secondRun = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT);

        assertThatThrownBy(() -> secondRun.create(automatic("researcher", "exec-2", 40)))
                .isInstanceOf(StepAlreadyCheckpointedException.class);

        assertThat(secondRun.list(WF)).extracting(CheckpointEntry::checkpointId).containsExactly(WF + "/checkpoint_002");
    }

    /**
     * Two runs of one step at once, the second listing the workflow before the first stored its checkpoint and
     * updating metadata.json before it: the number the second found taken is the first run's checkpoint.
     */
    @Test
    void aSecondRunOfAStep_thatListedBeforeTheFirstStored_findsTheFirstRunsCheckpoint() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));          // 001
        manager.create(automatic("researcher", "exec-1", 40));       // 002: the first run of the step
        String key = "checkpoints/" + WF + "/metadata.json";
        ObjectNode metadata = (ObjectNode) JSON.readTree(store.get(key).orElseThrow().data());
        ArrayNode entries = metadata.withArray("checkpoints");
        entries.remove(1);
        store.put(key, JSON.writeValueAsBytes(metadata)); // the first run has not recorded 002 yet
        String first = "checkpoints/" + WF + "/checkpoint_002.json.gz";
        BlobStore listedBeforeTheFirstStored = new ForwardingBlobStore(store) {
            private boolean listed;

            @Override
            public List<String> list(String prefix) {
                List<String> keys = new ArrayList<>(super.list(prefix));
                if (!listed) {
                    listed = true;
                    keys.remove(first);
                }
                return keys;
            }
        };
        CheckpointManager secondRun = new CheckpointManager(listedBeforeTheFirstStored, clock, CheckpointPolicy.DEFAULT);

        assertThatThrownBy(() -> secondRun.create(automatic("researcher", "exec-1", 40)))
                .isInstanceOf(StepAlreadyCheckpointedException.class)
                .satisfies(e -> assertThat(((StepAlreadyCheckpointedException) e).existing().checkpointId())
                        .isEqualTo(WF + "/checkpoint_002"));

        assertThat(manager.list(WF)).extracting(CheckpointEntry::checkpointId)
                .containsExactly(WF + "/checkpoint_001", WF + "/checkpoint_002");
    }

    @Test
    void list_includesACheckpointWhoseMetadataUpdateWasLost() {
        manager.create(automatic("planner", "exec-1", 20));
        manager.create(automatic("researcher", "exec-1", 40));
        store.put("checkpoints/wf-test-1/metadata.json", "{\"checkpoints\":[]}".getBytes());

        assertThat(manager.list(WF)).extracting(CheckpointEntry::stepId).containsExactly("planner", "researcher");
        assertThat(manager.findByExecutionAndStep(WF, "exec-1", "researcher")).isPresent();
    }

    @Test
    void aRecoveredCheckpoint_isKeptForTheRetentionPeriodFromItsResume() {
        CheckpointEntry seed = manager.create(automatic("planner", "exec-1", 20));
        clock.advance(Duration.ofDays(20));
        manager.markStatus(seed.checkpointId(), CheckpointStatus.RECOVERED);
        clock.advance(Duration.ofDays(15));

        assertThat(manager.list(WF)).extracting(CheckpointEntry::status).containsExactly(CheckpointStatus.RECOVERED);
        assertThat(manager.purgeExpired(WF)).isEmpty();
        assertThat(manager.read(seed.checkpointId()).expiresAt()).isEqualTo(Instant.parse("2027-01-15T01:02:03Z"));
    }

    @Test
    void markStatus_updatesObjectAndListingWithoutBreakingTheHash() {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));

        manager.markStatus(entry.checkpointId(), CheckpointStatus.RECOVERED);

        assertThat(manager.read(entry.checkpointId()).status()).isEqualTo(CheckpointStatus.RECOVERED);
        assertThat(manager.list(WF)).extracting(CheckpointEntry::status).containsExactly(CheckpointStatus.RECOVERED);
    }

    @Test
    void list_followsChangesAnotherProcessMadeToMetadata() {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));
        assertThat(manager.list(WF)).extracting(CheckpointEntry::status).containsExactly(CheckpointStatus.ACTIVE);

        new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).markStatus(entry.checkpointId(),
                CheckpointStatus.RECOVERED);

        assertThat(manager.list(WF)).extracting(CheckpointEntry::status).containsExactly(CheckpointStatus.RECOVERED);
    }

    @Test
    void create_afterAnotherWriterTookTheNextNumber_writesTheOneAfterAndOverwritesNothing() {
        manager.create(automatic("planner", "exec-1", 20));
        // another process (or function) writes checkpoint 2 after this manager last listed the workflow
        new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).create(automatic("researcher", "exec-1", 40));

        CheckpointEntry writer = manager.create(automatic("writer", "exec-1", 60));

        assertThat(writer.checkpointId()).isEqualTo(WF + "/checkpoint_003");
        assertThat(manager.read(WF + "/checkpoint_002").stepId()).isEqualTo("researcher");
        assertThat(manager.list(WF)).extracting(CheckpointEntry::stepId).containsExactly("planner", "researcher", "writer");
    }

    @Test
    void aHalfWrittenMetadataJson_isRebuiltFromTheCheckpoints() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));
        CheckpointEntry researcher = manager.create(automatic("researcher", "exec-1", 40));
        manager.markStatus(researcher.checkpointId(), CheckpointStatus.RECOVERED);
        String key = "checkpoints/wf-test-1/metadata.json";
        byte[] whole = store.get(key).orElseThrow().data();
        store.corrupt(key, Arrays.copyOf(whole, whole.length / 2)); // an overwrite in place cut short

        assertThat(manager.list(WF)).extracting(CheckpointEntry::stepId, CheckpointEntry::status).containsExactly(
                tuple("planner", CheckpointStatus.ACTIVE), tuple("researcher", CheckpointStatus.RECOVERED));
        manager.create(automatic("writer", "exec-1", 60));
        assertThat(JSON.readTree(store.get(key).orElseThrow().data()).path("checkpoints")).hasSize(3);
    }

    @Test
    void listing_readFromMetadataOnly_tellsEachCheckpointsActionsAndInstructions_theManualNoteAmongThem() {
        manager.create(automatic("planner", "exec-1", 20));
        manager.createManual(WF, "before the big edit");

        // a second manager has nothing cached: the listing comes from metadata.json alone
        List<CheckpointEntry> listed = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).list(WF);

        assertThat(listed).extracting(CheckpointEntry::availableActions).containsOnly(List.of("continue", "retry", "skip"));
        assertThat(listed.get(0).toListingJson().path("resume_instructions").asText())
                .isEqualTo("Continue from planner output: next agent is writer");
        assertThat(listed.get(1).toListingJson().path("resume_instructions").asText())
                .contains("before the big edit");
    }

    @Test
    void listing_ofMetadataWrittenBeforeEntriesCarriedActions_leavesThemOut() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));
        String key = "checkpoints/" + WF + "/metadata.json";
        ObjectNode metadata = (ObjectNode) JSON.readTree(store.get(key).orElseThrow().data());
        ((ObjectNode) metadata.path("checkpoints").get(0)).remove(List.of("resume_instructions", "available_actions"));
        store.put(key, JSON.writeValueAsBytes(metadata));

        JsonNode listed = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).list(WF).getFirst().toListingJson();

        assertThat(listed.has("available_actions")).isFalse();
        assertThat(listed.has("resume_instructions")).isFalse();
        assertThat(listed.path("agent_name").asText()).isEqualTo("planner");
    }

    @Test
    void listingJson_hasTheApiFields() {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));

        assertThat(entry.toListingJson().properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "checkpoint_id", "agent_name", "phase_name", "type", "status", "created_at", "size_bytes",
                "resume_instructions", "available_actions");
    }

    @Test
    void nextCreate_recordsACheckpointWhoseMetadataUpdateWasLost_soTheCapCountsIt() throws Exception {
        manager.create(automatic("planner", "exec-1", 20));
        manager.create(automatic("researcher", "exec-1", 40));
        store.put("checkpoints/wf-test-1/metadata.json", "{\"checkpoints\":[]}".getBytes());

        manager.create(automatic("writer", "exec-1", 60));

        JsonNode metadata = JSON.readTree(store.get("checkpoints/wf-test-1/metadata.json").orElseThrow().data());
        assertThat(metadata.path("checkpoints")).extracting(n -> n.path("step_id").asText())
                .containsExactly("planner", "researcher", "writer");
    }

    @Test
    void read_stateDataStoredInAnotherLayout_stillVerifiesAgainstItsCanonicalHash() throws Exception {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("writer").put("zeta", "last key").put("alpha", "first key").putArray("list").add(1.5).add("x");
        manager.create(new NewCheckpoint(WF, "camp-1", "exec-1", "writer", "writer", "agent_writer_completed",
                CheckpointType.AUTOMATIC, CheckpointStatus.ACTIVE, new StateData(List.of("writer"), List.of(), data, 50),
                "Continue", List.of("continue"), 0.9, "writer done", 7));
        String key = "checkpoints/wf-test-1/checkpoint_001.json.gz";
        JsonNode json = rawJson(key);
        // the same content, pretty-printed: the stored bytes no longer are the canonical ones
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        }
        store.corrupt(key, bytes.toByteArray());

        Checkpoint read = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).read(WF + "/checkpoint_001");

        assertThat(read.stateData().intermediateData()).isEqualTo(data);
        assertThat(read.contentHash()).isEqualTo(ContentHash.of(json.get("state_data")));
    }

    @Test
    void read_returnsStateTheCallerCanChange_withoutChangingTheNextRead() {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));

        Checkpoint first = manager.read(entry.checkpointId());
        first.stateData().intermediateData().put("planner", "changed by a caller");
        first.stateData().intermediateData().put("extra", 1);

        Checkpoint second = manager.read(entry.checkpointId());
        assertThat(second.stateData().intermediateData().path("planner").path("notes").asText()).isEqualTo("output of planner");
        assertThat(second.stateData().intermediateData().has("extra")).isFalse();
    }

    @Test
    void read_byAnotherManagerOrAfterTheBytesChanged_decodesAndVerifiesAgain() throws Exception {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));
        String key = "checkpoints/wf-test-1/checkpoint_001.json.gz";
        byte[] stored = store.get(key).orElseThrow().data();
        byte[] flipped = stored.clone();
        flipped[flipped.length - 1] ^= 0x40; // the size in the last gzip member's trailer

        store.corrupt(key, flipped);
        assertThatThrownBy(() -> manager.read(entry.checkpointId())).isInstanceOf(CorruptCheckpointException.class);

        store.corrupt(key, stored);
        assertThat(manager.read(entry.checkpointId()).summary()).isEqualTo("planner done");
        assertThat(new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).read(entry.checkpointId()).summary())
                .isEqualTo("planner done");
    }

    @Test
    void contentHash_isTheSha256OfCompactJsonWithKeysSortedAtEveryLevel() throws Exception {
        JsonNode node = JSON.readTree("{\"b\":{\"y\":1,\"x\":[{\"d\":true,\"c\":null}]},\"a\":\"é\"}");

        byte[] canonical = ContentHash.canonicalBytes(node);

        assertThat(new String(canonical, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"é\",\"b\":{\"x\":[{\"c\":null,\"d\":true}],\"y\":1}}");
        assertThat(ContentHash.of(node)).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(canonical)));
    }

    @Test
    void read_anyFlippedByteOrTruncation_isReportedCorrupt_orReadsBackTheSameContent() {
        CheckpointEntry entry = manager.create(automatic("planner", "exec-1", 20));
        manager.create(automatic("researcher", "exec-1", 40));
        String key = "checkpoints/wf-test-1/checkpoint_002.json.gz";
        byte[] stored = store.get(key).orElseThrow().data();
        Checkpoint original = new CheckpointManager(store, clock, CheckpointPolicy.DEFAULT).read(WF + "/checkpoint_002");

        int unchanged = 0;
        for (int i = 0; i < stored.length; i++) {
            byte[] damaged = stored.clone();
            damaged[i] ^= 0x10;
            store.corrupt(key, damaged);
            try {
                Checkpoint read = manager.read(WF + "/checkpoint_002");
                // only bytes gzip ignores (a member header's time or OS field) may change without notice
                assertThat(read).as("byte %d", i).isEqualTo(original);
                unchanged++;
            } catch (CorruptCheckpointException e) {
                assertThat(e.previousValidCheckpointId()).contains(entry.checkpointId());
            }
        }
        for (int length = 0; length < stored.length; length++) {
            store.corrupt(key, Arrays.copyOf(stored, length));
            int cut = length;
            assertThatThrownBy(() -> manager.read(WF + "/checkpoint_002")).as("cut at %d", cut)
                    .isInstanceOf(CorruptCheckpointException.class);
        }
        assertThat(unchanged).isLessThan(stored.length / 4);
    }
}
