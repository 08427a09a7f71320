package com.campaignflow.functions.checkpoints;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A decompressed checkpoint parsed into a tree, with the byte range of its state_data value, so the content hash
 * can be checked over the stored bytes themselves.
 *
 * @param stateDataLength 0 when there is no state_data object
 */
record ParsedCheckpoint(ObjectNode root, int stateDataOffset, int stateDataLength) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses UTF-8 JSON; anything but a JSON object is an IllegalArgumentException naming the problem. */
    static ParsedCheckpoint parse(byte[] json) {
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            ObjectNode root = JSON.createObjectNode();
            int offset = 0;
            int length = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                long start = parser.currentTokenLocation().getByteOffset();
                JsonNode value = JSON.readTree(parser);
                if ("state_data".equals(name)) {
                    // after reading an object the parser stands on its closing brace
                    long end = parser.currentTokenLocation().getByteOffset() + 1;
                    boolean object = token == JsonToken.START_OBJECT && start >= 0 && end > start;
                    offset = object ? (int) start : 0;
                    length = object ? (int) (end - start) : 0;
                }
                root.set(name, value);
            }
            return new ParsedCheckpoint(root, offset, length);
        } catch (JsonProcessingException e) {
            // a checkpoint cut short at a gzip member boundary decompresses cleanly into JSON that ends early
            throw new IllegalArgumentException(e.getOriginalMessage().startsWith("Unexpected end-of-input")
                    ? "truncated: the JSON ends early (" + e.getOriginalMessage() + ")"
                    : "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
