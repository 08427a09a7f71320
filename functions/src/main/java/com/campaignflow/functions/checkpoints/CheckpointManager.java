package com.campaignflow.functions.checkpoints;

import com.campaignflow.functions.ports.BlobStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * Writes, reads, lists and prunes checkpoints over a {@link BlobStore}, as documented in docs/contracts.md.
 * <ul>
 * <li>Numbers are allocated with create-if-absent writes: concurrent Parallel branches never share one.</li>
 * <li>Every read verifies gzip, JSON, id and content hash; a bad checkpoint raises {@link CorruptCheckpointException}.</li>
 * <li>metadata.json is maintained with conditional writes in a retry loop (no lost updates). The checkpoint objects
 *     are the source of truth: a checkpoint whose metadata update was lost (crash in between) is still listed, and
 *     the next checkpoint of the workflow records it. Being rebuildable, it is written through
 *     {@link BlobStore#forRebuildableData()} (locally: in place, not fsync'd); an unreadable one is rebuilt.</li>
 * <li>Each agent output in state_data is compressed once ({@link CheckpointEncoder}); a checkpoint read back with
 *     exactly the bytes this manager wrote or last read is not decoded again.</li>
 * </ul>
 */
public final class CheckpointManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(CheckpointManager.class.getName());
    private static final int MAX_ATTEMPTS = 1000;
    private static final String CHECKPOINT_FILE = "checkpoint_";
    private static final String METADATA_FILE = "metadata.json";
    private static final int RECENT_CAPACITY = 32;

    private final BlobStore store;
    /** Where metadata.json is written: the same objects as {@link #store}, possibly without fsync. */
    private final BlobStore index;
    private final Clock clock;
    private final CheckpointPolicy policy;
    private final CheckpointEncoder encoder = new CheckpointEncoder();
    /** The last checkpoints written or read, with their stored bytes: a read of unchanged bytes skips the decode. */
    private final Map<String, Recent> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
            return size() > RECENT_CAPACITY;
        }
    };

    private record Recent(byte[] data, Checkpoint checkpoint) {
    }

    /**
     * The checkpoint ids last listed or written per workflow. {@link #create} numbers from them instead of listing
     * the workflow again right after the agent's idempotency check listed it: the write is conditional, so a list
     * gone stale (another writer took the number) costs one fresh listing and a retry, never an overwrite.
     */
    private final Map<String, List<CheckpointId>> listed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<CheckpointId>> eldest) {
            return size() > RECENT_CAPACITY;
        }
    };

    /** The last metadata.json read or written per workflow: the same bytes are not parsed again. */
    private final Map<String, Metadata> recentMetadata = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Metadata> eldest) {
            return size() > RECENT_CAPACITY;
        }
    };

    public CheckpointManager(BlobStore store, Clock clock, CheckpointPolicy policy) {
        this.store = store;
        this.index = store.forRebuildableData();
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * Writes a new checkpoint with the next free number, records it in metadata.json, applies the cap.
     *
     * @throws StepAlreadyCheckpointedException for an automatic checkpoint of a step that another run of the same
     *         execution and step checkpointed first, with a lower number (its own checkpoint is removed again)
     */
    public CheckpointEntry create(NewCheckpoint draft) {
        Instant now = clock.instant();
        // state_data is serialised once, in canonical form: hashed, then stored as is (see CanonicalState).
        CanonicalState state = encoder.canonicalState(draft.stateData());
        String hash = state.hash();
        List<CheckpointId> known = lastListed(draft.workflowId());
        List<CheckpointId> stored = known != null ? known : storedIds(draft.workflowId());
        int number = nextNumber(stored);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, number++) {
            CheckpointId id = new CheckpointId(draft.workflowId(), number);
            Checkpoint checkpoint = new Checkpoint(id.value(), draft.workflowId(), draft.campaignId(),
                    draft.executionId(), draft.stepId(), draft.agentName(), draft.phaseName(), draft.type(),
                    draft.status(), now, now.plus(policy.retention()), draft.stateData(), draft.resumeInstructions(),
                    draft.availableActions(), hash, draft.qualityScore(), draft.summary(), draft.durationMillis());
            byte[] data = encoder.encode(checkpoint, state);
            if (store.putIfAbsent(id.blobKey(), data)) {
                return recordCreated(draft, id, checkpoint, data, stored);
            }
            // taken since the listing: recordCreated must know of it (it may be this step's first run)
            List<CheckpointId> withTaken = new ArrayList<>(stored);
            withTaken.add(id);
            stored = withTaken;
            if (known != null) { // numbered from a list gone stale: go on after what is stored now
                known = null;
                stored = storedIds(draft.workflowId());
                number = Math.max(number + 1, nextNumber(stored)) - 1;
            }
        }
        throw new IllegalStateException("could not allocate a checkpoint number for " + draft.workflowId()
                + " after " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Records a checkpoint just stored: in the listing kept for the next create, in metadata.json, against the cap.
     * The checkpoint is safe once stored, so a failure here is logged, not thrown: the object is the source of truth
     * (the next update of metadata.json adds a missing entry, the next create applies the cap), and a caller told
     * "failed" would count a saved agent run as a failed one.
     */
    private CheckpointEntry recordCreated(NewCheckpoint draft, CheckpointId id, Checkpoint checkpoint, byte[] data,
                                          List<CheckpointId> stored) {
        List<CheckpointId> withNew = new ArrayList<>(stored);
        withNew.add(id);
        synchronized (listed) {
            listed.put(draft.workflowId(), List.copyOf(withNew));
        }
        remember(id, data, checkpoint);
        CheckpointEntry entry = CheckpointEntry.of(checkpoint, data.length);
        try {
            List<CheckpointEntry> recorded = updateMetadata(draft.workflowId(), draft.campaignId(), entries -> {
                entries.removeIf(e -> e.checkpointId().equals(entry.checkpointId()));
                recordMissing(entries, stored);
                throwIfSecondRunOfTheStep(draft, id, entries);
                entries.add(entry);
                return entries;
            });
            pruneBeyondCap(draft.workflowId(), draft.executionId(), recorded);
        } catch (StepAlreadyCheckpointedException e) {
            store.delete(id.blobKey());
            removeEntryOfSecondRun(draft, id);
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint " + id.value() + " is stored, but metadata.json or the cap"
                    + " could not be updated; the next checkpoint of the workflow does it", e);
        }
        return entry;
    }

    /**
     * Two runs of one step at once (a retried invocation while the first still runs) both pass the step's
     * idempotency check and both write a checkpoint. The one stored first has the lower number and stays; the other
     * finds it here, among the entries of the listing it numbered from (recordMissing adds the ones metadata.json
     * does not hold yet), and is removed: its run returns the first one's result (of three or more runs, every
     * later one is told the lowest-numbered, the one that stays). The listing of the run stored
     * second always holds the first: either it was made after the first's object existed, or the run tried the
     * first's number, found it taken, and added it.
     */
    private static void throwIfSecondRunOfTheStep(NewCheckpoint draft, CheckpointId own, List<CheckpointEntry> entries) {
        if (draft.type() != CheckpointType.AUTOMATIC) {
            return;
        }
        CheckpointEntry first = null;
        for (CheckpointEntry e : entries) { // the workflow's metadata.json: all of own.workflowId()
            if (e.type() == CheckpointType.AUTOMATIC && draft.executionId().equals(e.executionId())
                    && draft.stepId().equals(e.stepId()) && e.id().number() < own.number()
                    && (first == null || e.id().number() < first.id().number())) {
                first = e;
            }
        }
        if (first != null) {
            throw new StepAlreadyCheckpointedException(first);
        }
    }

    /**
     * Removes the entry another run's recordMissing may have added for a second run's checkpoint before it was
     * deleted. Only that step's: the freed number may already hold another step's checkpoint. Best effort: list()
     * leaves out an entry whose object is gone.
     */
    private void removeEntryOfSecondRun(NewCheckpoint draft, CheckpointId id) {
        try {
            updateMetadata(draft.workflowId(), null, entries -> {
                entries.removeIf(e -> e.checkpointId().equals(id.value()) && draft.stepId().equals(e.stepId())
                        && draft.executionId().equals(e.executionId()));
                return entries;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove the entry of deleted checkpoint " + id.value(), e);
        }
    }

    /** Adds entries for stored checkpoints that metadata.json missed (a crash between the object and its entry). */
    private void recordMissing(List<CheckpointEntry> entries, List<CheckpointId> stored) {
        // (entries can outnumber the stored objects and still miss one: an entry outlives its object when a
        // delete stops between the two)
        Set<String> recorded = new HashSet<>();
        entries.forEach(e -> recorded.add(e.checkpointId()));
        for (CheckpointId id : stored) {
            if (!recorded.contains(id.value())) {
                CheckpointEntry missing = unrecordedEntry(id);
                if (missing != null) {
                    entries.add(missing);
                }
            }
        }
    }

    /** Reads and verifies a checkpoint by its id string (validated first). */
    public Checkpoint read(String checkpointId) {
        return read(CheckpointIds.parse(checkpointId));
    }

    /**
     * Reads and verifies a checkpoint. Its status reads {@code expired} once past expires_at.
     *
     * @throws CheckpointNotFoundException when nothing is stored under the id
     * @throws CorruptCheckpointException  when the stored object fails verification
     */
    public Checkpoint read(CheckpointId id) {
        BlobStore.Blob blob = store.get(id.blobKey()).orElseThrow(() -> new CheckpointNotFoundException(id.value()));
        try {
            return withExpiry(decodeCached(id, blob.data()));
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(id.value(), e.getMessage(), previousValid(id).orElse(null), e);
        }
    }

    /** The checkpoint with its compressed size, for callers that report both. */
    public CheckpointEntry entry(CheckpointId id) {
        BlobStore.Blob blob = store.get(id.blobKey()).orElseThrow(() -> new CheckpointNotFoundException(id.value()));
        try {
            return CheckpointEntry.of(withExpiry(decodeCached(id, blob.data())), blob.data().length);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(id.value(), e.getMessage(), previousValid(id).orElse(null), e);
        }
    }

    /** Every checkpoint of the workflow, oldest first; expired ones report status {@code expired}. */
    public List<CheckpointEntry> list(String workflowId) {
        CheckpointIds.validateWorkflowId(workflowId);
        List<CheckpointId> stored = storedIds(workflowId);
        if (stored.isEmpty()) {
            return new ArrayList<>(); // metadata.json lists only stored checkpoints (a new workflow's first step asks here)
        }
        Map<String, CheckpointEntry> recorded = new HashMap<>();
        readMetadata(workflowId).ifPresent(m -> m.entries().forEach(e -> recorded.put(e.checkpointId(), e)));
        List<CheckpointEntry> result = new ArrayList<>();
        for (CheckpointId id : stored) {
            CheckpointEntry entry = recorded.get(id.value());
            if (entry == null) {
                entry = unrecordedEntry(id);
                if (entry == null) {
                    continue;
                }
            }
            result.add(Instant.now(clock).isAfter(entry.expiresAt()) ? entry.withStatus(CheckpointStatus.EXPIRED) : entry);
        }
        return result;
    }

    /**
     * The automatic checkpoint an agent wrote for this execution and step, if any: a re-invoked agent (Lambda or
     * Step Functions retry) reuses it instead of running again.
     */
    public Optional<CheckpointEntry> findByExecutionAndStep(String workflowId, String executionId, String stepId) {
        // the first: a second run of the step at once removes its own (see throwIfSecondRunOfTheStep)
        return list(workflowId).stream().filter(e -> e.type() == CheckpointType.AUTOMATIC
                && executionId.equals(e.executionId()) && stepId.equals(e.stepId())).findFirst();
    }

    /** The latest checkpoint of that type written for this execution and step. */
    public Optional<CheckpointEntry> find(String workflowId, String executionId, String stepId, CheckpointType type) {
        List<CheckpointEntry> all = list(workflowId);
        for (int i = all.size() - 1; i >= 0; i--) {
            CheckpointEntry e = all.get(i);
            if (e.type() == type && executionId.equals(e.executionId()) && stepId.equals(e.stepId())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The newest checkpoint of the workflow that reads back valid. */
    public Optional<Checkpoint> latestValid(String workflowId) {
        return latestReadable(workflowId).checkpoint();
    }

    /**
     * The newest checkpoint that reads back valid, and the ids of the newer ones that do not (corrupt, or deleted
     * since they were listed), newest first.
     */
    public record LatestReadable(Optional<Checkpoint> checkpoint, List<String> unreadableNewer) {
    }

    public LatestReadable latestReadable(String workflowId) {
        List<CheckpointId> ids = storedIds(workflowId);
        List<String> unreadable = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i--) {
            Optional<Checkpoint> c = readQuietly(ids.get(i));
            if (c.isPresent()) {
                return new LatestReadable(c, List.copyOf(unreadable));
            }
            unreadable.add(ids.get(i).value());
        }
        return new LatestReadable(Optional.empty(), List.copyOf(unreadable));
    }

    /** The newest checkpoint of the workflow that reads back valid and has not expired. */
    public Optional<String> latestUnexpired(String workflowId) {
        List<CheckpointId> ids = storedIds(workflowId);
        for (int i = ids.size() - 1; i >= 0; i--) {
            Optional<Checkpoint> c = readQuietly(ids.get(i));
            if (c.isPresent() && c.get().status() != CheckpointStatus.EXPIRED) {
                return Optional.of(c.get().checkpointId());
            }
        }
        return Optional.empty();
    }

    private Optional<Checkpoint> latestNonManualValid(String workflowId) {
        List<CheckpointId> ids = storedIds(workflowId);
        for (int i = ids.size() - 1; i >= 0; i--) {
            Optional<Checkpoint> c = readQuietly(ids.get(i));
            if (c.isPresent() && c.get().type() != CheckpointType.MANUAL) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** A user-triggered checkpoint copying the state of the workflow's latest valid checkpoint. */
    public CheckpointEntry createManual(String workflowId, String note) {
        return createManual(latestValid(workflowId).orElseThrow(() ->
                new CheckpointNotFoundException(workflowId + " (no valid checkpoint to copy)")), note);
    }

    /** A user-triggered checkpoint copying the state of {@code source}, a valid checkpoint of its workflow. */
    public CheckpointEntry createManual(Checkpoint source, String note) {
        if (note != null && note.length() > 200) {
            throw new IllegalArgumentException("manual checkpoint note must be at most 200 characters");
        }
        String workflowId = source.workflowId();
        // a copy of a manual checkpoint describes the step checkpoint that one copied (same state), not the copy
        Checkpoint described = source.type() == CheckpointType.MANUAL ? latestNonManualValid(workflowId).orElse(source)
                : source;
        String instructions = "Manual checkpoint of " + source.checkpointId()
                + (note == null || note.isBlank() ? "" : ": " + note) + ". "
                + (described == source && source.type() == CheckpointType.MANUAL ? "" : described.resumeInstructions());
        String phase = described.type() == CheckpointType.MANUAL ? described.phaseName() : "manual_" + described.phaseName();
        return create(new NewCheckpoint(workflowId, source.campaignId(), source.executionId(), source.stepId(),
                source.agentName(), phase, CheckpointType.MANUAL, CheckpointStatus.ACTIVE,
                source.stateData().including(source.checkpointId()), instructions.strip(), source.availableActions(),
                source.qualityScore(),
                source.summary(), 0));
    }

    /**
     * Changes a checkpoint's status (e.g. {@code recovered} after a resume) in the object, then in metadata.json. If
     * the second write fails the call throws, and the object, which the cap consults, already holds the new status.
     * A recovered checkpoint is kept for the retention period from now: the resumed execution reads it, and a redrive of
     * that execution may come days later (S3's lifecycle counts from the rewrite too).
     */
    public void markStatus(String checkpointId, CheckpointStatus status) {
        CheckpointId id = CheckpointIds.parse(checkpointId);
        Checkpoint current = read(id).withStatus(status);
        Instant renewed = clock.instant().plus(policy.retention());
        Checkpoint updated = status == CheckpointStatus.RECOVERED && renewed.isAfter(current.expiresAt())
                ? current.withExpiresAt(renewed) : current;
        byte[] data = encoder.encode(updated, encoder.canonicalState(updated.stateData()));
        store.put(id.blobKey(), data);
        remember(id, data, updated);
        updateMetadata(id.workflowId(), updated.campaignId(), entries -> {
            entries.removeIf(e -> e.checkpointId().equals(checkpointId));
            entries.add(CheckpointEntry.of(updated, data.length));
            return entries;
        });
    }

    /** Deletes the workflow's checkpoints past their expires_at; returns their ids. */
    public List<String> purgeExpired(String workflowId) {
        // metadata.json says which may have expired, the checkpoint itself whether it has: a recovered checkpoint's
        // expiry is renewed in its object first, and the index (not fsync'd, written second) may have missed that
        List<String> purged = list(workflowId).stream()
                .filter(e -> e.status() == CheckpointStatus.EXPIRED && expiredInItsObject(e.id()))
                .map(CheckpointEntry::checkpointId)
                .toList();
        delete(workflowId, purged);
        return purged;
    }

    /**
     * Deletes the oldest automatic checkpoints beyond the cap; {@code all} is sorted by id. Never deleted: the latest,
     * the checkpoints of {@code runningExecution} (its later steps read them, and a redrive keeps its name) and
     * {@code recovered} ones (a resumed execution reads its seed checkpoint for every step it did not run), so a
     * workflow can hold more than the cap while they are all in use. A candidate's status is taken from its object,
     * not from metadata.json: a status change that stopped between the two (see {@link #markStatus}) leaves the
     * index behind.
     */
    private void pruneBeyondCap(String workflowId, String runningExecution, List<CheckpointEntry> all) {
        if (all.isEmpty()) {
            return;
        }
        String latest = all.get(all.size() - 1).checkpointId();
        List<CheckpointEntry> automatic = all.stream().filter(e -> e.type() == CheckpointType.AUTOMATIC).toList();
        int excess = automatic.size() - policy.maxAutomaticPerWorkflow();
        if (excess <= 0) {
            return;
        }
        List<String> victims = new ArrayList<>();
        for (CheckpointEntry e : automatic) {
            if (victims.size() == excess) {
                break;
            }
            if (e.checkpointId().equals(latest) || Objects.equals(e.executionId(), runningExecution)
                    || e.status() == CheckpointStatus.RECOVERED || recoveredInItsObject(e.checkpointId())) {
                continue;
            }
            victims.add(e.checkpointId());
        }
        delete(workflowId, victims);
    }

    /** Whether the checkpoint's own object has expired; an unreadable one goes by its index entry, a deleted one not. */
    private boolean expiredInItsObject(CheckpointId id) {
        return store.get(id.blobKey()).map(blob -> {
            try {
                return clock.instant().isAfter(decodeCached(id, blob.data()).expiresAt());
            } catch (IllegalArgumentException corrupt) {
                return true;
            }
        }).orElse(false);
    }

    private boolean recoveredInItsObject(String checkpointId) {
        return readQuietly(CheckpointIds.parse(checkpointId)).map(c -> c.status() == CheckpointStatus.RECOVERED)
                .orElse(false);
    }

    private void delete(String workflowId, List<String> checkpointIds) {
        if (checkpointIds.isEmpty()) {
            return;
        }
        synchronized (listed) {
            listed.remove(workflowId);
        }
        checkpointIds.forEach(id -> store.delete(CheckpointIds.parse(id).blobKey()));
        updateMetadata(workflowId, null, entries -> {
            entries.removeIf(e -> checkpointIds.contains(e.checkpointId()));
            return entries;
        });
    }

    private Optional<String> previousValid(CheckpointId corrupt) {
        List<CheckpointId> ids = storedIds(corrupt.workflowId());
        for (int i = ids.size() - 1; i >= 0; i--) {
            CheckpointId id = ids.get(i);
            if (id.number() < corrupt.number() && readQuietly(id).isPresent()) {
                return Optional.of(id.value());
            }
        }
        return Optional.empty();
    }

    private Optional<Checkpoint> readQuietly(CheckpointId id) {
        return store.get(id.blobKey()).flatMap(blob -> {
            try {
                return Optional.of(withExpiry(decodeCached(id, blob.data())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** An entry built from the object itself when metadata.json missed it; null when it vanished or is corrupt. */
    private CheckpointEntry unrecordedEntry(CheckpointId id) {
        Optional<BlobStore.Blob> blob = store.get(id.blobKey());
        if (blob.isEmpty()) {
            return null;
        }
        try {
            return CheckpointEntry.of(decodeCached(id, blob.get().data()), blob.get().data().length);
        } catch (IllegalArgumentException e) {
            Instant at = clock.instant();
            return new CheckpointEntry(id.value(), null, "corrupt", null, null, CheckpointType.AUTOMATIC,
                    CheckpointStatus.FAILED, at, at.plus(policy.retention()), blob.get().data().length, 0,
                    "corrupt: " + e.getMessage(), "Corrupt: resume from the previous valid checkpoint.", List.of());
        }
    }

    private Checkpoint withExpiry(Checkpoint c) {
        return clock.instant().isAfter(c.expiresAt()) ? c.withStatus(CheckpointStatus.EXPIRED) : c;
    }

    /**
     * Decodes and verifies, or returns the checkpoint this manager last wrote or read under that key when the stored
     * bytes are still exactly the ones it saw (the next agent in the same process reads what the previous one wrote).
     */
    private Checkpoint decodeCached(CheckpointId id, byte[] data) {
        Recent cached;
        synchronized (recent) {
            cached = recent.get(id.value());
        }
        if (cached != null && Arrays.equals(cached.data(), data)) {
            return detached(cached.checkpoint());
        }
        Checkpoint decoded = decode(id, data);
        remember(id, data, decoded);
        return detached(decoded);
    }

    private void remember(CheckpointId id, byte[] data, Checkpoint checkpoint) {
        Recent entry = new Recent(data, detached(checkpoint));
        synchronized (recent) {
            recent.put(id.value(), entry);
        }
    }

    /** A copy whose state_data tree callers may change without touching the cached one (JSON nodes are mutable). */
    private static Checkpoint detached(Checkpoint c) {
        StateData s = c.stateData();
        return new Checkpoint(c.checkpointId(), c.workflowId(), c.campaignId(), c.executionId(), c.stepId(),
                c.agentName(), c.phaseName(), c.type(), c.status(), c.createdAt(), c.expiresAt(),
                new StateData(s.completedAgents(), s.failedAgents(), s.intermediateData().deepCopy(), s.currentProgress(),
                        s.includedCheckpoints()),
                c.resumeInstructions(), c.availableActions(), c.contentHash(), c.qualityScore(), c.summary(),
                c.durationMillis());
    }

    /** Decodes and verifies; every failure is an IllegalArgumentException naming what is wrong. */
    private static Checkpoint decode(CheckpointId id, byte[] data) {
        byte[] json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid gzip or truncated: " + e.getMessage(), e);
        }
        ParsedCheckpoint parsed = ParsedCheckpoint.parse(json);
        Checkpoint c = Checkpoint.fromJson(parsed.root());
        if (!c.checkpointId().equals(id.value())) {
            throw new IllegalArgumentException("stored checkpoint_id " + c.checkpointId() + " does not match its key");
        }
        // Fast path: the stored canonical bytes; a state_data stored in another layout is canonicalised first.
        boolean verified = parsed.stateDataLength() > 0
                && ContentHash.ofBytes(json, parsed.stateDataOffset(), parsed.stateDataLength()).equals(c.contentHash());
        if (!verified && !ContentHash.of(parsed.root().get("state_data")).equals(c.contentHash())) {
            throw new IllegalArgumentException("content hash mismatch: state_data was modified or damaged");
        }
        return c;
    }

    private List<CheckpointId> storedIds(String workflowId) {
        String prefix = CheckpointIds.PREFIX + CheckpointIds.validateWorkflowId(workflowId) + "/" + CHECKPOINT_FILE;
        List<CheckpointId> ids = new ArrayList<>();
        for (String key : store.list(prefix)) {
            int number = numberOf(key, prefix.length());
            if (number > 0) {
                ids.add(new CheckpointId(workflowId, number));
            }
        }
        ids.sort(Comparator.naturalOrder());
        synchronized (listed) {
            listed.put(workflowId, List.copyOf(ids));
        }
        return ids;
    }

    private List<CheckpointId> lastListed(String workflowId) {
        synchronized (listed) {
            return listed.get(workflowId);
        }
    }

    private static int nextNumber(List<CheckpointId> ids) {
        return ids.isEmpty() ? 1 : ids.get(ids.size() - 1).number() + 1;
    }

    /** NNN of {@code <prefix>NNN.json.gz} (3 to 6 digits, not 0); 0 for any other key. */
    private static int numberOf(String key, int from) {
        int end = key.length() - ".json.gz".length();
        if (!key.endsWith(".json.gz") || end - from < 3 || end - from > 6) {
            return 0;
        }
        int number = 0;
        for (int i = from; i < end; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /**
     * metadata.json as read: its bytes, JSON, version token and entries (parsed once per content). {@code stored}:
     * the blob read (its version is what a conditional update names); null right after a write.
     */
    private record Metadata(byte[] data, ObjectNode json, BlobStore.Blob stored, List<CheckpointEntry> entries) {
    }

    private static String metadataKey(String workflowId) {
        return CheckpointIds.PREFIX + workflowId + "/" + METADATA_FILE;
    }

    private Optional<Metadata> readMetadata(String workflowId) {
        return store.get(metadataKey(workflowId)).map(blob -> {
            synchronized (recentMetadata) {
                Metadata known = recentMetadata.get(workflowId);
                if (known != null && Arrays.equals(known.data(), blob.data())) {
                    return new Metadata(known.data(), known.json(), blob, known.entries());
                }
            }
            ObjectNode json;
            try {
                json = (ObjectNode) JSON.readTree(blob.data());
            } catch (IOException | ClassCastException e) {
                // A damaged metadata.json is rebuilt from the checkpoint objects on the next update.
                json = JSON.createObjectNode();
            }
            Metadata metadata = new Metadata(blob.data(), json, blob, List.copyOf(entries(workflowId, json)));
            remember(workflowId, metadata);
            return metadata;
        });
    }

    private void remember(String workflowId, Metadata metadata) {
        synchronized (recentMetadata) {
            recentMetadata.put(workflowId, metadata);
        }
    }

    /** The readable entries of this workflow's metadata.json; anything else is left out, as if it were missing. */
    private static List<CheckpointEntry> entries(String workflowId, ObjectNode metadata) {
        List<CheckpointEntry> entries = new ArrayList<>();
        for (JsonNode n : metadata.path("checkpoints")) {
            try {
                CheckpointEntry entry = CheckpointEntry.fromMetadataJson(n);
                // an id that is not one of this workflow's would break sorting, or let the cap delete another
                // workflow's checkpoint
                if (entry.id().workflowId().equals(workflowId)) {
                    entries.add(entry);
                }
            } catch (RuntimeException ignored) {
                // an unreadable entry is rebuilt from its checkpoint object by list()
            }
        }
        return entries;
    }

    /** Applies the change to metadata.json's entries with a conditional write; returns the entries written. */
    private List<CheckpointEntry> updateMetadata(String workflowId, String campaignId,
                                                 UnaryOperator<List<CheckpointEntry>> change) {
        String key = metadataKey(workflowId);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Metadata> current = readMetadata(workflowId);
            List<CheckpointEntry> entries = change.apply(current.map(m -> new ArrayList<>(m.entries())).orElseGet(ArrayList::new));
            entries.sort(Comparator.comparing(CheckpointEntry::id));
            ObjectNode json = JSON.createObjectNode();
            json.put("workflow_id", workflowId);
            String campaign = campaignId != null ? campaignId
                    : current.map(m -> m.json().path("campaign_id").asText(null)).orElse(null);
            json.put("campaign_id", campaign);
            json.put("updated_at", clock.instant().toString());
            ArrayNode list = json.putArray("checkpoints");
            entries.forEach(e -> list.add(e.toMetadataJson()));
            byte[] data = writeBytes(json);
            boolean written = current.isPresent()
                    ? index.putIfVersion(key, data, current.get().stored().version())
                    : index.putIfAbsent(key, data);
            if (written) {
                remember(workflowId, new Metadata(data, json, null, List.copyOf(entries)));
                return entries;
            }
        }
        throw new IllegalStateException("metadata.json of " + workflowId + " kept changing; gave up after "
                + MAX_ATTEMPTS + " attempts");
    }

    private static byte[] writeBytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json); // compact: rewritten by every checkpoint of the workflow
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
