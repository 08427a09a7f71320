package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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
    private static final byte[] COMMA_MEMBER = gzip(new byte[] {','});

    /**
     * Canonical JSON of agent outputs by their content, most recently used last. The key is a copy, so a caller
     * changing its nodes later cannot change a key; looking up an unchanged output compares the trees, which share
     * their (immutable) strings with the copy, so it costs a walk of the tree and no serialisation.
     */
    private final Map<JsonNode, byte[]> canonical = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, byte[]> eldest) {
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
        out.writeBytes(gzip(first.toByteArray()));
        for (int i = 0; i < state.entries().size(); i++) {
            if (i > 0) {
                out.writeBytes(COMMA_MEMBER);
            }
            out.writeBytes(member(state.entries().get(i)));
        }
        ByteArrayOutputStream last = new ByteArrayOutputStream(state.tail().length + outer.length - hole);
        last.writeBytes(state.tail());
        last.write(outer, hole + 1, outer.length - hole - 1);
        out.writeBytes(gzip(last.toByteArray()));
        return out.toByteArray();
    }

    /** The state_data of a checkpoint in canonical pieces, each agent output serialised once while it is kept. */
    CanonicalState canonicalState(StateData state) {
        return CanonicalState.of(state, this::canonical);
    }

    private byte[] canonical(JsonNode output) {
        synchronized (canonical) {
            byte[] kept = canonical.get(output);
            if (kept != null) {
                return kept;
            }
        }
        byte[] bytes = ContentHash.canonicalBytes(output);
        JsonNode key = output.deepCopy();
        synchronized (canonical) {
            canonical.put(key, bytes);
        }
        return bytes;
    }

    private byte[] member(byte[] entry) {
        Bytes key = new Bytes(entry);
        synchronized (members) {
            byte[] kept = members.get(key);
            if (kept != null) {
                return kept;
            }
        }
        byte[] compressed = gzip(entry);
        synchronized (members) {
            members.put(key, compressed);
        }
        return compressed;
    }

    /** One gzip member at the fastest level: about 29 % of the raw size for agent output, a fifth of the CPU of the default. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 3 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress checkpoint", e);
        }
        return bytes.toByteArray();
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
