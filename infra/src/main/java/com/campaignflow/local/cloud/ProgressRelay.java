package com.campaignflow.local.cloud;

import com.campaignflow.functions.aws.AwsClients;
import com.campaignflow.functions.aws.WebSocketProgressPublisher;
import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.handlers.Services;
import com.campaignflow.functions.ports.ProgressPublisher;
import com.campaignflow.functions.store.local.Durability;
import com.campaignflow.local.gateway.LocalAwsCredentials;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers progress to WebSocket subscribers locally. With {@code CAMPAIGNFLOW_DATA_DIR} the agents' progress
 * publisher appends each message to {@code <data-dir>/progress/<campaign>.jsonl}; the relay tails those files and
 * hands every new message to the production {@link WebSocketProgressPublisher}, which finds the subscribed
 * connections in the connections table and posts to each through the management API of the local gateway
 * ({@code POST /@connections/{id}}), exactly as it does on AWS.
 */
final class ProgressRelay {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int MAX_READ = 1 << 20;

    private final Path folder;
    private final ProgressPublisher publisher;
    private final PrintStream log;
    private final Map<Path, Long> offsets = new HashMap<>();

    ProgressRelay(Path dataDir, ProgressPublisher publisher, PrintStream log) {
        this.folder = dataDir.resolve("progress");
        this.publisher = publisher;
        this.log = log;
        // Messages written before this cloud started were delivered (or missed) then: start at the current ends.
        forEachFile(file -> offsets.put(file, size(file)));
    }

    /** The relay of {@code dataDir}, posting through the management API at {@code gatewayUrl}. */
    static ProgressRelay over(Path dataDir, String gatewayUrl, LocalAwsCredentials credentials, String connectionsTable,
                              PrintStream log) {
        Map<String, String> env = Map.of("AWS_REGION", com.campaignflow.local.template.LocalArns.REGION,
                "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", gatewayUrl,
                "AWS_ACCESS_KEY_ID", credentials.accessKeyId(), "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        AwsClients clients = AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name)));
        return new ProgressRelay(dataDir, new WebSocketProgressPublisher(clients.webSocket(),
                Services.localTable(dataDir, "CONNECTIONS_TABLE", connectionsTable, Durability.PROCESS_SAFE,
                        Clock.systemUTC())), log);
    }

    /** Publishes what was appended since the last call; never throws (progress is best effort). */
    synchronized void poll() {
        try {
            forEachFile(this::drain);
        } catch (RuntimeException e) {
            log.println("progress relay: " + e);
        }
    }

    private void drain(Path file) {
        long offset = offsets.getOrDefault(file, 0L);
        long size = size(file);
        if (size <= offset) {
            return;
        }
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            bytes = new byte[(int) Math.min(size - offset, MAX_READ)];
            in.readFully(bytes);
        } catch (IOException e) {
            return;
        }
        int end = lastNewline(bytes);
        if (end < 0) {
            return; // a line still being written: read it whole next time
        }
        offsets.put(file, offset + end + 1);
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                publisher.publish(JSON.readValue(line, ProgressMessage.class));
            } catch (IOException e) {
                log.println("progress relay: skipped a malformed line of " + file.getFileName() + ": " + e.getMessage());
            }
        }
    }

    static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void forEachFile(java.util.function.Consumer<Path> action) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jsonl")) {
            files.forEach(action);
        } catch (IOException e) {
            log.println("progress relay: cannot list " + folder + ": " + e.getMessage());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
