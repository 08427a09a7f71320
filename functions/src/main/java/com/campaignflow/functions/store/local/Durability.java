package com.campaignflow.functions.store.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** How far a local file write has gone when it returns. Both are atomic: a reader never sees a partial file. */
public enum Durability {
    /** File and directory fsync'd before returning: the write survives a power cut. */
    SYNCED,
    /**
     * Written and renamed into place without fsync: survives the process being killed (the data is in the OS page
     * cache, which the OS writes back within seconds), not a power cut. For data that is rebuilt or only observed
     * (health, performance, progress), and for local runs that choose speed over power-cut safety.
     */
    PROCESS_SAFE;

    boolean syncs() {
        return this == SYNCED;
    }

    /**
     * What this durability amounts to for files under {@code dir}: PROCESS_SAFE on a file system held in memory,
     * where an fsync does nothing (nothing there survives a power cut, and a killed process loses nothing written)
     * but still costs a system call and, on a virtual thread, a hand-off to a spare carrier thread.
     */
    public Durability on(Path dir) {
        return this == SYNCED && inMemoryFileSystem(dir) ? PROCESS_SAFE : this;
    }

    /**
     * Creates {@code dir} and its missing parents. When this durability syncs, the parent of each directory made is
     * fsync'd as well: the files fsync'd in a new directory are durable only once the directory's own entry is
     * (POSIX asks for it; ext4 without a journal, for one, does not order the two).
     */
    public void createDirectories(Path dir) throws IOException {
        createDirectory(dir.toAbsolutePath().normalize());
    }

    /**
     * Makes the directory, parents first when missing. It tries the directory itself first: the parent is there in
     * the common case (a new workflow's directory of checkpoints), and then nothing is thrown, where asking first
     * which of the path's directories exist would throw and catch an exception for each missing one.
     */
    private void createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // made before, or by another thread or process meanwhile
            }
            throw e;
        } catch (NoSuchFileException e) {
            if (dir.getParent() == null) {
                throw e;
            }
            createDirectory(dir.getParent());
            createDirectory(dir);
            return;
        }
        if (syncs()) {
            AtomicFiles.syncDirectory(dir.getParent());
        }
    }

    /** True when {@code dir} (or, while it does not exist yet, its nearest existing parent) is on tmpfs or ramfs. */
    public static boolean inMemoryFileSystem(Path dir) {
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            String type = Files.getFileStore(existing).type();
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException e) {
            return false; // unknown: sync
        }
    }
}
