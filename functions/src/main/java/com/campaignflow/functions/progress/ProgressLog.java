package com.campaignflow.functions.progress;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.health.ConcurrentUpdateException;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The progress messages of each campaign, kept so a WebSocket client that reconnects can ask for what it missed.
 * Items in the connections table: {@code pk = "progress#<campaign_id>"}, {@code sk} = the sequence zero-padded to 19
 * digits (sort order = sequence order), {@code message} = the snake_case message, {@code expires_at} (TTL, epoch
 * seconds). A message stored twice (a retried agent) is one item.
 *
 * <p>The partition's head item ({@code sk = "head"}, no TTL) holds the last sequence given, so numbering goes on
 * after old messages expire. It lives here rather than in the campaign record: a sequence is only as durable as the
 * messages it orders, and allocating one does not rewrite (locally: fsync) the campaign for every message.
 */
public final class ProgressLog {

    /** How long messages are kept for catch-up; the REST status is the catch-up after that. */
    public static final Duration RETENTION = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    static final String HEAD = "head";
    private static final int MAX_ATTEMPTS = 1000;

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
        if (sequence < 0) {
            return String.format("%019d", sequence);
        }
        String digits = Long.toString(sequence);
        return "0".repeat(19 - digits.length()) + digits;
    }

    /**
     * Gives the campaign's next sequence: strictly increasing, never the same twice, also for agents publishing at
     * once (a conditional write on the head item).
     *
     * @param floor the last sequence given before this log kept the head (campaign records of older data directories
     *              carry it); 0 for none
     */
    public long nextSequence(String campaignId, long floor) {
        String pk = partitionKey(campaignId);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ObjectNode> head = table.get(pk, HEAD);
            long next = Math.max(floor, head.map(ProgressLog::lastOf).orElse(0L)) + 1;
            ObjectNode item = JSON.createObjectNode();
            item.put("pk", pk);
            item.put("sk", HEAD);
            item.put("last_sequence", next);
            boolean written = head.isPresent()
                    ? table.putIfVersion(item, head.get().path("version").asLong())
                    : table.putIfAbsent(item);
            if (written) {
                return next;
            }
        }
        throw new ConcurrentUpdateException("progress sequence of campaign " + campaignId + " kept changing; gave up after "
                + MAX_ATTEMPTS + " attempts");
    }

    /** The last sequence given to a message of the campaign, at least {@code floor}. */
    public long lastSequence(String campaignId, long floor) {
        return Math.max(floor, table.get(partitionKey(campaignId), HEAD).map(ProgressLog::lastOf).orElse(0L));
    }

    private static long lastOf(ObjectNode head) {
        return head.path("last_sequence").asLong();
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
                .filter(item -> !HEAD.equals(item.path("sk").asText()))
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
