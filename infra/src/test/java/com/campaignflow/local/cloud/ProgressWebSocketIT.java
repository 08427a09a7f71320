package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress reaches a WebSocket client of the local cloud as it would on AWS: connect with the API key, subscribe to
 * the campaign, receive one agent_progress message per agent up to 100%.
 */
class ProgressWebSocketIT {

    @TempDir
    Path dataDir;

    @Test
    void subscribedClient_receivesEveryAgentsProgressUpToOneHundredPercent() throws Exception {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = connect(bed, received);
            CloudTestbed.Answer created = bed.post("/campaigns", CloudTestbed.request("camp-ws", "sequential"));
            assertThat(created.status()).isEqualTo(202);

            socket.sendText("{\"action\":\"subscribe\",\"campaign_id\":\"camp-ws\",\"last_sequence\":0}", true)
                    .get(10, TimeUnit.SECONDS);

            // by sequence: the catch-up after subscribing and live delivery may overlap
            TreeMap<Long, JsonNode> progress = new TreeMap<>();
            long deadline = System.nanoTime() + CloudTestbed.CAMPAIGN_TIMEOUT.toNanos();
            while (progress.values().stream().noneMatch(m -> m.path("progress").asInt() == 100)
                    && System.nanoTime() < deadline) {
                String text = received.poll(1, TimeUnit.SECONDS);
                if (text == null) {
                    continue;
                }
                JsonNode message = CloudTestbed.JSON.readTree(text);
                if ("agent_progress".equals(message.path("type").asText()) && message.path("sequence").asLong() > 0) {
                    progress.put(message.get("sequence").asLong(), message);
                }
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

            List<String> agents = new ArrayList<>();
            progress.values().forEach(m -> agents.add(m.get("current_agent").asText()));
            assertThat(agents).containsExactly("planner", "researcher", "writer", "editor", "seo", "distribution");
            assertThat(progress.lastEntry().getValue().get("campaign_id").asText()).isEqualTo("camp-ws");
            assertThat(progress.lastEntry().getValue().get("checkpoint_created").asBoolean()).isTrue();
        }
    }

    @Test
    void anUnknownActionOrAMessageThatIsNotJson_getsAnErrorMessageNamingIt() throws Exception {
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = connect(bed, received);

            socket.sendText("{\"action\":\"unsubscribe\",\"campaign_id\":\"camp-x\"}", true).get(10, TimeUnit.SECONDS);
            JsonNode unknown = CloudTestbed.JSON.readTree(received.poll(10, TimeUnit.SECONDS));
            socket.sendText("not json{", true).get(10, TimeUnit.SECONDS);
            JsonNode notJson = CloudTestbed.JSON.readTree(received.poll(10, TimeUnit.SECONDS));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

            assertThat(unknown.path("type").asText()).isEqualTo("error");
            assertThat(unknown.path("error").asText()).isEqualTo("unknown_action");
            assertThat(unknown.path("message").asText()).contains("'unsubscribe'");
            assertThat(notJson.path("error").asText()).isEqualTo("unknown_action");
            assertThat(notJson.path("message").asText()).contains("not JSON");
        }
    }

    @Test
    void stoppingTheCloud_disconnectsItsConnections_leavingNoConnectionOrSubscriptionItems() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (CloudTestbed bed = CloudTestbed.start(dataDir, null)) {
            WebSocket socket = connect(bed, received);
            assertThat(bed.post("/campaigns", CloudTestbed.request("camp-stop", "sequential")).status()).isEqualTo(202);
            socket.sendText("{\"action\":\"subscribe\",\"campaign_id\":\"camp-stop\"}", true).get(10, TimeUnit.SECONDS);
            JsonNode answer = CloudTestbed.JSON.readTree(received.poll(30, TimeUnit.SECONDS));
            assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("agent_progress");
        }

        Path tables = dataDir.resolve("tables");
        assertThat(java.nio.file.Files.readString(tables.resolve("connections/items.log")))
                .as("the connection and its subscription were recorded").contains("connection#").contains("campaign#camp-stop");
        List<String> left = new ArrayList<>();
        new com.campaignflow.functions.store.local.FileDocumentTable(tables, "connections").scan().stream()
                .filter(item -> !item.path("pk").asText().startsWith("progress#")) // the progress log shares the table
                .forEach(item -> left.add(item.path("pk").asText() + " " + item.path("sk").asText()));
        assertThat(left).as("connection and subscription items left after the cloud stopped").isEmpty();
    }

    private static WebSocket connect(CloudTestbed bed, BlockingQueue<String> received) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(bed.cloud.webSocketEndpoint() + "?api_key=" + CloudTestbed.API_KEY),
                        new Collector(received))
                .get(30, TimeUnit.SECONDS);
    }

    private record Collector(BlockingQueue<String> received) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return null;
        }
    }

}
