package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;

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
        return of(state, (key, output) -> entry(key, ContentHash.canonicalBytes(output)));
    }

    /**
     * As {@link #of(StateData)}, with {@code entryOf} giving the canonical bytes of each intermediate_data entry
     * ({@link #entry}), which may be kept from an earlier state.
     */
    static CanonicalState of(StateData state, BiFunction<String, JsonNode, byte[]> entryOf) {
        ObjectNode node = state.toJson();
        JsonNode split = node.get(SPLIT_FIELD);
        boolean splitIsLast = true;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            splitIsLast &= names.next().compareTo(SPLIT_FIELD) <= 0;
        }
        if (split == null || !split.isObject() || !splitIsLast) {
            // not the shape this splits (cannot happen with StateData today): one piece, still canonical
            return new CanonicalState(ContentHash.canonicalBytes(node), List.of(), new byte[0]);
        }
        // the other fields in one serialisation: {"a":..,"b":..} becomes {"a":..,"b":..,"intermediate_data":{
        node.remove(SPLIT_FIELD); // a fresh node: the state's own intermediate_data is not touched
        byte[] rest = ContentHash.canonicalBytes(node);
        byte[] opening = ("\"" + SPLIT_FIELD + "\":{").getBytes(StandardCharsets.UTF_8);
        boolean comma = rest.length > 2;
        byte[] head = Arrays.copyOf(rest, rest.length - 1 + (comma ? 1 : 0) + opening.length);
        if (comma) {
            head[rest.length - 1] = ',';
        }
        System.arraycopy(opening, 0, head, head.length - opening.length, opening.length);
        List<String> keys = new ArrayList<>(split.size());
        split.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        List<byte[]> entries = new ArrayList<>(keys.size());
        for (String key : keys) {
            entries.add(entryOf.apply(key, split.get(key)));
        }
        return new CanonicalState(head, List.copyOf(entries), new byte[] {'}', '}'});
    }

    /** One intermediate_data entry in canonical form: {@code "key":} then the output's canonical JSON. */
    static byte[] entry(String key, byte[] canonicalOutput) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(key);
        byte[] entry = new byte[quoted.length + 3 + canonicalOutput.length];
        entry[0] = '"';
        System.arraycopy(quoted, 0, entry, 1, quoted.length);
        entry[quoted.length + 1] = '"';
        entry[quoted.length + 2] = ':';
        System.arraycopy(canonicalOutput, 0, entry, quoted.length + 3, canonicalOutput.length);
        return entry;
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
}
