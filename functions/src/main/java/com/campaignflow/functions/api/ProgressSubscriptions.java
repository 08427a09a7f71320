package com.campaignflow.functions.api;

import com.campaignflow.functions.campaigns.CampaignRecord;
import com.campaignflow.functions.orchestration.CampaignService;
import com.campaignflow.functions.planning.InvalidRequestException;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.progress.ProgressLog;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * WebSocket connections and their campaign subscriptions, in the connections table with the item shapes
 * {@link com.campaignflow.functions.aws.WebSocketProgressPublisher} reads:
 * {@code connection#<id> / #} (tenant, connected_at, expires_at, subscriptions) and
 * {@code campaign#<campaign_id> / <connection id>} (tenant, expires_at).
 *
 * <p>Subscribing stores the subscription first and then reads the campaign's state, so a message published in
 * between reaches the client twice rather than never; the per-campaign {@code sequence} lets the client drop
 * duplicates.
 */
public final class ProgressSubscriptions {

    /** API Gateway closes WebSocket connections after two hours; items live a little longer, then TTL removes them. */
    static final Duration CONNECTION_TTL = Duration.ofHours(3);
    static final int MAX_SUBSCRIPTIONS = 20;
    static final int MAX_REPLAY = 500;
    private static final int MAX_ATTEMPTS = 100;
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_=+/-]{1,128}");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final DocumentTable connections;
    private final CampaignService campaigns;
    private final ProgressLog progress;
    private final Clock clock;

    public ProgressSubscriptions(DocumentTable connections, CampaignService campaigns, ProgressLog progress, Clock clock) {
        this.connections = connections;
        this.campaigns = campaigns;
        this.progress = progress;
        this.clock = clock;
    }

    public static String connectionKey(String connectionId) {
        return "connection#" + connectionId;
    }

    public static String campaignKey(String campaignId) {
        return "campaign#" + campaignId;
    }

    /** Records a new connection of {@code tenant}. */
    public void connect(String connectionId, String tenant) {
        validateConnectionId(connectionId);
        ObjectNode item = MAPPER.createObjectNode();
        item.put("pk", connectionKey(connectionId));
        item.put("sk", "#");
        item.put("connection_id", connectionId);
        item.put("tenant", tenant);
        item.put("connected_at", clock.instant().toString());
        item.put("expires_at", expiresAt());
        item.putArray("subscriptions");
        connections.put(item);
    }

    /**
     * Removes the connection and every subscription it held; nothing happens for an unknown connection. The connection
     * is first marked closing with a conditional write, so a subscribe racing this either lands in the list read here
     * or sees the mark (or no connection) and removes its own subscription item.
     */
    public void disconnect(String connectionId) {
        validateConnectionId(connectionId);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ObjectNode> found = connections.get(connectionKey(connectionId), "#");
            if (found.isEmpty()) {
                return;
            }
            ObjectNode connection = found.get();
            long version = connection.path("version").asLong();
            connection.put("closing", true);
            if (connections.putIfVersion(connection, version)) {
                break;
            }
        }
        connections.get(connectionKey(connectionId), "#").ifPresent(connection -> {
            for (JsonNode campaign : connection.path("subscriptions")) {
                connections.delete(campaignKey(campaign.asText()), connectionId);
            }
        });
        connections.delete(connectionKey(connectionId), "#");
    }

    /** The connection item, unless it is gone or being disconnected. */
    private Optional<ObjectNode> openConnection(String connectionId) {
        return connections.get(connectionKey(connectionId), "#").filter(c -> !c.path("closing").asBoolean(false));
    }

    /** The tenant of a stored connection. */
    public Optional<String> tenantOf(String connectionId) {
        validateConnectionId(connectionId);
        return openConnection(connectionId).map(c -> c.path("tenant").asText(null));
    }

    /**
     * Handles {@code {"action":"subscribe","campaign_id":"...","last_sequence":N}}: checks the campaign is the
     * connection's tenant's, stores the subscription and returns what to send: the campaign's current progress, then
     * (with last_sequence) the recorded messages after that sequence, oldest first.
     *
     * @throws InvalidRequestException for a malformed message
     * @throws com.campaignflow.functions.campaigns.CampaignNotFoundException for an unknown campaign or one of another
     *         tenant (nothing is stored)
     */
    public List<ObjectNode> subscribe(String connectionId, String body) {
        String tenant = tenantOf(connectionId).orElseThrow(() -> new InvalidRequestException("connection",
                "this connection is not registered; reconnect"));
        ObjectNode request = parse(body);
        String campaignId = text(request, "campaign_id");
        Long lastSequence = lastSequence(request.get("last_sequence"));
        CampaignRecord campaign = campaigns.campaign(tenant, campaignId);
        addSubscription(connectionId, tenant, campaign.campaignId());
        List<ObjectNode> messages = new ArrayList<>();
        ObjectNode snapshot = currentProgress(campaigns.status(tenant, campaign.campaignId()));
        messages.add(snapshot);
        if (lastSequence != null) {
            List<ObjectNode> missed = progress.since(campaign.campaignId(), lastSequence, MAX_REPLAY + 1);
            if (missed.size() > MAX_REPLAY) {
                // the oldest come first, so a client can go on from the last one replayed: say so, or it would take
                // the gap after it for messages that were never sent
                long last = missed.get(MAX_REPLAY - 1).path("sequence").asLong();
                snapshot.put("replay_truncated", true);
                snapshot.put("replayed_up_to", last);
                snapshot.put("message", snapshot.path("message").asText() + "; the first " + MAX_REPLAY
                        + " missed messages follow, up to sequence " + last
                        + ": subscribe again with last_sequence " + last + " for the rest");
                missed = missed.subList(0, MAX_REPLAY);
            }
            messages.addAll(missed);
        }
        return messages;
    }

    private void addSubscription(String connectionId, String tenant, String campaignId) {
        boolean written = false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ObjectNode> open = openConnection(connectionId);
            if (open.isEmpty()) {
                if (written) {
                    // the connection was disconnected after this subscribe wrote its item: nothing would remove it
                    connections.delete(campaignKey(campaignId), connectionId);
                }
                throw new InvalidRequestException("connection", "this connection is not registered; reconnect");
            }
            ObjectNode connection = open.get();
            ArrayNode subscribed = connection.withArray("subscriptions");
            boolean present = follows(connection, campaignId);
            if (!present && subscribed.size() >= MAX_SUBSCRIPTIONS) {
                if (written) {
                    // an earlier attempt wrote the subscription item, then lost the connection update to
                    // subscribes that filled the connection: the refused campaign must not be delivered
                    connections.delete(campaignKey(campaignId), connectionId);
                }
                throw new InvalidRequestException("campaign_id", "cannot follow " + campaignId
                        + ": a connection can follow at most " + MAX_SUBSCRIPTIONS + " campaigns");
            }
            ObjectNode subscription = MAPPER.createObjectNode();
            subscription.put("pk", campaignKey(campaignId));
            subscription.put("sk", connectionId);
            subscription.put("tenant", tenant);
            subscription.put("expires_at", connection.path("expires_at").asLong(expiresAt()));
            connections.put(subscription);
            written = true;
            if (present) {
                return;
            }
            subscribed.add(campaignId);
            long version = connection.path("version").asLong();
            if (connections.putIfVersion(connection, version)) {
                return;
            }
        }
        boolean listed = openConnection(connectionId).map(c -> follows(c, campaignId)).orElse(false);
        if (!listed) {
            connections.delete(campaignKey(campaignId), connectionId);
        }
        throw new com.campaignflow.functions.health.ConcurrentUpdateException(
                "connection " + connectionId + " kept changing while subscribing");
    }

    private static boolean follows(ObjectNode connection, String campaignId) {
        for (JsonNode s : connection.withArray("subscriptions")) {
            if (s.asText().equals(campaignId)) {
                return true;
            }
        }
        return false;
    }

    /** The campaign's state as a progress message (DESIGN shape, plus its sequence and status). */
    static ObjectNode currentProgress(ObjectNode status) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("type", "agent_progress");
        message.put("campaign_id", status.path("campaign_id").asText());
        message.set("current_agent", status.get("current_agent"));
        message.put("progress", status.path("progress").asInt());
        message.put("checkpoint_created", false);
        message.set("degradation_level", status.get("degradation_level"));
        String state = status.path("status").asText();
        message.put("message", "subscribed; campaign is " + state);
        message.put("sequence", status.path("progress_sequence").asLong());
        message.put("status", state);
        return message;
    }

    private static ObjectNode parse(String body) {
        JsonNode json;
        try {
            json = body == null ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        Set<String> allowed = Set.of("action", "campaign_id", "last_sequence");
        json.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new InvalidRequestException(name, "is not a field of subscribe; expected action, campaign_id, last_sequence");
            }
        });
        return (ObjectNode) json;
    }

    private static String text(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!value.isTextual() || !value.asText().matches("[A-Za-z0-9_-]{1,64}")) {
            throw new InvalidRequestException(field, "must be 1 to 64 letters, digits, '_' or '-'");
        }
        return value.asText();
    }

    private static Long lastSequence(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidRequestException("last_sequence", "must be a whole number of at least 0");
        }
        return value.asLong();
    }

    private long expiresAt() {
        return clock.instant().plus(CONNECTION_TTL).getEpochSecond();
    }

    private static void validateConnectionId(String connectionId) {
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw new InvalidRequestException("connectionId", "is not a WebSocket connection id");
        }
    }
}
