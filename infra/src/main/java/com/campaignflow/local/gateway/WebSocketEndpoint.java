package com.campaignflow.local.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The server side of one WebSocket connection, handing its events to the {@link WebSocketApi}. Public only because
 * Jetty looks up listener methods with a public lookup; not part of the gateway's API.
 */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {

    private final WebSocketApi api;
    private final WebSocketConnection connection;
    private final IncomingRequest upgrade;
    private volatile Session session;

    WebSocketEndpoint(WebSocketApi api, WebSocketConnection connection, IncomingRequest upgrade) {
        this.api = api;
        this.connection = connection;
        this.upgrade = upgrade;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        api.opened(connection, upgrade, session);
    }

    @Override
    public void onWebSocketText(String message) {
        api.received(connection, message);
    }

    /** As API Gateway: a binary frame from a client is refused, and the client disconnected with 1003. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        session.close(1003, "binary frames are not supported", Callback.NOOP);
    }

    /**
     * A connection that failed: a client gone without a close frame, a reset, a frame or message over the limits (the
     * close that follows tells the client). Each ends in {@link #onWebSocketClose}, which runs {@code $disconnect};
     * nothing to report beyond that (Jetty would log each as an unhandled error).
     */
    @Override
    public void onWebSocketError(Throwable cause) {
        api.failed(connection, cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        api.closed(connection, upgrade, statusCode, reason);
    }
}
