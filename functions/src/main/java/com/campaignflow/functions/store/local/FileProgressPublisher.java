package com.campaignflow.functions.store.local;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.ProgressPublisher;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * The local {@link ProgressPublisher}: appends each message as one JSON line to
 * {@code <data-dir>/progress/<campaign_id>.jsonl}, which the local cloud tails to feed WebSocket clients.
 * Never throws: a failed append is logged and dropped, like a WebSocket client that went away. Not fsync'd: progress
 * is only watched; what a client missed is replayed from the progress log.
 */
public final class FileProgressPublisher implements ProgressPublisher {

    private static final System.Logger LOG = System.getLogger(FileProgressPublisher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;

    public FileProgressPublisher(Path dataDir) {
        this.dir = dataDir.toAbsolutePath().normalize().resolve("progress");
    }

    /** The file a campaign's progress is appended to. */
    public Path file(String campaignId) {
        if (campaignId == null || !CAMPAIGN_ID.matcher(campaignId).matches()) {
            throw new IllegalArgumentException("campaign id must match [A-Za-z0-9_-]{1,64}: '" + campaignId + "'");
        }
        return dir.resolve(campaignId + ".jsonl");
    }

    @Override
    public void publish(ProgressMessage message) {
        try {
            Path file = file(message.campaignId());
            byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            FileLocks.withLock(dir.resolve(".lock"), () -> {
                try {
                    try {
                        Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (java.nio.file.NoSuchFileException noDirectory) {
                        Files.createDirectories(dir);
                        Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "progress message for " + message.campaignId() + " dropped", e);
        }
    }
}
