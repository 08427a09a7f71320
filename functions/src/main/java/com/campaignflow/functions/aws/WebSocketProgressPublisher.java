package com.campaignflow.functions.aws;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.ProgressPublisher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * {@link ProgressPublisher} over the API Gateway WebSocket management API.
 *
 * <p>The connections table (written by the WebSocket handler) holds two kinds of items:
 * <ul>
 *   <li>{@code pk = "connection#<connection_id>", sk = "#"}: the connection, with {@code tenant},
 *       {@code connected_at}, {@code expires_at} (TTL) and {@code subscriptions} (array of campaign ids);</li>
 *   <li>{@code pk = "campaign#<campaign_id>", sk = "<connection_id>"}: one subscription of a connection to a
 *       campaign, with {@code tenant} and {@code expires_at}; a Query on the campaign's partition finds its
 *       watchers.</li>
 * </ul>
 * A message is the snake_case JSON of {@link ProgressMessage} posted to every subscribed connection. A connection
 * that API Gateway reports gone (410) is removed: its subscription items and its connection item. Nothing here
 * throws: failures are logged and the next connection is tried.
 */
public final class WebSocketProgressPublisher implements ProgressPublisher {

    private static final System.Logger LOG = System.getLogger(WebSocketProgressPublisher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final ApiGatewayManagementApiClient api;
    private final DocumentTable connections;

    public WebSocketProgressPublisher(ApiGatewayManagementApiClient api, DocumentTable connections) {
        this.api = api;
        this.connections = connections;
    }

    public static String campaignKey(String campaignId) {
        return "campaign#" + campaignId;
    }

    public static String connectionKey(String connectionId) {
        return "connection#" + connectionId;
    }

    @Override
    public void publish(ProgressMessage message) {
        try {
            SdkBytes payload = SdkBytes.fromByteArray(JSON.writeValueAsBytes(message));
            for (ObjectNode subscription : connections.query(campaignKey(message.campaignId()))) {
                send(message.campaignId(), subscription.path("sk").asText(), payload);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.log(Level.WARNING, "progress for campaign " + message.campaignId() + " not published: " + e);
        }
    }

    private void send(String campaignId, String connectionId, SdkBytes payload) {
        try {
            api.postToConnection(p -> p.connectionId(connectionId).data(payload));
        } catch (GoneException e) {
            forget(campaignId, connectionId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "progress not sent to connection " + connectionId + ": " + e);
        }
    }

    /** Removes a gone connection and every subscription it held. */
    private void forget(String campaignId, String connectionId) {
        try {
            connections.delete(campaignKey(campaignId), connectionId);
            connections.get(connectionKey(connectionId), "#").ifPresent(connection -> {
                for (JsonNode subscribed : connection.path("subscriptions")) {
                    connections.delete(campaignKey(subscribed.asText()), connectionId);
                }
            });
            connections.delete(connectionKey(connectionId), "#");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gone connection " + connectionId + " not removed: " + e);
        }
    }
}
