package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.StoreUnavailableException;
import java.io.IOException;
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
 * is keyed by the absolute lock-file path for that reason.
 *
 * <p>A lock file's channel stays open between locks: opening and closing it took more than the lock itself, and the
 * stores lock on every table write, progress message and metadata.json update. One channel per path, because
 * closing any descriptor of a file drops every POSIX lock the process holds on it. At most {@value #KEPT_IDLE}
 * idle channels stay open (a long-running process that locks in ever new directories closes the others); a
 * channel is closed only while no thread holds or waits for its lock, inside the map's compute, so no new channel
 * of the same path can be locked meanwhile. Lock files are never deleted while their directory is in use.
 */
final class FileLocks {

    /** Idle lock-file channels kept open; beyond this, idle ones are closed (see the class comment). */
    static final int KEPT_IDLE = 256;

    /** A path's in-process lock, its open channel, and the threads holding or waiting for it. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        /** Changed only inside the map's compute. */
        int users;
        /** Opened by the first holder; used only while holding {@link #lock}. */
        FileChannel channel;
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
            try {
                if (entry.channel == null || !entry.channel.isOpen()) { // closed by an interrupt during a lock
                    entry.channel = open(key);
                }
                try (FileLock ignored = entry.channel.lock()) {
                    return body.get();
                }
            } finally {
                entry.lock.unlock();
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot lock " + key, e);
        } finally {
            IN_PROCESS.computeIfPresent(key, (k, e) -> {
                e.users--;
                return e;
            });
            if (IN_PROCESS.size() > KEPT_IDLE) {
                closeIdle();
            }
        }
    }

    /** Closes idle channels until at most half of {@link #KEPT_IDLE} entries are left (amortised over many locks). */
    private static void closeIdle() {
        for (Path path : IN_PROCESS.keySet()) {
            if (IN_PROCESS.size() <= KEPT_IDLE / 2) {
                return;
            }
            IN_PROCESS.computeIfPresent(path, (k, e) -> {
                if (e.users > 0) {
                    return e;
                }
                closeQuietly(e.channel);
                return null;
            });
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // a lock file's channel: nothing was written through it
        }
    }

    /** Paths whose lock a thread of this process holds or waits for. */
    static int pathsInUse() {
        return (int) IN_PROCESS.values().stream().filter(e -> e.users > 0).count();
    }

    /** Lock-file channels this process keeps open. */
    static int channelsOpen() {
        return (int) IN_PROCESS.values().stream().filter(e -> e.channel != null && e.channel.isOpen()).count();
    }
}
