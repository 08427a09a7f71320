package com.campaignflow.functions.handlers;

import static com.campaignflow.functions.handlers.ApiTestbed.NORTHWIND_KEY;
import static com.campaignflow.functions.handlers.ApiTestbed.GLOBEX_KEY;
import static com.campaignflow.functions.handlers.ApiTestbed.connectEvent;
import static com.campaignflow.functions.handlers.ApiTestbed.disconnectEvent;
import static com.campaignflow.functions.handlers.ApiTestbed.messageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.campaignflow.functions.api.ProgressSubscriptions;
import com.campaignflow.functions.aws.WebSocketProgressPublisher;
import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.testing.ForwardingDocumentTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketHandlerTest {

    /** The connection id and campaign of the sample events. */
    private static final String CONNECTION = "Kz8pLdJ1oAMCJfA=";
    private static final String CAMPAIGN = "camp-spring-launch-2026";

    private ApiTestbed bed;
    private DocumentTable connections;

    @BeforeEach
    void setUp() {
        bed = new ApiTestbed();
        connections = bed.services.table("CONNECTIONS_TABLE");
    }

    private int handle(APIGatewayV2WebSocketEvent event) {
        return bed.webSocket.handleRequest(event, null).getStatusCode();
    }

    /** What the agent runtime does after an agent: next sequence, then publish. */
    private void agentProgress(String agent, int progress) {
        long sequence = bed.services.progressLog().nextSequence(CAMPAIGN, 0);
        bed.services.publisher().publish(new ProgressMessage(ProgressMessage.AGENT_PROGRESS, CAMPAIGN, agent, progress,
                true, "none", agent + " completed", sequence));
    }

    private void connectNorthwind() {
        assertThat(handle(ApiTestbed.event("websocket-connect.json", APIGatewayV2WebSocketEvent.class))).isEqualTo(200);
    }

    @Test
    void connect_withTheAuthorizersTenant_storesTheConnectionAsThePublisherReadsIt() {
        connectNorthwind();

        JsonNode item = connections.get(WebSocketProgressPublisher.connectionKey(CONNECTION), "#").orElseThrow();
        assertThat(item.path("tenant").asText()).isEqualTo("northwind");
        assertThat(item.path("subscriptions").isArray()).isTrue();
        assertThat(item.path("expires_at").asLong()).isGreaterThan(bed.clock.instant().getEpochSecond());
    }

    @Test
    void connect_withoutAuthorizer_checksTheApiKeyQueryParameter() {
        assertThat(handle(connectEvent("c1", GLOBEX_KEY))).isEqualTo(200);
        assertThat(handle(connectEvent("c2", "not-a-key-at-all"))).isEqualTo(401);
        assertThat(handle(connectEvent("c3", null))).isEqualTo(401);

        assertThat(connections.get("connection#c1", "#").orElseThrow().path("tenant").asText()).isEqualTo("globex");
        assertThat(connections.get("connection#c2", "#")).isEmpty();
        assertThat(connections.get("connection#c3", "#")).isEmpty();
    }

    @Test
    void subscribe_sendsTheCurrentProgress_thenTheMessagesMissedSinceLastSequence() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        agentProgress("planner", 17);
        agentProgress("researcher", 33);
        connectNorthwind();

        assertThat(handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\""
                + CAMPAIGN + "\",\"last_sequence\":0}"))).isEqualTo(200);

        List<JsonNode> sent = bed.sentTo(CONNECTION);
        assertThat(sent).hasSize(3);
        JsonNode current = sent.get(0);
        assertThat(current.path("type").asText()).isEqualTo("agent_progress");
        assertThat(current.path("campaign_id").asText()).isEqualTo(CAMPAIGN);
        assertThat(current.path("status").asText()).isEqualTo("running");
        assertThat(current.path("sequence").asLong()).isEqualTo(2);
        assertThat(current.has("degradation_level")).isTrue();
        assertThat(sent.subList(1, 3)).extracting(m -> m.path("sequence").asLong()).containsExactly(1L, 2L);
        assertThat(sent.get(2).path("current_agent").asText()).isEqualTo("researcher");
        assertThat(sent.get(2).path("checkpoint_created").asBoolean()).isTrue();
        assertThat(connections.query(WebSocketProgressPublisher.campaignKey(CAMPAIGN)))
                .extracting(i -> i.path("sk").asText()).containsExactly(CONNECTION);
        assertThat(connections.get("connection#" + CONNECTION, "#").orElseThrow().path("subscriptions").toString())
                .contains(CAMPAIGN);
    }

    @Test
    void sampleSubscribe_withoutLastSequence_getsOnlyTheCurrentProgress() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        agentProgress("planner", 17);
        connectNorthwind();

        handle(ApiTestbed.event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class));

        assertThat(bed.sentTo(CONNECTION)).singleElement()
                .satisfies(m -> assertThat(m.path("sequence").asLong()).isEqualTo(1));
    }

    @Test
    void aSubscribeRefusedByTheLimitAfterLosingARace_leavesNoSubscriptionThatWouldDeliverIt() {
        for (int i = 1; i <= 21; i++) {
            bed.create("camp-" + i, NORTHWIND_KEY);
        }
        connectNorthwind();
        ProgressSubscriptions plain = new ProgressSubscriptions(connections, bed.campaigns, bed.services.progressLog(),
                bed.clock);
        for (int i = 1; i <= 19; i++) {
            plain.subscribe(CONNECTION, "{\"action\":\"subscribe\",\"campaign_id\":\"camp-" + i + "\"}");
        }
        // camp-21's connection update loses to a subscribe of camp-20 that fills the connection
        DocumentTable racing = new RacingTable(connections, () -> plain.subscribe(CONNECTION,
                "{\"action\":\"subscribe\",\"campaign_id\":\"camp-20\"}"));
        ProgressSubscriptions subscriptions = new ProgressSubscriptions(racing, bed.campaigns,
                bed.services.progressLog(), bed.clock);

        assertThatThrownBy(() -> subscriptions.subscribe(CONNECTION,
                "{\"action\":\"subscribe\",\"campaign_id\":\"camp-21\"}"))
                .hasMessageContaining("cannot follow camp-21").hasMessageContaining("at most 20 campaigns");
        assertThat(connections.query(ProgressSubscriptions.campaignKey("camp-21"))).isEmpty();
        assertThat(connections.query(ProgressSubscriptions.campaignKey("camp-20"))).hasSize(1);
    }

    @Test
    void aSubscribeRacingTheDisconnect_leavesNoSubscriptionBehind_whicheverWritesFirst() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        String subscribe = "{\"action\":\"subscribe\",\"campaign_id\":\"" + CAMPAIGN + "\"}";
        ProgressSubscriptions plain = new ProgressSubscriptions(connections, bed.campaigns, bed.services.progressLog(),
                bed.clock);

        // the disconnect comes between the subscribe's item and its connection update
        connectNorthwind();
        ProgressSubscriptions subscribing = new ProgressSubscriptions(new RacingTable(connections,
                () -> plain.disconnect(CONNECTION)), bed.campaigns, bed.services.progressLog(), bed.clock);
        assertThatThrownBy(() -> subscribing.subscribe(CONNECTION, subscribe)).hasMessageContaining("not registered");
        assertThat(connections.query(ProgressSubscriptions.campaignKey(CAMPAIGN))).isEmpty();

        // the subscribe completes between the disconnect's read of the connection and its own write
        connectNorthwind();
        ProgressSubscriptions disconnecting = new ProgressSubscriptions(new RacingTable(connections,
                () -> plain.subscribe(CONNECTION, subscribe)), bed.campaigns, bed.services.progressLog(), bed.clock);
        disconnecting.disconnect(CONNECTION);
        assertThat(connections.query(ProgressSubscriptions.campaignKey(CAMPAIGN))).isEmpty();
        assertThat(connections.get("connection#" + CONNECTION, "#")).isEmpty();
    }

    /** A table on which something else happens right before the first conditional write (a concurrent request). */
    private static final class RacingTable extends ForwardingDocumentTable {
        private final Runnable race;
        private boolean raced;

        RacingTable(DocumentTable table, Runnable race) {
            super(table);
            this.race = race;
        }

        @Override
        public boolean putIfVersion(ObjectNode item, long expectedVersion) {
            if (!raced) {
                raced = true;
                race.run();
            }
            return super.putIfVersion(item, expectedVersion);
        }
    }

    @Test
    void sampleDisconnect_removesTheSampleConnection() {
        connectNorthwind();

        assertThat(handle(ApiTestbed.event("websocket-disconnect.json", APIGatewayV2WebSocketEvent.class))).isEqualTo(200);

        assertThat(connections.get("connection#" + CONNECTION, "#")).isEmpty();
    }

    @Test
    void subscribe_withALaterSequence_replaysOnlyWhatCameAfter_andWithoutOneNothing() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        agentProgress("planner", 17);
        agentProgress("researcher", 33);
        agentProgress("writer", 50);
        connectNorthwind();

        handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\"" + CAMPAIGN
                + "\",\"last_sequence\":2}"));
        handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\"" + CAMPAIGN + "\"}"));

        List<JsonNode> sent = bed.sentTo(CONNECTION);
        assertThat(sent).extracting(m -> m.path("sequence").asLong()).containsExactly(3L, 3L, 3L);
        assertThat(sent.get(1).path("current_agent").asText()).isEqualTo("writer");
        assertThat(connections.query("campaign#" + CAMPAIGN)).hasSize(1);
    }

    @Test
    void subscribe_afterMoreThanItReplays_sendsTheOldestAndSaysWhereToGoOnFrom() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        for (int i = 0; i < 503; i++) {
            agentProgress("writer", 50);
        }
        connectNorthwind();

        handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\"" + CAMPAIGN
                + "\",\"last_sequence\":1}"));

        List<JsonNode> sent = bed.sentTo(CONNECTION);
        assertThat(sent).hasSize(501);
        assertThat(sent.get(1).path("sequence").asLong()).isEqualTo(2);
        assertThat(sent.getLast().path("sequence").asLong()).isEqualTo(501);
        assertThat(sent.getFirst().path("replay_truncated").asBoolean()).isTrue();
        assertThat(sent.getFirst().path("replayed_up_to").asLong()).isEqualTo(501);
        assertThat(sent.getFirst().path("message").asText()).endsWith("subscribe again with last_sequence 501 for the rest");

        handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\"" + CAMPAIGN
                + "\",\"last_sequence\":501}"));

        List<JsonNode> rest = bed.sentTo(CONNECTION).subList(501, bed.sentTo(CONNECTION).size());
        assertThat(rest).extracting(m -> m.path("sequence").asLong()).containsExactly(503L, 502L, 503L);
        assertThat(rest.getFirst().has("replay_truncated")).isFalse();
    }

    @Test
    void subscribe_toAnotherTenantsCampaign_isAnErrorAndStoresNothing() {
        bed.create(CAMPAIGN, GLOBEX_KEY);
        connectNorthwind();
        String before = bed.state();

        handle(ApiTestbed.event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class));

        JsonNode error = bed.sentTo(CONNECTION).getFirst();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").asText()).isEqualTo("not_found");
        assertThat(bed.state()).isEqualTo(before);
        assertThat(connections.query("campaign#" + CAMPAIGN)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"action\":\"subscribe\"}", "{\"action\":\"subscribe\",\"campaign_id\":7}",
            "{\"action\":\"subscribe\",\"campaign_id\":\"../x\"}",
            "{\"action\":\"subscribe\",\"campaign_id\":\"camp-1\",\"last_sequence\":-1}",
            "{\"action\":\"subscribe\",\"campaign_id\":\"camp-1\",\"last_sequence\":\"3\"}",
            "{\"action\":\"subscribe\",\"campaign_id\":\"camp-1\",\"tenant\":\"globex\"}",
            "{\"action\":\"subscribe\",\"campaign_id\":\"camp-1\"} xyz"})
    void malformedSubscribe_isAnInvalidRequestErrorAndStoresNothing(String body) {
        bed.create("camp-1", NORTHWIND_KEY);
        connectNorthwind();
        String before = bed.state();

        handle(messageEvent(CONNECTION, "subscribe", body));

        JsonNode error = bed.sentTo(CONNECTION).getFirst();
        assertThat(error.path("error").asText()).isEqualTo("invalid_request");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(bed.state()).isEqualTo(before);
    }

    @Test
    void subscribe_fromAnUnregisteredConnection_isAnError() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);

        handle(ApiTestbed.event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class));

        assertThat(bed.sentTo(CONNECTION).getFirst().path("message").asText()).contains("reconnect");
        assertThat(connections.query("campaign#" + CAMPAIGN)).isEmpty();
    }

    @Test
    void unknownAction_getsAnErrorMessage() {
        connectNorthwind();

        assertThat(handle(messageEvent(CONNECTION, "$default", "{\"action\":\"unsubscribe_all\"}"))).isEqualTo(200);

        JsonNode error = bed.sentTo(CONNECTION).getFirst();
        assertThat(error.path("error").asText()).isEqualTo("unknown_action");
        assertThat(error.path("message").asText()).contains("unsubscribe_all");
    }

    @Test
    void anEmptyMessage_isToldItIsEmpty() {
        connectNorthwind();

        assertThat(handle(messageEvent(CONNECTION, "$default", ""))).isEqualTo(200);

        assertThat(bed.sentTo(CONNECTION).getFirst().path("message").asText()).contains("the message is empty");
    }

    @Test
    void disconnect_removesTheConnectionAndItsSubscriptions() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        bed.create("camp-2", NORTHWIND_KEY);
        connectNorthwind();
        handle(ApiTestbed.event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class));
        handle(messageEvent(CONNECTION, "subscribe", "{\"action\":\"subscribe\",\"campaign_id\":\"camp-2\"}"));

        assertThat(handle(disconnectEvent(CONNECTION))).isEqualTo(200);

        assertThat(connections.get("connection#" + CONNECTION, "#")).isEmpty();
        assertThat(connections.query("campaign#" + CAMPAIGN)).isEmpty();
        assertThat(connections.query("campaign#camp-2")).isEmpty();
        assertThat(handle(disconnectEvent(CONNECTION))).isEqualTo(200);
    }

    @Test
    void aConnectionThatIsGone_isForgottenWhenAReplyCannotBeDelivered() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);
        connectNorthwind();
        bed.goneConnections.add(CONNECTION);

        handle(ApiTestbed.event("websocket-subscribe.json", APIGatewayV2WebSocketEvent.class));

        assertThat(connections.get("connection#" + CONNECTION, "#")).isEmpty();
        assertThat(connections.query("campaign#" + CAMPAIGN)).isEmpty();
    }

    @Test
    void publishedProgress_isRecordedForCatchUp_andPushed() {
        bed.create(CAMPAIGN, NORTHWIND_KEY);

        agentProgress("planner", 17);

        assertThat(bed.pushed).singleElement().extracting(ProgressMessage::sequence).isEqualTo(1L);
        assertThat(bed.services.progressLog().since(CAMPAIGN, 0, 10)).singleElement()
                .satisfies(m -> assertThat(m.path("current_agent").asText()).isEqualTo("planner"));
    }
}
