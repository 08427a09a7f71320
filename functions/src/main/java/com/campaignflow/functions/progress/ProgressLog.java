package com.campaignflow.functions.progress;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The progress messages of each campaign, kept so a WebSocket client that reconnects can ask for what it missed.
 * Items in the connections table: {@code pk = "progress#<campaign_id>"}, {@code sk} = the sequence zero-padded to 19
 * digits (sort order = sequence order), {@code message} = the snake_case message, {@code expires_at} (TTL, epoch
 * seconds). A message stored twice (a retried agent) is one item.
 */
public final class ProgressLog {

    /** How long messages are kept for catch-up; the REST status is the catch-up after that. */
    public static final Duration RETENTION = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final DocumentTable table;
    private final Clock clock;

    public ProgressLog(DocumentTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public static String partitionKey(String campaignId) {
        return "progress#" + campaignId;
    }

    static String sortKey(long sequence) {
        return String.format("%019d", sequence);
    }

    public void append(ProgressMessage message) {
        ObjectNode item = JSON.createObjectNode();
        item.put("pk", partitionKey(message.campaignId()));
        item.put("sk", sortKey(message.sequence()));
        item.set("message", JSON.valueToTree(message));
        item.put("expires_at", clock.instant().plus(RETENTION).getEpochSecond());
        table.putIfAbsent(item);
    }

    /** The campaign's messages with a sequence above {@code afterSequence}, oldest first, at most {@code limit}. */
    public List<ObjectNode> since(String campaignId, long afterSequence, int limit) {
        return table.query(partitionKey(campaignId)).stream()
                .filter(item -> sequenceOf(item) > afterSequence)
                .map(item -> item.get("message"))
                .filter(JsonNode::isObject)
                .map(ObjectNode.class::cast)
                .limit(limit)
                .toList();
    }

    private static long sequenceOf(ObjectNode item) {
        try {
            return Long.parseLong(item.path("sk").asText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
