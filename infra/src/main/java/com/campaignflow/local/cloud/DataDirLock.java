package com.campaignflow.local.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One local cloud per data directory: the Step Functions journal and the progress relay assume a single writer, so a
 * second process (a CLI command while {@code serve} runs) is refused with a clear message instead of corrupting them.
 * The OS releases the lock if the process dies.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = ".local-cloud.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held in this JVM
            }
            if (lock == null) {
                channel.close();
                throw new DataDirInUseException("another local cloud (serve, or a run/resume/redrive command) is using "
                        + dataDir + "; stop it, or give this command its own --data-dir (or send requests to the"
                        + " running serve instead)");
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock of the data directory", e);
        }
    }
}
