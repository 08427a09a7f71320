package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link BlobStore} over a directory: key {@code a/b/c} is the file {@code root/a/b/c}. Writes are atomic
 * (temp file + fsync + rename), {@link #putIfAbsent} is race-free across threads and processes (hard link),
 * and the other writes hold a per-key lock: one of {@value #LOCK_STRIPES} lock files under {@code .locks/}, chosen
 * by the key's hash, so the directory does not grow with every key ever written or deleted. The version of an
 * object is the SHA-256 of its content.
 * Writes are fsync'd unless the store was opened {@link Durability#PROCESS_SAFE}.
 *
 * <p>{@link #forRebuildableData()} gives a twin for data rebuilt from other objects (checkpoints' metadata.json):
 * it overwrites an existing object in place under the key's lock, without fsync. No file is created
 * or renamed, which on a journaling file system costs far more than the write; the price is that a reader racing
 * the write, or a crash in its middle, can see a mix of old and new bytes, which such data tolerates.
 */
public final class FileBlobStore implements BlobStore {

    private static final String LOCK_DIR = ".locks";
    /** Lock files under {@link #LOCK_DIR}; keys share them by hash (a write holds its lock for one file operation). */
    static final int LOCK_STRIPES = 64;

    private final Path root;
    private final Durability durability;
    /** Overwrites existing objects in place (see {@link #forRebuildableData()}). */
    private final boolean inPlace;
    /** {@code .locks/00} to {@code .locks/63}. */
    private final Path[] lockFiles = new Path[LOCK_STRIPES];

    public FileBlobStore(Path root) {
        this(root, Durability.SYNCED);
    }

    public FileBlobStore(Path root, Durability durability) {
        this(root, durability, false);
    }

    private FileBlobStore(Path root, Durability durability, boolean inPlace) {
        this.root = root.toAbsolutePath().normalize();
        this.inPlace = inPlace;
        this.durability = durability.on(this.root);
        try {
            this.durability.createDirectories(this.root);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create blob store directory " + this.root, e);
        }
        for (int i = 0; i < LOCK_STRIPES; i++) {
            lockFiles[i] = this.root.resolve(LOCK_DIR).resolve(String.format("%02d", i));
        }
        if (!inPlace) {
            removeLegacyLockFiles();
        }
    }

    /** Earlier versions kept a lock file per key, named by its SHA-256; nothing locks those any more. */
    private void removeLegacyLockFiles() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve(LOCK_DIR),
                f -> f.getFileName().toString().length() == 64)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException | DirectoryIteratorException ignored) {
            // no lock directory yet, or a file gone meanwhile
        } catch (IOException e) {
            // stale lock files take space, nothing else: the store works without removing them
        }
    }

    @Override
    public Optional<Blob> get(String key) {
        Path file = file(key);
        try {
            byte[] data = Files.readAllBytes(file);
            return Optional.of(Blob.versionedByContent(data, Hashes::sha256Hex));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read blob " + key, e);
        }
    }

    @Override
    public void put(String key, byte[] data) {
        Path file = file(key);
        if (inPlace && overwrite(key, file, data, null)) {
            return;
        }
        locked(key, () -> {
            AtomicFiles.write(file, data, durability);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        Path file = file(key);
        try {
            return AtomicFiles.createNew(file, data, durability);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinks) {
            if (noHardLinks instanceof java.nio.file.FileAlreadyExistsException) {
                return false;
            }
            // file systems without hard links: check and rename under the key's lock instead
            return locked(key, () -> {
                if (Files.exists(file)) {
                    return false;
                }
                AtomicFiles.write(file, data, durability);
                return true;
            });
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write blob " + key, e);
        }
    }

    @Override
    public boolean putIfVersion(String key, byte[] data, String expectedVersion) {
        Path file = file(key);
        if (inPlace) {
            return overwrite(key, file, data, expectedVersion);
        }
        return locked(key, () -> {
            Optional<Blob> current = get(key);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return false;
            }
            AtomicFiles.write(file, data, durability);
            return true;
        });
    }

    @Override
    public List<String> list(String prefix) {
        String validPrefix = BlobKeys.validatePrefix(prefix);
        int slash = validPrefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(validPrefix.substring(0, slash));
        List<String> keys = new ArrayList<>();
        // walkFileTree hands each entry's attributes to the visitor: one stat per entry (Files.walk plus an
        // isRegularFile filter took two, and a checkpoint directory is listed at every agent step)
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    // internal directories (.locks) hold no keys
                    return !dir.equals(start) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        String key = root.relativize(file).toString().replace('\\', '/');
                        if (!hasDotSegment(key) && key.startsWith(validPrefix)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // no such prefix, or removed while listing
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot list blobs under " + prefix, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        Path file = file(key);
        locked(key, () -> {
            Files.deleteIfExists(file);
            return null;
        });
    }

    /**
     * Deletes the temp files of writes under {@code prefix} (a directory key such as {@code checkpoints/}) last
     * modified more than {@code age} ago: a write takes milliseconds, so an old one belongs to a process killed
     * mid-write, and nothing else would remove it. Returns how many.
     */
    public int deleteAbandonedWrites(String prefix, java.time.Duration age) {
        Path start = root.resolve(BlobKeys.validatePrefix(prefix));
        long before = System.currentTimeMillis() - age.toMillis();
        int[] deleted = {0};
        try (var files = Files.walk(start)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                try {
                    if (name.startsWith(AtomicFiles.TEMP_PREFIX) && name.endsWith(".part")
                            && Files.getLastModifiedTime(file).toMillis() < before && Files.deleteIfExists(file)) {
                        deleted[0]++;
                    }
                } catch (NoSuchFileException e) {
                    // its write just ended and removed it
                }
            }
        } catch (NoSuchFileException e) {
            return 0; // nothing written under it yet
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StoreUnavailableException("cannot clean up abandoned writes under " + prefix, e);
        }
        return deleted[0];
    }

    /** The same directory, existing objects overwritten in place and nothing fsync'd (see the class comment). */
    @Override
    public BlobStore forRebuildableData() {
        return inPlace ? this : new FileBlobStore(root, Durability.PROCESS_SAFE, true);
    }

    /**
     * Replaces an existing object's bytes in place under the key's lock (threads and processes); with
     * {@code expectedVersion}, only if the current bytes have that version. False if the object is gone. The lock is
     * not taken on the object's own file: a POSIX lock is dropped when its process closes any descriptor of the file,
     * which a reader in the same process does.
     */
    private boolean overwrite(String key, Path file, byte[] data, String expectedVersion) {
        return locked(key, () -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = channel.size();
                if (expectedVersion != null) {
                    ByteBuffer current = ByteBuffer.allocate((int) size);
                    while (current.hasRemaining() && channel.read(current, current.position()) >= 0) {
                        // read it all
                    }
                    if (!Hashes.sha256Hex(Arrays.copyOf(current.array(), current.position())).equals(expectedVersion)) {
                        return false;
                    }
                }
                ByteBuffer buffer = ByteBuffer.wrap(data);
                long position = 0;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                if (data.length < size) {
                    channel.truncate(data.length);
                }
                return true;
            } catch (NoSuchFileException e) {
                return false;
            }
        });
    }

    private Path file(String key) {
        Path file = root.resolve(BlobKeys.validate(key)).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the store: " + BlobKeys.printable(key));
        }
        return file;
    }

    private static boolean hasDotSegment(String key) {
        return key.startsWith(".") || key.contains("/.");
    }

    private interface IoBody<T> {
        T run() throws IOException;
    }

    private <T> T locked(String key, IoBody<T> body) {
        // String.hashCode is fixed by the language, so every process picks the same stripe for a key
        return FileLocks.withLock(lockFiles[Math.floorMod(key.hashCode(), LOCK_STRIPES)], () -> {
            try {
                return body.run();
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot write blob " + key, e);
            }
        });
    }
}
