package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 of the canonical JSON of a node: object keys sorted recursively, compact, UTF-8.
 * A checkpoint stores its state_data in exactly these canonical bytes, so a reader can hash the stored slice
 * without serialising the tree again.
 */
public final class ContentHash {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContentHash() {
    }

    public static String of(JsonNode node) {
        return ofBytes(canonicalBytes(node), 0, -1);
    }

    /** The hash of {@code length} bytes of canonical JSON from {@code offset} (all of them when length is -1). */
    public static String ofBytes(byte[] bytes, int offset, int length) {
        MessageDigest digest = sha256();
        digest.update(bytes, offset, length < 0 ? bytes.length - offset : length);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of canonical JSON given in consecutive pieces. */
    static String ofPieces(List<byte[]> pieces) {
        MessageDigest digest = sha256();
        pieces.forEach(digest::update);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** The canonical JSON of a node, written straight from the tree (no sorted copy of it is built). */
    public static byte[] canonicalBytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            writeCanonical(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise JSON for hashing", e);
        }
        return out.toByteArray();
    }

    private static void writeCanonical(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            generator.writeStartObject();
            for (String name : names) {
                generator.writeFieldName(name);
                writeCanonical(generator, node.get(name));
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(generator, element);
            }
            generator.writeEndArray();
        } else if (node.isTextual() && needsNoEscape(node.textValue())) {
            // Long prose is most of a checkpoint: encoded in one call instead of escaped char by char, same bytes
            byte[] utf8 = node.textValue().getBytes(StandardCharsets.UTF_8);
            generator.writeRawUTF8String(utf8, 0, utf8.length);
        } else {
            JSON.writeTree(generator, node);
        }
    }

    /** True when JSON writes the string as its UTF-8 bytes between quotes: no quote, backslash, control char or surrogate. */
    static boolean needsNoEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
