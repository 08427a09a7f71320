package com.campaignflow.local.sfn.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP front for {@link StepFunctionsService}: every POST is one action, named by
 * its X-Amz-Target header. Signatures are not checked (no credentials locally). One virtual
 * thread per request.
 */
public final class StepFunctionsHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private StepFunctionsHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Binds to {@code host:port} (port 0 picks a free one) and starts serving. */
    public static StepFunctionsHttpServer start(StepFunctionsService service, String host, int port)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
        StepFunctionsHttpServer s = new StepFunctionsHttpServer(server);
        server.setExecutor(s.threads);
        server.createContext("/", exchange -> s.serve(service, exchange));
        server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    private void serve(StepFunctionsService service, HttpExchange exchange) throws IOException {
        try (exchange) {
            StepFunctionsService.Response response;
            if (!"POST".equals(exchange.getRequestMethod())) {
                response = new StepFunctionsService.Response(405,
                        "{\"__type\":\"UnknownOperationException\",\"message\":\"use POST\"}".getBytes());
            } else {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                response = service.handle(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            }
            exchange.getResponseHeaders().set("Content-Type", StepFunctionsService.CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(response.status(), response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
