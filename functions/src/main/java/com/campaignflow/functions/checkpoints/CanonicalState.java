package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The canonical JSON of a checkpoint's state_data (see {@link ContentHash}) in pieces: {@code head} up to and
 * including the opening brace of intermediate_data, one piece per intermediate_data entry ({@code "step":output},
 * in key order), and {@code tail}. Joined with commas between the entries they are exactly
 * {@code ContentHash.canonicalBytes(stateData.toJson())}; kept apart so each agent's output can be compressed
 * on its own (see {@link CheckpointEncoder}).
 */
record CanonicalState(byte[] head, List<byte[]> entries, byte[] tail) {

    private static final String SPLIT_FIELD = "intermediate_data";
    private static final byte[] COMMA = {','};

    static CanonicalState of(StateData state) {
        return of(state, ContentHash::canonicalBytes);
    }

    /** As {@link #of(StateData)}, with {@code canonicalOfOutput} giving the canonical JSON of each agent output. */
    static CanonicalState of(StateData state, Function<JsonNode, byte[]> canonicalOfOutput) {
        JsonNode node = state.toJson();
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        JsonNode split = node.get(SPLIT_FIELD);
        if (names.isEmpty() || !names.getLast().equals(SPLIT_FIELD) || !split.isObject()) {
            // not the shape this splits (cannot happen with StateData today): one piece, still canonical
            return new CanonicalState(ContentHash.canonicalBytes(node), List.of(), new byte[0]);
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        head.write('{');
        for (String name : names) {
            writeKey(head, name);
            if (name.equals(SPLIT_FIELD)) {
                head.write('{');
            } else {
                head.writeBytes(ContentHash.canonicalBytes(node.get(name)));
                head.write(',');
            }
        }
        List<String> keys = new ArrayList<>(split.size());
        split.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        List<byte[]> entries = new ArrayList<>(keys.size());
        for (String key : keys) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream(1024);
            writeKey(entry, key);
            entry.writeBytes(canonicalOfOutput.apply(split.get(key)));
            entries.add(entry.toByteArray());
        }
        return new CanonicalState(head.toByteArray(), List.copyOf(entries), new byte[] {'}', '}'});
    }

    /** The pieces in order, commas included: their concatenation is the canonical JSON. */
    List<byte[]> pieces() {
        List<byte[]> pieces = new ArrayList<>(entries.size() * 2 + 2);
        pieces.add(head);
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                pieces.add(COMMA);
            }
            pieces.add(entries.get(i));
        }
        pieces.add(tail);
        return pieces;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces().forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The content hash: SHA-256 of the canonical JSON, hex. */
    String hash() {
        return ContentHash.ofPieces(pieces());
    }

    private static void writeKey(ByteArrayOutputStream out, String name) {
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(name));
        out.write('"');
        out.write(':');
    }
}
