package com.campaignflow.local.gateway;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/**
 * The checks of an opening handshake (RFC 6455 §4.2.1) that Jetty's upgrade handler makes silently: a request to the
 * WebSocket path that fails them would otherwise fall through to the REST routes and get their "Missing Authentication
 * Token". A refusal says what is wrong.
 */
final class WebSocketHandshake {

    /** An HTTP answer instead of the upgrade: status, extra headers, message. */
    record Refusal(int status, Map<String, String> headers, String message) {
    }

    private WebSocketHandshake() {
    }

    /** What is wrong with the handshake, if anything. */
    static Optional<Refusal> check(String method, HttpFields headers) {
        if (!"GET".equals(method)) {
            return bad("a WebSocket handshake is a GET request, not " + method);
        }
        // A GET without an Upgrade to websocket comes from a client that does not speak WebSocket here (a browser
        // opening the URL): 426 says what this path takes, as RFC 9110 §15.5.22 asks of 426 (with an Upgrade header).
        if (!hasToken(headers.get("Upgrade"), "websocket")) {
            return Optional.of(new Refusal(426, Map.of("Upgrade", "websocket"),
                    "this is the WebSocket endpoint: send a WebSocket handshake (Upgrade: websocket)"));
        }
        if (!hasToken(headers.get("Connection"), "upgrade")) {
            return bad("the Connection header must include Upgrade");
        }
        // RFC 6455 §4.2.2: a version the server does not speak is 426 with the versions it does.
        String version = headers.get("Sec-WebSocket-Version");
        if (!"13".equals(version == null ? null : version.trim())) {
            return Optional.of(new Refusal(426, Map.of("Sec-WebSocket-Version", "13"), version == null
                    ? "the Sec-WebSocket-Version header is missing; this server speaks version 13"
                    : "Sec-WebSocket-Version " + version + " is not supported; this server speaks version 13"));
        }
        String key = headers.get("Sec-WebSocket-Key");
        if (key == null) {
            return bad("the Sec-WebSocket-Key header is missing");
        }
        if (decodedLength(key.trim()) != 16) {
            return bad("Sec-WebSocket-Key must be 16 bytes in base64 (24 characters), got '" + key + "'");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> bad(String message) {
        return Optional.of(new Refusal(400, Map.of(), message));
    }

    private static boolean hasToken(String header, String token) {
        if (header == null) {
            return false;
        }
        for (String value : header.split(",")) {
            if (value.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
