package com.campaignflow.functions.store.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion across threads and processes on a lock file. A JVM holds OS file locks per process, so two
 * threads (or two store instances over the same directory) must first agree in-process; the static lock map
 * is keyed by the absolute lock-file path for that reason. An entry lives only while a thread holds or waits for
 * its lock, so the map does not grow with every path ever locked in a long-running process.
 */
final class FileLocks {

    /** A path's in-process lock and the threads holding or waiting for it (changed only inside the map's compute). */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private static final ConcurrentHashMap<Path, Entry> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    private static FileChannel open(Path lockFile) throws IOException {
        try {
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException e) {
            Files.createDirectories(lockFile.getParent()); // first lock in this directory
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    static <T> T withLock(Path lockFile, Supplier<T> body) {
        Path key = lockFile.toAbsolutePath().normalize();
        Entry entry = IN_PROCESS.compute(key, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        try {
            entry.lock.lock();
            try (FileChannel channel = open(key); FileLock ignored = channel.lock()) {
                return body.get();
            } finally {
                entry.lock.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + key, e);
        } finally {
            IN_PROCESS.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }

    /** Paths whose lock a thread of this process holds or waits for. */
    static int pathsInUse() {
        return IN_PROCESS.size();
    }
}
