package com.campaignflow.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {

    private static HttpFields.Mutable valid() {
        return HttpFields.build().add("Upgrade", "websocket").add("Connection", "keep-alive, Upgrade")
                .add("Sec-WebSocket-Version", "13").add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    @Test
    void aValidVersion13Handshake_passes() {
        assertThat(WebSocketHandshake.check("GET", valid())).isEmpty();
    }

    @Test
    void aMissingOrUnsupportedVersion_is426_namingVersion13() {
        for (HttpFields headers : new HttpFields[] {valid().remove("Sec-WebSocket-Version"),
                valid().put("Sec-WebSocket-Version", "8")}) {
            Optional<WebSocketHandshake.Refusal> refusal = WebSocketHandshake.check("GET", headers);

            assertThat(refusal).get().extracting(WebSocketHandshake.Refusal::status).isEqualTo(426);
            assertThat(refusal.get().headers()).isEqualTo(Map.of("Sec-WebSocket-Version", "13"));
            assertThat(refusal.get().message()).contains("Sec-WebSocket-Version").contains("13");
        }
    }

    @Test
    void aPlainGetWithoutUpgrade_is426_askingForWebSocket() {
        Optional<WebSocketHandshake.Refusal> refusal = WebSocketHandshake.check("GET", HttpFields.build());

        assertThat(refusal).get().extracting(WebSocketHandshake.Refusal::status).isEqualTo(426);
        assertThat(refusal.get().headers()).isEqualTo(Map.of("Upgrade", "websocket"));
    }

    @Test
    void otherMalformedHandshakes_are400_sayingWhatIsWrong() {
        assertThat(WebSocketHandshake.check("POST", valid())).get()
                .extracting(WebSocketHandshake.Refusal::status, WebSocketHandshake.Refusal::message)
                .containsExactly(400, "a WebSocket handshake is a GET request, not POST");
        assertThat(WebSocketHandshake.check("GET", valid().put("Connection", "keep-alive"))).get()
                .extracting(WebSocketHandshake.Refusal::status, WebSocketHandshake.Refusal::message)
                .containsExactly(400, "the Connection header must include Upgrade");
        assertThat(WebSocketHandshake.check("GET", valid().remove("Sec-WebSocket-Key"))).get()
                .extracting(WebSocketHandshake.Refusal::status, WebSocketHandshake.Refusal::message)
                .containsExactly(400, "the Sec-WebSocket-Key header is missing");
        for (String key : new String[] {"c2hvcnQ=", "not base64!", "dGhlIHNhbXBsZSBub25jZSBsb25nZXI="}) {
            assertThat(WebSocketHandshake.check("GET", valid().put("Sec-WebSocket-Key", key))).get()
                    .extracting(WebSocketHandshake.Refusal::status).isEqualTo(400);
            assertThat(WebSocketHandshake.check("GET", valid().put("Sec-WebSocket-Key", key)).get().message())
                    .contains("16 bytes in base64");
        }
    }
}
