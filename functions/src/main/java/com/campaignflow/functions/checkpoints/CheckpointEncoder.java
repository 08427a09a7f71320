package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Writes a checkpoint as gzip JSON with its state_data in canonical form. The file is a series of gzip members
 * (RFC 1952 allows any number; every gzip reader, GZIPInputStream and zcat included, reads them as one stream):
 * the checkpoint's own fields, then one member per intermediate_data entry. An entry's member is compressed once
 * and kept, keyed by its bytes, so the checkpoint after each agent compresses only the new agent's output and not
 * again everything the earlier checkpoints carried; likewise each output's canonical JSON is serialised once.
 */
final class CheckpointEncoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Never in serialised JSON but where written raw (a control character is escaped inside strings). */
    private static final String HOLE = "\u0001";
    private static final int KEPT_ENTRIES = 128;
    /** Magic, deflate, no flags, no mtime, fastest compression (XFL 4), OS unknown. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, (byte) 0xff};
    /** Idle deflaters kept for reuse (raw deflate: the gzip header and trailer are written here). */
    private static final ArrayBlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(8);
    /** Below this many new bytes, compressing entries on other threads costs more than it saves. */
    private static final long PARALLEL_MIN_BYTES = 16 * 1024;
    /** Largest deflate block stored uncompressed (RFC 1951: LEN is 16 bits). */
    private static final int MAX_STORED_BLOCK = 65_535;
    private static final byte[] COMMA_MEMBER = stored(new byte[] {','});

    /**
     * Canonical intermediate_data entries ({@code "step":output}) by step and output content, most recently used
     * last. The output in a key is a copy, so a caller changing its nodes later cannot change a key; looking up an
     * unchanged output compares the trees, which share their (immutable) strings with the copy, so it costs a walk
     * of the tree and no serialisation, and an unchanged entry is the same array as before.
     */
    private final Map<EntryKey, byte[]> canonical = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EntryKey, byte[]> eldest) {
            return size() > KEPT_ENTRIES;
        }
    };
    /** Compressed entries by their canonical bytes, most recently used last. */
    private final Map<Bytes, byte[]> members = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, byte[]> eldest) {
            return size() > KEPT_ENTRIES;
        }
    };

    /** {@code checkpoint} with its state_data written as {@code state} (which must be its canonical form). */
    byte[] encode(Checkpoint checkpoint, CanonicalState state) {
        ObjectNode json = checkpoint.toJson();
        json.set("state_data", json.rawValueNode(new RawValue(HOLE)));
        byte[] outer;
        try {
            outer = JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise checkpoint " + checkpoint.checkpointId(), e);
        }
        int hole = indexOf(outer, (byte) 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 4096 * state.entries().size());
        ByteArrayOutputStream first = new ByteArrayOutputStream(hole + state.head().length);
        first.write(outer, 0, hole);
        first.writeBytes(state.head());
        out.writeBytes(stored(first.toByteArray()));
        boolean separate = false;
        for (byte[] member : members(state.entries())) {
            if (separate) {
                out.writeBytes(COMMA_MEMBER);
            }
            out.writeBytes(member);
            separate = true;
        }
        ByteArrayOutputStream last = new ByteArrayOutputStream(state.tail().length + outer.length - hole);
        last.writeBytes(state.tail());
        last.write(outer, hole + 1, outer.length - hole - 1);
        out.writeBytes(stored(last.toByteArray()));
        return out.toByteArray();
    }

    /**
     * The checkpoint's own fields around its state_data (under a kilobyte each) as a gzip member of one stored
     * (uncompressed) deflate block: compressing them saved ~0.2 KB each but cost about as much CPU as deflating an
     * agent output of 4 KB (zlib's per-stream setup), a sixth of a checkpoint write within a campaign.
     */
    static byte[] stored(byte[] data) {
        if (data.length > MAX_STORED_BLOCK) {
            return gzip(data);
        }
        byte[] out = new byte[GZIP_HEADER.length + 5 + data.length + 8];
        System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
        int at = GZIP_HEADER.length;
        out[at] = 1; // BFINAL, BTYPE 00: stored
        out[at + 1] = (byte) data.length;
        out[at + 2] = (byte) (data.length >>> 8);
        out[at + 3] = (byte) ~data.length;
        out[at + 4] = (byte) (~data.length >>> 8);
        System.arraycopy(data, 0, out, at + 5, data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        putIntLittleEndian(out, at + 5 + data.length, (int) crc.getValue());
        putIntLittleEndian(out, at + 9 + data.length, data.length);
        return out;
    }

    /** The state_data of a checkpoint in canonical pieces, each agent output serialised once while it is kept. */
    CanonicalState canonicalState(StateData state) {
        return CanonicalState.of(state, this::canonical);
    }

    private byte[] canonical(String step, JsonNode output) {
        synchronized (canonical) {
            byte[] kept = canonical.get(new EntryKey(step, output));
            if (kept != null) {
                return kept;
            }
        }
        byte[] bytes = CanonicalState.entry(step, ContentHash.canonicalBytes(output));
        EntryKey key = new EntryKey(step, output.deepCopy());
        synchronized (canonical) {
            canonical.put(key, bytes);
        }
        return bytes;
    }

    private record EntryKey(String step, JsonNode output) {
    }

    /**
     * The gzip members of the entries, compressed once while kept. Two or more new sizeable entries (a checkpoint
     * whose outputs are all new, e.g. the first after a resume in another process) are compressed side by side.
     */
    private List<byte[]> members(List<byte[]> entries) {
        byte[][] members = new byte[entries.size()][];
        List<Integer> missing = new ArrayList<>();
        long missingBytes = 0;
        synchronized (this.members) {
            for (int i = 0; i < members.length; i++) {
                members[i] = this.members.get(new Bytes(entries.get(i)));
                if (members[i] == null) {
                    missing.add(i);
                    missingBytes += entries.get(i).length;
                }
            }
        }
        IntStream indexes = missing.stream().mapToInt(Integer::intValue);
        if (missing.size() > 1 && missingBytes >= PARALLEL_MIN_BYTES) {
            indexes = indexes.parallel();
        }
        indexes.forEach(i -> members[i] = gzip(entries.get(i)));
        synchronized (this.members) {
            missing.forEach(i -> this.members.put(new Bytes(entries.get(i)), members[i]));
        }
        return Arrays.asList(members);
    }

    /**
     * One gzip member (RFC 1952) at the fastest level: about 29 % of the raw size for agent output, a fifth of the
     * CPU of the default. Deflaters are reused: setting one up costs more than compressing a small member.
     */
    static byte[] gzip(byte[] data) {
        Deflater deflater = DEFLATERS.poll();
        if (deflater == null) {
            deflater = new Deflater(Deflater.BEST_SPEED, true);
        }
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[GZIP_HEADER.length + data.length + data.length / 1000 + 64 + 8];
            System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
            int length = GZIP_HEADER.length;
            while (!deflater.finished()) {
                if (length == out.length - 8) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                length += deflater.deflate(out, length, out.length - 8 - length);
            }
            CRC32 crc = new CRC32();
            crc.update(data);
            putIntLittleEndian(out, length, (int) crc.getValue());
            putIntLittleEndian(out, length + 4, data.length);
            return Arrays.copyOf(out, length + 8);
        } finally {
            deflater.reset();
            if (!DEFLATERS.offer(deflater)) {
                deflater.end();
            }
        }
    }

    private static void putIntLittleEndian(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("serialised checkpoint lost its state_data placeholder");
    }

    /** A byte array as a map key, by content. */
    private record Bytes(byte[] data, int hash) {
        Bytes(byte[] data) {
            this(data, Arrays.hashCode(data));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && b.hash == hash && Arrays.equals(b.data, data);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
