package com.campaignflow.functions.store.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Crash-safe file writes: a reader sees the whole old file or the whole new one, never a prefix. */
final class AtomicFiles {

    static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** Writes data to a temp file next to the target and renames it over the target (fsync'd when SYNCED). */
    static void write(Path target, byte[] data, Durability durability) throws IOException {
        Path temp = writeTemp(target, data, durability);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (durability.syncs()) {
            syncDirectory(target.getParent());
        }
    }

    /**
     * Creates the target only if it does not exist. The hard link is created atomically by the file system, so
     * two writers (threads or processes) cannot both succeed and nobody sees a partial file.
     */
    static boolean createNew(Path target, byte[] data, Durability durability) throws IOException {
        Path temp = writeTemp(target, data, durability);
        try {
            Files.createLink(target, temp);
            if (durability.syncs()) {
                syncDirectory(target.getParent());
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path writeTemp(Path target, byte[] data, Durability durability) throws IOException {
        Path temp = target.resolveSibling(TEMP_PREFIX + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".part");
        FileChannel opened;
        try {
            // one open that creates the file: cheaper than Files.createTempFile followed by an open to write it
            opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            durability.createDirectories(target.getParent());
            opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        try (FileChannel channel = opened) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durability.syncs()) {
                channel.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    static void syncDirectory(Path dir) {
        // Makes the rename durable on Linux; not supported everywhere (e.g. Windows), where it is best effort.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
