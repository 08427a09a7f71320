package com.campaignflow.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmarks' temp directories, removed together when the whole benchmark is over.
 *
 * <p>Why not after each case: on an ext4 file system without a journal (this machine's disk),
 * creating a file skips every recently freed inode (within about a minute, longer while its
 * inode-table block is dirty), checking each one's deletion time. Thousands of files deleted
 * between two cases made the next case's file creations cost ~25 % of the process CPU for
 * minutes: a cost of the harness, not of the code measured.
 */
final class TempDirs implements AutoCloseable {

    private final List<Path> created = new ArrayList<>();

    Path create(Path parent, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix);
        created.add(dir);
        return dir;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Path dir : created) {
            try {
                delete(dir);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        created.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
